-- Preparation step 2 of the quality run: diagnoses whose ICD-10 category is limited to one
-- sex or an age band (qc_dx_limited), for QC-306 and QC-307.
-- One pass over case_diagnoses joined on the 3-character category to qc_conflicts (the rows
-- of quality/conflicts.csv, one per category); diag_code is the canonical upper-case code.
SELECT d.setl_id, d.seq, d.diag_code, k.kind, k.sex, k.age_min, k.age_max, k.age_unit, k.label
FROM case_diagnoses d
JOIN qc_conflicts k ON k.category = SUBSTRING(d.diag_code, 1, 3)
