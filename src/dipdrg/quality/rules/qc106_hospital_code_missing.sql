-- QC-106 定点医疗机构编号缺失（完整性，错误）.
-- Basis: 医疗保障基金结算清单填写规范: 定点医疗机构编码 is required. The column is NOT NULL
-- in the workspace, so the gap shows as a blank code.
SELECT setl_id, 'fixmedins_code' AS field, '未填写定点医疗机构编号' AS detail
FROM qc_case
WHERE TRIM(COALESCE(fixmedins_code, '')) = ''
