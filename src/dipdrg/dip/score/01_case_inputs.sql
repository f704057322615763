-- DIP 技术规范（2020）§5 病例分值 / DESIGN §4.3, §4.6: every case of the grouping run
-- $group_run with its hospital level, the pack's group score and 基层 flag, the institution
-- coefficient (1 for 基层病种; else the group's own coefficient at the level, else the level's
-- coefficient for all groups; 1 with level_missing when the level has none) and the auxiliary
-- coefficient (the highest among the case's subtypes used by the pack; ties: severity, age,
-- icu; 1 when none).
CREATE OR REPLACE TEMP TABLE sc_cases AS
WITH aux AS (
    SELECT a.setl_id, p.aux_kind, p.coefficient,
           ROW_NUMBER() OVER (PARTITION BY a.setl_id ORDER BY p.coefficient DESC,
               CASE p.aux_kind WHEN 'severity' THEN 1 WHEN 'age' THEN 2 ELSE 3 END) AS pick
    FROM aux_case_subtypes a
    JOIN dip_case_groups g ON g.setl_id = a.setl_id AND g.run_id = $group_run
    JOIN pack_aux p ON p.group_code = g.group_code AND p.aux_kind = a.aux_kind AND p.subtype = a.subtype
)
SELECT
    g.setl_id,
    c.fixmedins_code,
    h.hosp_lv,
    g.group_code,
    COALESCE(pg.group_type, g.group_type) AS group_type,
    pg.primary_care,
    pg.score AS base_score,
    pg.group_code IS NOT NULL AS in_pack,
    CASE WHEN g.group_code IS NULL THEN NULL
         WHEN pg.primary_care THEN CAST(1 AS DECIMAL(18,4))
         ELSE COALESCE(own.coefficient, lv.coefficient, CAST(1 AS DECIMAL(18,4))) END AS level_coefficient,
    g.group_code IS NOT NULL AND NOT COALESCE(pg.primary_care, FALSE)
        AND own.coefficient IS NULL AND lv.coefficient IS NULL AS level_missing,
    CASE WHEN g.group_code IS NOT NULL THEN x.aux_kind END AS aux_kind,
    CASE WHEN g.group_code IS NOT NULL THEN COALESCE(x.coefficient, CAST(1 AS DECIMAL(18,4))) END AS aux_coefficient,
    c.medfee_sumamt
FROM dip_case_groups g
JOIN cases c ON c.setl_id = g.setl_id
LEFT JOIN hospitals h ON h.fixmedins_code = c.fixmedins_code
LEFT JOIN pack_groups pg ON pg.group_code = g.group_code
LEFT JOIN pack_coefficients own ON own.group_code = g.group_code AND own.hosp_lv = h.hosp_lv
LEFT JOIN pack_coefficients lv ON lv.group_code IS NULL AND lv.hosp_lv = h.hosp_lv
LEFT JOIN aux x ON x.setl_id = g.setl_id AND x.pick = 1
WHERE g.run_id = $group_run;
