-- QC-105 医疗费总额缺失（完整性，错误）.
-- Basis: 医疗保障基金结算清单填写规范: 医疗收费信息 (医疗费总额) is required.
SELECT setl_id, 'medfee_sumamt' AS field, '未填写医疗费总额' AS detail
FROM qc_case
WHERE medfee_sumamt IS NULL
