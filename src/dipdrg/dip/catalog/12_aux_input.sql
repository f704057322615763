-- DIP 技术规范（2020）§5 辅助目录 / DESIGN §4.3: statistics input (untrimmed) of each
-- auxiliary subtype within each group ('S|<group>|<kind>|<subtype>'), for the enabled kinds.
CREATE OR REPLACE TEMP VIEW cat_stat_input AS
SELECT 'S|' || g.group_code || '|' || a.aux_kind || '|' || a.subtype AS set_key,
       h.case_year, h.cost, h.los, h.drug, h.material
FROM aux_case_subtypes a
JOIN cat_case_groups g ON g.setl_id = a.setl_id
JOIN cat_history h ON h.setl_id = a.setl_id
WHERE g.group_code IS NOT NULL
  AND a.aux_kind IN (SELECT aux_kind FROM cat_aux_kinds);
