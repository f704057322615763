-- 入组率 (grouping rate) of one run, per hospital and overall (the row with hospital NULL):
-- grouped cases / all cases; also the split core / comprehensive / 基层病种. The total row is
-- told apart by GROUPING() (a hospital code may itself be NULL) and carries no name.
-- GROUPING SETS is standard SQL (Spark supports it).
SELECT
    c.fixmedins_code,
    CASE WHEN GROUPING(c.fixmedins_code) = 0 THEN MAX(COALESCE(h.fixmedins_name, c.fixmedins_name)) END AS fixmedins_name,
    COUNT(*) AS cases,
    SUM(CASE WHEN g.status = 'grouped' THEN 1 ELSE 0 END) AS grouped,
    SUM(CASE WHEN g.group_type = 'core' THEN 1 ELSE 0 END) AS core,
    SUM(CASE WHEN g.group_type = 'comprehensive' THEN 1 ELSE 0 END) AS comprehensive,
    SUM(CASE WHEN g.primary_care THEN 1 ELSE 0 END) AS primary_care,
    SUM(CASE WHEN g.status = 'ungrouped' THEN 1 ELSE 0 END) AS ungrouped,
    GROUPING(c.fixmedins_code) = 1 AS is_total
FROM dip_case_groups AS g
JOIN cases AS c ON c.setl_id = g.setl_id
LEFT JOIN hospitals AS h ON h.fixmedins_code = c.fixmedins_code
WHERE g.run_id = $run_id
GROUP BY GROUPING SETS ((c.fixmedins_code), ())
ORDER BY GROUPING(c.fixmedins_code) DESC, c.fixmedins_code NULLS FIRST;
