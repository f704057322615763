-- CHS-DRG 相对权重 / DESIGN §5, §4.6 "Trimming": the regional mean cost M over all grouped
-- history cases, untrimmed (the caller runs the untrimmed statistics step on this view).
CREATE OR REPLACE TEMP VIEW cat_stat_input AS
SELECT '*ALL*' AS set_key, case_year, cost, los,
       CAST(NULL AS DECIMAL(18,2)) AS drug, CAST(NULL AS DECIMAL(18,2)) AS material
FROM drgw_history
WHERE status = 'ok';
