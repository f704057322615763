-- The procedures the build reads (cat_procedures: setl_id, seq, oprn_code; seq 0 = principal)
-- and the cases left out by a national catalog's 不纳入分组诊断 (cat_excluded_cases). Without
-- --national every normalised procedure counts as recorded and no case is left out.
CREATE OR REPLACE TEMP VIEW cat_procedures AS
SELECT setl_id, seq, oprn_code
FROM case_procedures;

CREATE OR REPLACE TEMP TABLE cat_excluded_cases (setl_id VARCHAR);
