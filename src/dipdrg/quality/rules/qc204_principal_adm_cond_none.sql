-- QC-204 主要诊断的入院病情为“无”（准确性，错误）.
-- Basis: 医疗保障基金结算清单填写规范: 入院病情 1 有 2 临床未确定 3 情况不明 4 无; the principal
-- diagnosis is the condition the patient was admitted for, so it cannot be "4 无".
SELECT setl_id, 'adm_cond_type' AS field,
       '主要诊断 ' || COALESCE(pdx_code, pdx_raw, '') || ' 的入院病情为 4（无）' AS detail
FROM qc_case
WHERE TRIM(pdx_adm_cond) = '4'
