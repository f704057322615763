-- QC-102 性别缺失（完整性，错误）.
-- Basis: 医疗保障基金结算清单填写规范: 性别 is required.
SELECT setl_id, 'gend' AS field, '未填写性别' AS detail
FROM qc_case
WHERE TRIM(COALESCE(gend, '')) = ''
