-- QC-101 主要诊断缺失（完整性，错误）.
-- Basis: 医疗保障基金结算清单填写规范（医保办发〔2020〕20号）: the principal diagnosis is required.
-- Fires when the case has no diagnosis with seq 0, or its code was given blank.
SELECT setl_id, 'diag_code_raw' AS field, '未填写主要诊断编码' AS detail
FROM qc_case
WHERE pdx_present = 0 OR TRIM(COALESCE(pdx_raw, '')) = ''
