-- DIP 技术规范（2020）§5 医疗机构等级系数，按病种调整 (dip.coefficient.method = 'casemix'):
-- statistics input (all cases, untrimmed) for each hospital level over its grouped cases that
-- are not 基层病种 (the coefficient never applies to those): 'LC|<lv>' = the case's cost and
-- 'LE|<lv>' = its expected cost, the mean cost of its group (cat_groups.mean_cost, the
-- groups.csv figure the score is made of). Both sets hold the same cases in the same years, so
-- their year-weighted means compare like with like; 11_coefficients divides them.
CREATE OR REPLACE TEMP VIEW cat_stat_input AS
SELECT 'LC|' || h.hosp_lv AS set_key, h.case_year, h.cost, h.los, h.drug, h.material
FROM cat_case_groups c
JOIN cat_history h ON h.setl_id = c.setl_id
WHERE c.group_code IS NOT NULL AND h.hosp_lv IS NOT NULL
  AND c.group_code NOT IN (SELECT group_code FROM cat_primary)
UNION ALL
SELECT 'LE|' || h.hosp_lv, h.case_year, g.mean_cost, h.los, h.drug, h.material
FROM cat_case_groups c
JOIN cat_history h ON h.setl_id = c.setl_id
JOIN cat_groups g ON g.group_code = c.group_code
WHERE c.group_code IS NOT NULL AND h.hosp_lv IS NOT NULL
  AND c.group_code NOT IN (SELECT group_code FROM cat_primary);
