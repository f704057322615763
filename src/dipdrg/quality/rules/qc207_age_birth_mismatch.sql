-- QC-207 年龄与出生日期不符（准确性，错误）.
-- Basis: 医疗保障基金结算清单填写规范: 年龄 = full years at admission; under 1 year the age
-- is given in days (不足1周岁年龄). Fires when the birth date lies after admission, when the
-- stated years differ from the full years computed from the birth date, or when the stated
-- days differ by more than one day (the birth day counted or not) for a child under 1 year.
SELECT setl_id,
       CASE WHEN birth_days >= 0 AND age IS NOT NULL AND age <> birth_years THEN 'age'
            WHEN birth_days >= 0 THEN 'nwb_age' ELSE 'brdy' END AS field,
       CASE WHEN birth_days < 0 THEN '出生日期 ' || CAST(brdy AS VARCHAR) || ' 晚于入院日期 ' || CAST(adm_date AS VARCHAR)
            WHEN age IS NOT NULL AND age <> birth_years
              THEN '年龄 ' || CAST(age AS VARCHAR) || ' 岁，按出生日期应为 ' || CAST(birth_years AS VARCHAR) || ' 岁'
            ELSE '不足1周岁年龄 ' || CAST(nwb_age AS VARCHAR) || ' 天，按出生日期应为 ' || CAST(birth_days AS VARCHAR) || ' 天'
       END AS detail
FROM qc_case
WHERE birth_days IS NOT NULL
  AND (birth_days < 0
       OR (age IS NOT NULL AND age <> birth_years)
       OR (nwb_age IS NOT NULL AND birth_years = 0
           AND (nwb_age - birth_days > 1 OR birth_days - nwb_age > 1)))
