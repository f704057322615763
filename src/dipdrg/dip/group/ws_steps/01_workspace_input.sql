-- Workspace input: the imported settlement lists as the relations the grouping steps read.
-- diag_code / oprn_code hold the normalised 医保版 code (NULL when it could not be normalised);
-- procedure attributes (手术/介入治疗/治疗性操作/诊断性操作) come from the loaded code list.
CREATE OR REPLACE TEMP VIEW dipg_in_case AS
SELECT setl_id, nwb_age AS age_days, nwb_bir_wt AS birth_weight
FROM cases;

CREATE OR REPLACE TEMP VIEW dipg_in_dx AS
SELECT setl_id, seq, diag_code AS code, diag_code_raw AS raw
FROM case_diagnoses;

CREATE OR REPLACE TEMP VIEW dipg_in_proc AS
SELECT setl_id, seq, oprn_code AS code, oprn_code_raw AS raw
FROM case_procedures;

CREATE OR REPLACE TEMP VIEW dipg_proc_attr AS
SELECT code, category
FROM codes
WHERE kind = 'procedure' AND category IS NOT NULL;
