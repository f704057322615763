-- DIP 技术规范（2020）§5 医疗机构等级系数 / DESIGN §4.6, one row per level (group_code NULL =
-- every group), by $coefficient_method:
--   'level_mean' (DESIGN §4.6 default): year-weighted mean cost of the level's cases / M;
--   'casemix' (按病种调整): year-weighted mean cost of the level's non-基层 grouped cases / the
--     year-weighted mean of their expected costs (each case's group mean), from
--     10b_casemix_input.sql ('LC|' / 'LE|' in cat_casemix_stats; empty for 'level_mean').
-- With $per_group, a group whose cases at a level reach $per_group_min_cases gets its own
-- coefficient = the level's mean in the group / the group's mean (both untrimmed).
-- 基层病种 get no per-group row and the scorer gives them coefficient 1.
CREATE OR REPLACE TEMP TABLE cat_coefficients AS
WITH group_levels AS (
    SELECT DISTINCT g.group_code, h.hosp_lv
    FROM cat_case_groups g
    JOIN cat_history h ON h.setl_id = g.setl_id
    WHERE g.group_code IS NOT NULL AND h.hosp_lv IS NOT NULL
)
SELECT
    SUBSTRING(l.set_key, 3) AS hosp_lv,
    CAST(NULL AS VARCHAR) AS group_code,
    dip_div4(l.mean_cost, r.mean_cost) AS coefficient,
    l.case_count
FROM cat_coef_stats l
CROSS JOIN cat_region_stats r
WHERE l.set_key LIKE 'L|%' AND $coefficient_method = 'level_mean'
UNION ALL
SELECT
    SUBSTRING(a.set_key, 4) AS hosp_lv,
    CAST(NULL AS VARCHAR) AS group_code,
    dip_div4(a.mean_cost, e.mean_cost) AS coefficient,
    a.case_count
FROM cat_casemix_stats a
JOIN cat_casemix_stats e ON e.set_key = 'LE|' || SUBSTRING(a.set_key, 4)
WHERE a.set_key LIKE 'LC|%' AND $coefficient_method = 'casemix'
UNION ALL
SELECT
    k.hosp_lv,
    k.group_code,
    dip_div4(gl.mean_cost, g.mean_cost) AS coefficient,
    gl.case_count
FROM group_levels k
JOIN cat_coef_stats gl ON gl.set_key = 'GL|' || k.group_code || '|' || k.hosp_lv
JOIN cat_coef_stats g ON g.set_key = 'G|' || k.group_code
WHERE $per_group
  AND gl.case_count >= $per_group_min_cases
  AND k.group_code NOT IN (SELECT group_code FROM cat_primary);
