-- QC-205 新生儿体重超出合理范围（准确性，错误）.
-- Basis: 医疗保障基金结算清单填写规范: 新生儿出生/入院体重 in grams; plausible range
-- [$neonate_weight_min_g, $neonate_weight_max_g] g (policy quality.neonate_weight_min_g/max_g).
SELECT setl_id,
       CASE WHEN nwb_bir_wt < $neonate_weight_min_g OR nwb_bir_wt > $neonate_weight_max_g
            THEN 'nwb_bir_wt' ELSE 'nwb_adm_wt' END AS field,
       '出生体重 ' || COALESCE(CAST(nwb_bir_wt AS VARCHAR), '-') || ' 克，入院体重 '
         || COALESCE(CAST(nwb_adm_wt AS VARCHAR), '-') || ' 克，合理范围 '
         || CAST($neonate_weight_min_g AS VARCHAR) || '–' || CAST($neonate_weight_max_g AS VARCHAR) || ' 克' AS detail
FROM qc_case
WHERE nwb_bir_wt < $neonate_weight_min_g OR nwb_bir_wt > $neonate_weight_max_g
   OR nwb_adm_wt < $neonate_weight_min_g OR nwb_adm_wt > $neonate_weight_max_g
