-- DIP 3.0 不纳入分组诊断 / 不纳入分组手术, applied to the history (build-catalog --national):
-- the grouper's own steps 01_principal_dx, 03_effective_procedures and 04_case_facts have run
-- against the national pack's exclusion tables (dipdrg.dip.group.steps), so the rules live
-- only there. Here their results become the build's inputs:
--   cat_procedures: seq 0 = the grouper's principal procedure (first counting procedure that
--     may be principal); every counting procedure after it (seq + 1), so 'ignore' procedures
--     and those not allowed for the diagnosis are gone and 'not_principal' ones stay related;
--   cat_excluded_cases: principal diagnosis on the 不纳入分组诊断 list (left out, counted).
CREATE OR REPLACE TEMP TABLE cat_national_procedures AS
SELECT setl_id, 0 AS seq, pp AS oprn_code
FROM dipg_case
WHERE pp IS NOT NULL
UNION ALL
SELECT setl_id, seq + 1 AS seq, code AS oprn_code
FROM dipg_proc;

CREATE OR REPLACE TEMP VIEW cat_procedures AS
SELECT setl_id, seq, oprn_code
FROM cat_national_procedures;

CREATE OR REPLACE TEMP TABLE cat_excluded_cases AS
SELECT setl_id
FROM dipg_case
WHERE stop_reason = 'PDX_EXCLUDED';
