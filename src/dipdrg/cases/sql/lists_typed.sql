-- Step: type the diagnosis and procedure rows (诊断/手术操作信息).
-- Codes stay as given (trimmed) in *_raw; the normaliser fills the 医保版 code later.
CREATE OR REPLACE TEMP TABLE imp_dx AS
SELECT source_row, seq, diag_code AS diag_code_raw, diag_name,
       coalesce(imp_flag(main_flag), FALSE) AS maindiag_flag, adm_cond_type,
       main_flag, side_file, side_row
FROM imp_stage_dx;

CREATE OR REPLACE TEMP TABLE imp_op AS
SELECT source_row, seq, oprn_code AS oprn_code_raw, oprn_name,
       imp_ts(imp_text(oprn_date)) AS oprn_date, oprn_date AS oprn_date_text,
       coalesce(imp_flag(main_flag), FALSE) AS main_oprn_flag, imp_text(anst_way) AS anst_way,
       imp_text(oper_dr_code) AS oper_dr_code, main_flag, side_file, side_row
FROM imp_stage_op;
