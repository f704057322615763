-- Step 3, MDC entry rules (ALGORITHM.md §5): one row per case and MDC whose entry holds.
-- pdx_in_list / anydx_in_list with the optional gender, age (years) and trauma-region
-- conditions of the mdc table (regions: distinct regions over all diagnoses in the MDC's
-- list, principal included); pproc_in_or_list (MDCA) from the procedure flags.
CREATE OR REPLACE TEMP TABLE drg_mdc_entry AS
WITH principal AS (
    SELECT d.case_key, m.mdc
    FROM drg_dx d
    JOIN pk_mdc_dx m ON m.code = d.code
    WHERE d.seq = 0
),
every_dx AS (            -- only the MDCs whose entry looks at every diagnosis
    SELECT d.case_key, m.mdc, COUNT(DISTINCT m.region) AS n_regions
    FROM drg_dx d
    JOIN pk_mdc_dx m ON m.code = d.code AND m.all_dx
    GROUP BY d.case_key, m.mdc
),
dx_entry AS (
    SELECT p.case_key, p.mdc, COALESCE(e.n_regions, 0) AS n_regions
    FROM principal p
    JOIN pk_mdc m ON m.mdc = p.mdc AND m.entry_shape = 'pdx_in_list'
    LEFT JOIN every_dx e ON e.case_key = p.case_key AND e.mdc = p.mdc
    UNION ALL
    SELECT e.case_key, e.mdc, e.n_regions
    FROM every_dx e
    JOIN pk_mdc m ON m.mdc = e.mdc AND m.entry_shape = 'anydx_in_list'
    UNION ALL
    SELECT f.case_key, m.mdc, 0
    FROM drg_proc_flags f
    JOIN pk_mdc m ON m.entry_shape = 'pproc_in_or_list'
    WHERE f.pproc_or = 1
)
SELECT x.case_key, m.mdc, m.mdc_order    -- MDCs without gender/age conditions
FROM dx_entry x
JOIN pk_mdc m ON m.mdc = x.mdc
WHERE m.gender IS NULL AND m.age_years_min IS NULL AND m.age_years_max IS NULL
  AND (m.min_regions IS NULL OR x.n_regions >= m.min_regions)
UNION ALL
SELECT x.case_key, m.mdc, m.mdc_order
FROM dx_entry x
JOIN pk_mdc m ON m.mdc = x.mdc
JOIN drg_case c ON c.case_key = x.case_key
WHERE (m.gender IS NOT NULL OR m.age_years_min IS NOT NULL OR m.age_years_max IS NOT NULL)
  AND (m.gender IS NULL OR c.gender = m.gender)
  AND (m.age_years_min IS NULL OR c.age >= m.age_years_min)
  AND (m.age_years_max IS NULL OR c.age <= m.age_years_max)
  AND (m.min_regions IS NULL OR x.n_regions >= m.min_regions);
