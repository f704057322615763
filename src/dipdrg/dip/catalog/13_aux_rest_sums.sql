-- DIP 技术规范（2020）§5 辅助目录: the rest of a group once a subtype is split off
-- ('R|<group>|<kind>|<subtype>') = the group's yearly sums minus the subtype's (all cases, so
-- sums subtract exactly); kept with the subtype rows for the shared weighting step.
CREATE OR REPLACE TEMP TABLE cat_year_sums AS
WITH subtypes AS (
    SELECT DISTINCT g.group_code, a.aux_kind, a.subtype
    FROM aux_case_subtypes a
    JOIN cat_case_groups g ON g.setl_id = a.setl_id
    WHERE g.group_code IS NOT NULL
      AND a.aux_kind IN (SELECT aux_kind FROM cat_aux_kinds)
)
SELECT * FROM cat_aux_sub_sums
UNION ALL
SELECT
    'R|' || k.group_code || '|' || k.aux_kind || '|' || k.subtype AS set_key,
    g.case_year,
    g.n_all - COALESCE(s.n_all, 0) AS n_all,
    g.n - COALESCE(s.n, 0) AS n,
    g.s_cost - COALESCE(s.s_cost, 0) AS s_cost,
    g.s_cost2 - COALESCE(s.s_cost2, 0) AS s_cost2,
    g.n_los - COALESCE(s.n_los, 0) AS n_los,
    g.s_los - COALESCE(s.s_los, 0) AS s_los,
    g.s_drug - COALESCE(s.s_drug, 0) AS s_drug,
    g.s_material - COALESCE(s.s_material, 0) AS s_material
FROM subtypes k
JOIN cat_coef_year_sums g ON g.set_key = 'G|' || k.group_code
LEFT JOIN cat_aux_sub_sums s
  ON s.set_key = 'S|' || k.group_code || '|' || k.aux_kind || '|' || k.subtype
 AND s.case_year = g.case_year;
