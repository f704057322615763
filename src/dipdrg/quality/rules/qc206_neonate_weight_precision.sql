-- QC-206 新生儿体重未精确到 10 克（准确性，警告）.
-- Basis: 医疗保障基金结算清单填写规范: 新生儿体重精确到 10 克 ($neonate_weight_step_g,
-- policy quality.neonate_weight_step_g).
SELECT setl_id,
       CASE WHEN MOD(nwb_bir_wt, $neonate_weight_step_g) <> 0 THEN 'nwb_bir_wt' ELSE 'nwb_adm_wt' END AS field,
       '出生体重 ' || COALESCE(CAST(nwb_bir_wt AS VARCHAR), '-') || ' 克，入院体重 '
         || COALESCE(CAST(nwb_adm_wt AS VARCHAR), '-') || ' 克，应为 '
         || CAST($neonate_weight_step_g AS VARCHAR) || ' 克的整数倍' AS detail
FROM qc_case
WHERE MOD(nwb_bir_wt, $neonate_weight_step_g) <> 0
   OR MOD(nwb_adm_wt, $neonate_weight_step_g) <> 0
