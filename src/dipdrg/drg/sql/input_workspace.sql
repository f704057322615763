-- Input, workspace mode: cases / case_diagnoses / case_procedures (0001 migration) to
-- drg_case / drg_dx / drg_proc with an integer key per setl_id (drg_keys).
-- Codes: the normalised 医保版 code, else the raw code as given (matching is exact, §2).
-- seq 0 is the principal diagnosis/procedure; a case without one gets '' there (matches
-- nothing, like an empty principal in ALGORITHM.md §2); a case without procedures has none.
CREATE OR REPLACE TEMP TABLE drg_keys AS
SELECT setl_id, CAST(ROW_NUMBER() OVER () AS BIGINT) AS case_key
FROM cases;

CREATE OR REPLACE TEMP TABLE drg_case AS
SELECT k.case_key,
       CASE WHEN TRIM(c.gend) SIMILAR TO '[+-]?[0-9]+' THEN TRY_CAST(TRIM(c.gend) AS INTEGER) END AS gender,
       c.age,
       c.nwb_age AS age_days,
       c.nwb_bir_wt AS birth_weight
FROM cases c
JOIN drg_keys k ON k.setl_id = c.setl_id;

CREATE OR REPLACE TEMP TABLE drg_dx AS
SELECT k.case_key, d.seq, COALESCE(d.diag_code, d.diag_code_raw, '') AS code
FROM case_diagnoses d
JOIN drg_keys k ON k.setl_id = d.setl_id
UNION ALL
SELECT k.case_key, 0, ''
FROM drg_keys k
WHERE NOT EXISTS (SELECT 1 FROM case_diagnoses d WHERE d.setl_id = k.setl_id AND d.seq = 0);

CREATE OR REPLACE TEMP TABLE drg_proc AS
SELECT k.case_key, p.seq, COALESCE(p.oprn_code, p.oprn_code_raw, '') AS code
FROM case_procedures p
JOIN drg_keys k ON k.setl_id = p.setl_id
UNION ALL
SELECT DISTINCT k.case_key, 0, ''
FROM case_procedures p
JOIN drg_keys k ON k.setl_id = p.setl_id
WHERE NOT EXISTS (SELECT 1 FROM case_procedures q WHERE q.setl_id = p.setl_id AND q.seq = 0);
