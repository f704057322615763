-- DIP 技术规范（2020）§5 辅助目录 / DESIGN §4.3: a subtype is used only when it has at least
-- $min_cases cases (3 years), its group's CV exceeds $group_cv_min, and splitting it off cuts
-- the group's CV by at least $cv_reduction (cv_after = CV of the rest ≤ (1 − share) × cv_before).
-- Coefficient = subtype mean / group mean (year-weighted, all cases), 4 decimals half up.
CREATE OR REPLACE TEMP TABLE cat_aux_types AS
WITH subtypes AS (
    SELECT DISTINCT g.group_code, a.aux_kind, a.subtype
    FROM aux_case_subtypes a
    JOIN cat_case_groups g ON g.setl_id = a.setl_id
    WHERE g.group_code IS NOT NULL
      AND a.aux_kind IN (SELECT aux_kind FROM cat_aux_kinds)
)
SELECT
    k.group_code,
    k.aux_kind,
    k.subtype,
    dip_div4(s.mean_cost, g.mean_cost) AS coefficient,
    s.case_count,
    g.cv AS cv_before,
    r.cv AS cv_after
FROM subtypes k
JOIN cat_aux_stats s ON s.set_key = 'S|' || k.group_code || '|' || k.aux_kind || '|' || k.subtype
JOIN cat_aux_stats r ON r.set_key = 'R|' || k.group_code || '|' || k.aux_kind || '|' || k.subtype
JOIN cat_coef_stats g ON g.set_key = 'G|' || k.group_code
WHERE s.case_count >= $min_cases
  AND g.cv > CAST($group_cv_min AS DECIMAL(18,4))
  AND r.cv <= (1 - CAST($cv_reduction AS DECIMAL(9,6))) * g.cv;
