-- DIP 技术规范（2020）§6 预算点值 / DESIGN §4.6 "Point values": per history year, the total cost
-- and the total score (Σ RW of the year's grouped cases); the budget point value formula itself
-- is dipdrg.dip.score.point_value.budget_point_value. Ungrouped cases are outside DIP.
CREATE OR REPLACE TEMP TABLE cat_pv_years AS
SELECT h.case_year, COUNT(*) AS cases, SUM(h.cost) AS cost, SUM(g.score) AS score
FROM cat_case_groups c
JOIN cat_history h ON h.setl_id = c.setl_id
JOIN cat_groups g ON g.group_code = c.group_code
GROUP BY h.case_year;
