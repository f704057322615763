-- Step 3, MDC entry rules (ALGORITHM.md §5): one row per case and MDC whose entry holds.
-- pdx_in_list / anydx_in_list with the optional gender, age (years) and trauma-region
-- conditions of the mdc table; pproc_in_or_list (MDCA) from the procedure flags.
CREATE OR REPLACE TEMP TABLE drg_mdc_entry AS
WITH dx_mdc AS (
    SELECT d.case_key, m.mdc,
           MAX(CASE WHEN d.seq = 0 THEN 1 ELSE 0 END) AS pdx_hit,
           COUNT(DISTINCT m.region) AS n_regions
    FROM drg_dx d
    JOIN pk_mdc_dx m ON m.code = d.code
    WHERE d.seq = 0 OR m.all_dx
    GROUP BY d.case_key, m.mdc
)
SELECT x.case_key, m.mdc, m.mdc_order
FROM dx_mdc x
JOIN pk_mdc m ON m.mdc = x.mdc
JOIN drg_case c ON c.case_key = x.case_key
WHERE (m.entry_shape = 'anydx_in_list' OR (m.entry_shape = 'pdx_in_list' AND x.pdx_hit = 1))
  AND (m.gender IS NULL OR c.gender = m.gender)
  AND (m.age_years_min IS NULL OR c.age >= m.age_years_min)
  AND (m.age_years_max IS NULL OR c.age <= m.age_years_max)
  AND (m.min_regions IS NULL OR x.n_regions >= m.min_regions)
UNION ALL
SELECT f.case_key, m.mdc, m.mdc_order
FROM drg_proc_flags f
JOIN drg_case c ON c.case_key = f.case_key
CROSS JOIN pk_mdc m
WHERE m.entry_shape = 'pproc_in_or_list' AND f.pproc_or = 1
  AND (m.gender IS NULL OR c.gender = m.gender)
  AND (m.age_years_min IS NULL OR c.age >= m.age_years_min)
  AND (m.age_years_max IS NULL OR c.age <= m.age_years_max);
