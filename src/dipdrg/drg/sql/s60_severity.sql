-- Step 6, CC/MCC (ALGORITHM.md §7): a secondary diagnosis (position ≥ 1) in mcc/cc counts
-- unless the principal diagnosis has a cce row with the same exclusion table. Level 2 =
-- some counting MCC, 1 = some counting CC, no row = neither. Having a secondary diagnosis
-- implies the "at least 2 diagnoses" condition.
CREATE OR REPLACE TEMP TABLE drg_level AS
WITH secondary AS (
    SELECT d.case_key, x.level_rank, x.exclusion_table
    FROM drg_dx d
    JOIN pk_cx x ON x.code = d.code
    WHERE d.seq > 0
),
principal_tables AS (
    SELECT d.case_key, e.exclusion_table
    FROM drg_dx d
    JOIN pk_cce e ON e.principal_dx = d.code
    WHERE d.seq = 0
)
SELECT s.case_key, MAX(s.level_rank) AS level_rank
FROM secondary s
LEFT JOIN principal_tables p
       ON p.case_key = s.case_key AND p.exclusion_table = s.exclusion_table
WHERE p.case_key IS NULL
GROUP BY s.case_key;
