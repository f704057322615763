-- QC-307 诊断与年龄冲突（逻辑性，警告）.
-- Basis: ICD-10 categories limited to an age band (quality/conflicts.csv: perinatal chapter
-- P00–P96 under 1 year, Z38 liveborn infants ≤ 28 days, pregnancy 9–64 years), prepared by
-- _dx_limited.sql as qc_dx_limited. The band is in days (天) or full years (岁); an empty
-- bound is open. Compared with the age at admission (qc_case.age_days / age_years).
SELECT c.setl_id, 'diag_code' AS field,
       '诊断 ' || MIN(d.diag_code) || '（' || MIN(d.label) || '）与年龄不符：'
         || CASE WHEN MIN(c.age_years) >= 1 THEN CAST(MIN(c.age_years) AS VARCHAR) || ' 岁'
                 ELSE CAST(MIN(c.age_days) AS VARCHAR) || ' 天' END AS detail
FROM qc_dx_limited d
JOIN qc_case c ON c.setl_id = d.setl_id
WHERE d.kind = 'age'
  AND ((d.age_unit = '天' AND (c.age_days < d.age_min OR c.age_days > d.age_max))
    OR (d.age_unit = '岁' AND (c.age_years < d.age_min OR c.age_years > d.age_max)))
GROUP BY c.setl_id
