-- DIP 技术规范（2020）§4 病种次均费用: the statistics input of the final groups (trimmed per
-- group-year by the shared steps) plus the whole region ('*ALL*', all usable cases, untrimmed
-- by the caller) for the regional means M, dM (drugs) and cM (consumables).
CREATE OR REPLACE TEMP VIEW cat_stat_input AS
SELECT g.group_code AS set_key, h.case_year, h.cost, h.los, h.drug, h.material
FROM cat_case_groups g
JOIN cat_history h ON h.setl_id = g.setl_id
WHERE g.group_code IS NOT NULL;
