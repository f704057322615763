-- QC-107 新生儿未填写出生体重（完整性，错误）.
-- Basis: 医疗保障基金结算清单填写规范: a neonate (age at admission <= $neonate_max_days days,
-- 出生 28 天以内) must have 新生儿出生体重. Age in days from the birth date, else 不足1周岁年龄.
SELECT setl_id, 'nwb_bir_wt' AS field,
       '入院时年龄 ' || CAST(age_days AS VARCHAR) || ' 天，未填写新生儿出生体重' AS detail
FROM qc_case
WHERE age_days IS NOT NULL AND age_days >= 0 AND age_days <= $neonate_max_days
  AND nwb_bir_wt IS NULL
