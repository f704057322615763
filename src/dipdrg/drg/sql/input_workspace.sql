-- Input, workspace mode: cases / case_diagnoses / case_procedures (0001 migration) as the
-- grouper's inputs drg_case / drg_dx_src / drg_proc_src, keyed by setl_id (the codes step
-- s15 makes drg_dx / drg_proc). SIMILAR TO / TRY_CAST: see input_file.sql.
-- Codes: the normalised 医保版 code, else the raw code as given (matching is exact, §2).
-- seq 0 is the principal diagnosis/procedure. A case without a seq-0 row behaves exactly as
-- one whose principal code is '' (it is in no list, pack codes are never empty).
CREATE OR REPLACE TEMP VIEW drg_case AS
SELECT setl_id AS case_key,
       CASE WHEN TRIM(gend) SIMILAR TO '[+-]?[0-9]+' THEN TRY_CAST(TRIM(gend) AS INTEGER) END AS gender,
       age,
       nwb_age AS age_days,
       nwb_bir_wt AS birth_weight
FROM cases;

CREATE OR REPLACE TEMP VIEW drg_dx_src AS
SELECT setl_id AS case_key, seq, COALESCE(diag_code, diag_code_raw, '') AS code
FROM case_diagnoses;

CREATE OR REPLACE TEMP VIEW drg_proc_src AS
SELECT setl_id AS case_key, seq, COALESCE(oprn_code, oprn_code_raw, '') AS code
FROM case_procedures;
