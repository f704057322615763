-- Step 7: one group per case among the matching rules (DESIGN §4.1, §4.6 "Grouping a new
-- case"): the earliest layer in the national order; then the most matched related procedures;
-- a 4-character key before a 3-character one; the higher score; the lower group code (national
-- codes carry the workbook's 序号, so this is also the workbook order).
CREATE OR REPLACE TEMP TABLE dipg_core AS
SELECT setl_id, rule_id
FROM (
    SELECT
        m.setl_id,
        m.rule_id,
        ROW_NUMBER() OVER (
            PARTITION BY m.setl_id
            ORDER BY r.layer_order, r.rel_rank DESC, m.dx_len DESC, r.score DESC NULLS LAST,
                     r.group_code, r.rule_id
        ) AS rn
    FROM dipg_match AS m
    JOIN dipg_r_rule AS r ON r.rule_id = m.rule_id
    WHERE r.layer <> 'primary_care'
) AS ranked
WHERE rn = 1;
