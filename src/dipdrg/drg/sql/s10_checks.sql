-- Step 1, input checks (ALGORITHM.md §3), first failure wins:
-- gender null or not 1/2; age null; age 0 without age_days; newborn (age 0, ≤ 28 days)
-- without birth weight (0 is accepted). Only failing cases get a row.
CREATE OR REPLACE TEMP TABLE drg_check AS
SELECT case_key, reason
FROM (
    SELECT case_key,
           CASE WHEN gender IS NULL OR gender NOT IN (1, 2) THEN 'gender'
                WHEN age IS NULL THEN 'age'
                WHEN age = 0 AND age_days IS NULL THEN 'age_days'
                WHEN age = 0 AND age_days <= 28 AND birth_weight IS NULL THEN 'birth_weight'
           END AS reason
    FROM drg_case
) c
WHERE reason IS NOT NULL;
