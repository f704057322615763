-- QC-103 出生日期与年龄均缺失（完整性，错误）.
-- Basis: 医疗保障基金结算清单填写规范: 出生日期 and 年龄 are required; one of them is enough
-- to know the age, so the rule fires only when the birth date, age and age in days are all absent.
SELECT setl_id, 'brdy' AS field, '出生日期、年龄、不足1周岁年龄均未填写' AS detail
FROM qc_case
WHERE brdy IS NULL AND age IS NULL AND nwb_age IS NULL
