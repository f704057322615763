-- DESIGN §4.6 "Trimming": the regional mean M (and dM, cM) uses all usable history cases.
CREATE OR REPLACE TEMP VIEW cat_stat_input AS
SELECT '*ALL*' AS set_key, case_year, cost, los, drug, material
FROM cat_history
WHERE status = 'ok';
