-- CHS-DRG 相对权重 / DESIGN §5: the statistics input per DRG (m_i, the group mean), read by the
-- shared DIP statistics steps (dip/catalog/stats_*.sql: trimmed per DRG-year, then 1:2:7
-- weighted with renormalisation). Drug and consumable means are not used for DRG weights.
CREATE OR REPLACE TEMP VIEW cat_stat_input AS
SELECT drg AS set_key, case_year, cost, los,
       CAST(NULL AS DECIMAL(18,2)) AS drug, CAST(NULL AS DECIMAL(18,2)) AS material
FROM drgw_history
WHERE status = 'ok';
