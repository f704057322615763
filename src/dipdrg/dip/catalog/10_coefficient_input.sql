-- DIP 技术规范（2020）§5 医疗机构等级系数 / DESIGN §4.6 "Scores and coefficients": statistics
-- input (all cases, untrimmed) of each hospital level ('L|<lv>', every usable case), each group
-- ('G|<group>') and each group at each level ('GL|<group>|<lv>'; used only with per-group
-- coefficients, computed always because a view cannot take parameters).
CREATE OR REPLACE TEMP VIEW cat_stat_input AS
SELECT 'L|' || h.hosp_lv AS set_key, h.case_year, h.cost, h.los, h.drug, h.material
FROM cat_history h
WHERE h.status = 'ok' AND h.hosp_lv IS NOT NULL
UNION ALL
SELECT 'G|' || g.group_code, h.case_year, h.cost, h.los, h.drug, h.material
FROM cat_case_groups g
JOIN cat_history h ON h.setl_id = g.setl_id
WHERE g.group_code IS NOT NULL
UNION ALL
SELECT 'GL|' || g.group_code || '|' || h.hosp_lv, h.case_year, h.cost, h.los, h.drug, h.material
FROM cat_case_groups g
JOIN cat_history h ON h.setl_id = g.setl_id
WHERE g.group_code IS NOT NULL AND h.hosp_lv IS NOT NULL;
