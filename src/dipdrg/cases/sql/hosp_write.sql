-- Step: store new registry rows (their quarantine and duplicates: write_rejected.sql).
INSERT INTO hospitals (fixmedins_code, fixmedins_name, hosp_lv, hosp_type, county, import_id)
SELECT t.fixmedins_code, t.fixmedins_name, t.hosp_lv, t.hosp_type, t.county, {{import_id}}
FROM imp_htyped t JOIN imp_outcome o ON o.source_row = t.source_row
WHERE o.outcome = 'load';
