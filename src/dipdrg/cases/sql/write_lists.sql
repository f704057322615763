-- Step: store the diagnoses and procedures of the loaded rows; the 医保版 code comes from the
-- normaliser's map (NULL when it could not be normalised), the input stays in *_raw.
INSERT INTO case_diagnoses (setl_id, seq, diag_code_raw, diag_code, diag_name, maindiag_flag, adm_cond_type)
SELECT o.setl_id, d.seq, d.diag_code_raw, m.code, d.diag_name, d.maindiag_flag, d.adm_cond_type
FROM imp_dx d
JOIN imp_outcome o ON o.source_row = d.source_row AND o.outcome = 'load'
LEFT JOIN imp_dx_map m ON m.raw = d.diag_code_raw;

INSERT INTO case_procedures (setl_id, seq, oprn_code_raw, oprn_code, oprn_name, oprn_date,
                             main_oprn_flag, anst_way, oper_dr_code)
SELECT o.setl_id, p.seq, p.oprn_code_raw, m.code, p.oprn_name, p.oprn_date, p.main_oprn_flag,
       p.anst_way, p.oper_dr_code
FROM imp_op p
JOIN imp_outcome o ON o.source_row = p.source_row AND o.outcome = 'load'
LEFT JOIN imp_op_map m ON m.raw = p.oprn_code_raw;
