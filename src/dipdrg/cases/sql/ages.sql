-- Step: complete 年龄 / 不足1周岁年龄 (DESIGN.md §3 "age < 1 year comes as days; accept both
-- conventions"). A stated value is never changed; only empty ones are filled, so the groupers'
-- age checks see an age whichever convention the hospital used:
--   age empty, nwb_age given in days (0–365, under one year)  -> age = 0;
--   age still empty, brdy and adm_time given (birth not after admission)
--                                  -> age = full years at admission, and when that is 0 and
--                                     nwb_age is empty, nwb_age = days from birth to admission.
-- Full years are computed without age()/datediff, as in quality/rules/_base.sql; date - date
-- gives whole days in DuckDB and PostgreSQL (Spark: datediff(adm_date, brdy)).
-- Rows flagged by typed.sql are left alone: there a NULL may mean "text that is not a number"
-- (年龄“三十”), and filling it would hide the problem the check step must quarantine (IMP-003).
UPDATE imp_typed SET age = 0
WHERE age IS NULL AND nwb_age BETWEEN 0 AND 365 AND NOT has_problem;

UPDATE imp_typed AS t
SET age = b.birth_years,
    nwb_age = COALESCE(t.nwb_age, CASE WHEN b.birth_years = 0 THEN b.birth_days END)
FROM (
    SELECT source_row,
           EXTRACT(YEAR FROM adm_date) - EXTRACT(YEAR FROM brdy)
           - CASE WHEN EXTRACT(MONTH FROM adm_date) * 100 + EXTRACT(DAY FROM adm_date)
                     < EXTRACT(MONTH FROM brdy) * 100 + EXTRACT(DAY FROM brdy)
                  THEN 1 ELSE 0 END AS birth_years,
           adm_date - brdy AS birth_days
    FROM (SELECT source_row, brdy, CAST(adm_time AS DATE) AS adm_date
          FROM imp_typed
          WHERE age IS NULL AND brdy IS NOT NULL AND adm_time IS NOT NULL AND NOT has_problem) AS d
    WHERE adm_date >= brdy
) AS b
WHERE t.source_row = b.source_row;
