-- Step 1b, code mapping (ALGORITHM.md §2; pack switch code_mapping = true): every non-empty
-- code is replaced by its target; a case with a code missing from the map is not grouped
-- (reason code_unmapped, decided after the input checks). Empty codes stay empty.
CREATE OR REPLACE TEMP TABLE drg_dx AS
SELECT d.case_key, d.seq, COALESCE(m.target_code, d.code) AS code,
       m.target_code IS NULL AND d.code <> '' AS missing
FROM drg_dx_src d
LEFT JOIN (SELECT DISTINCT source_code, target_code FROM pk_raw_dx_map) m ON m.source_code = d.code;

CREATE OR REPLACE TEMP TABLE drg_proc AS
SELECT p.case_key, p.seq, COALESCE(m.target_code, p.code) AS code,
       m.target_code IS NULL AND p.code <> '' AS missing
FROM drg_proc_src p
LEFT JOIN (SELECT DISTINCT source_code, target_code FROM pk_raw_proc_map) m ON m.source_code = p.code;

CREATE OR REPLACE TEMP TABLE drg_unmapped AS
SELECT case_key FROM drg_dx WHERE missing
UNION
SELECT case_key FROM drg_proc WHERE missing;
