-- DIP 技术规范（2020）§5 基层病种 / DESIGN §4.3: groups paid with one score at every hospital
-- level (no institution coefficient). mode 'list': the policy's list (cat_primary_list);
-- mode 'rule': core groups with CV ≤ $max_cv whose share of cases treated in the
-- $primary_care_levels hospitals (cat_primary_levels) is ≥ $min_share; mode 'national': core
-- groups matching a row of the national 基层病种 list (cat_national_primary: key, principal
-- procedure or '' = conservative) as the grouper flags a case — the row's key equals the
-- group's key or is its 3-character category, and the principal procedure is the same;
-- mode 'none': no group.
CREATE OR REPLACE TEMP TABLE cat_primary AS
WITH shares AS (
    SELECT g.group_code,
           COUNT(*) AS n,
           SUM(CASE WHEN h.hosp_lv IN (SELECT hosp_lv FROM cat_primary_levels) THEN 1 ELSE 0 END) AS n_levels
    FROM cat_case_groups g
    JOIN cat_history h ON h.setl_id = g.setl_id
    WHERE g.group_type = 'core'
    GROUP BY g.group_code
)
SELECT g.group_code
FROM cat_groups g
JOIN shares s ON s.group_code = g.group_code
WHERE $primary_care_mode = 'rule'
  AND g.cv <= CAST($max_cv AS DECIMAL(18,4))
  AND s.n_levels >= CAST($min_share AS DECIMAL(9,6)) * s.n
UNION
SELECT g.group_code
FROM cat_groups g
WHERE $primary_care_mode = 'list'
  AND g.group_code IN (SELECT group_code FROM cat_primary_list)
UNION
SELECT k.group_code
FROM (SELECT DISTINCT group_code, dx_key, pp FROM cat_case_groups WHERE group_type = 'core') k
JOIN cat_national_primary n
  ON (n.dx_key = k.dx_key OR n.dx_key = SUBSTRING(k.dx_key, 1, 3)) AND n.pp = COALESCE(k.pp, '')
WHERE $primary_care_mode = 'national';
