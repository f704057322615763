-- Step 6: keep the candidates whose every condition holds: all further procedure terms present
-- on the case (each term: any one of its alternatives; 相关手术 may be anywhere), secondary
-- diagnosis keys (burn area, tumour site), newborn age in days and birth-weight band, and TB
-- drug resistance. Rules with no further condition (r.simple) match as seeded.
CREATE OR REPLACE TEMP TABLE dipg_match AS
WITH complex AS (
    SELECT c.setl_id, c.rule_id, c.dx_len
    FROM dipg_cand AS c
    JOIN dipg_r_rule AS r ON r.rule_id = c.rule_id
    WHERE r.simple = FALSE
),
term_ok AS (
    SELECT c.setl_id, c.rule_id
    FROM complex AS c
    JOIN dipg_r_rule AS r ON r.rule_id = c.rule_id
    JOIN dipg_r_term AS t ON t.rule_id = c.rule_id
    JOIN dipg_proc AS p ON p.setl_id = c.setl_id AND p.code = t.code
    WHERE r.n_check > 0
    GROUP BY c.setl_id, c.rule_id, r.n_check
    HAVING COUNT(DISTINCT t.term_no) = r.n_check
),
sdx_ok AS (
    SELECT DISTINCT c.setl_id, c.rule_id
    FROM complex AS c
    JOIN dipg_r_sdx AS s ON s.rule_id = c.rule_id
    JOIN dipg_case_dx AS k ON k.setl_id = c.setl_id AND k.dx_key = s.dx_key AND k.role = 'S'
)
SELECT c.setl_id, c.rule_id, c.dx_len
FROM dipg_cand AS c
JOIN dipg_r_rule AS r ON r.rule_id = c.rule_id
WHERE r.simple = TRUE
UNION ALL
SELECT c.setl_id, c.rule_id, c.dx_len
FROM complex AS c
JOIN dipg_r_rule AS r ON r.rule_id = c.rule_id
JOIN dipg_case AS k ON k.setl_id = c.setl_id
LEFT JOIN term_ok AS t ON t.setl_id = c.setl_id AND t.rule_id = c.rule_id
LEFT JOIN sdx_ok AS s ON s.setl_id = c.setl_id AND s.rule_id = c.rule_id
WHERE (r.n_check = 0 OR t.rule_id IS NOT NULL)
  AND (r.need_sdx = FALSE OR s.rule_id IS NOT NULL)
  AND (r.max_age_days IS NULL OR k.age_days <= r.max_age_days)
  AND (r.min_weight IS NULL OR k.birth_weight >= r.min_weight)
  AND (r.max_weight IS NULL OR k.birth_weight <= r.max_weight)
  AND (r.resistant IS NULL OR r.resistant = k.resistant);
