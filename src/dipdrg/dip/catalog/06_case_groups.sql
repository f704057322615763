-- DESIGN §4.6 "Related-procedure rule" and "Grouping a new case", applied to the history:
-- 1. a case whose related procedures include every related procedure of a core combination of
--    its pair goes to that combination (most matched related procedures; ties: higher mean
--    cost, then the combination text), as the grouper will put it;
-- 2. the other cases stay with their pair (or conservative key); the pair is core iff its
--    remaining count reaches $threshold;
-- 3. otherwise the case folds into the comprehensive group: 3-character category × treatment
--    attribute of the principal procedure (no threshold); with no known attribute it stays
--    without group (reported, never guessed).
-- Group codes: core "<dx key>:<procedures>" ("<dx key>:C" conservative), comprehensive
-- "<dx3>:ZS/ZZ/ZD/ZN" (相关手术 / 治疗性操作 / 诊断性操作 / 内科诊疗).
CREATE OR REPLACE TEMP TABLE cat_case_groups AS
WITH core_combos AS (
    SELECT dx_key, pp, related, n_related, mean_cost
    FROM cat_combo_decisions
    WHERE is_core
),
combo_terms AS (
    SELECT DISTINCT k.dx_key, k.pp, k.related, k.n_related, k.mean_cost, t.oprn_code
    FROM core_combos k
    JOIN (SELECT dx_key, pp, related, MIN(setl_id) AS setl_id
          FROM cat_history WHERE status = 'ok' AND related IS NOT NULL
          GROUP BY dx_key, pp, related) rep
      ON rep.dx_key = k.dx_key AND rep.pp = k.pp AND rep.related = k.related
    JOIN cat_case_terms t ON t.setl_id = rep.setl_id
),
matched AS (
    SELECT h.setl_id, ct.related, ct.n_related, ct.mean_cost
    FROM cat_history h
    JOIN combo_terms ct ON ct.dx_key = h.dx_key AND ct.pp = h.pp
    JOIN cat_case_terms t ON t.setl_id = h.setl_id AND t.oprn_code = ct.oprn_code
    WHERE h.status = 'ok' AND h.related IS NOT NULL
    GROUP BY h.setl_id, ct.related, ct.n_related, ct.mean_cost
    HAVING COUNT(*) = ct.n_related
),
best AS (
    SELECT setl_id, related,
           ROW_NUMBER() OVER (PARTITION BY setl_id ORDER BY n_related DESC, mean_cost DESC, related) AS pick
    FROM matched
),
staged AS (
    SELECT h.setl_id, h.dx_key, h.dx3, h.pp, h.treatment, b.related AS combo
    FROM cat_history h
    LEFT JOIN best b ON b.setl_id = h.setl_id AND b.pick = 1
    WHERE h.status = 'ok'
),
pair_counts AS (
    SELECT dx_key, pp, COUNT(*) AS n
    FROM staged
    WHERE combo IS NULL
    GROUP BY dx_key, pp
)
SELECT
    s.setl_id,
    CASE
        WHEN s.combo IS NOT NULL THEN s.dx_key || ':' || s.pp || '+' || s.combo
        WHEN p.n >= $threshold THEN s.dx_key || ':' || COALESCE(s.pp, 'C')
        WHEN s.treatment IS NOT NULL THEN s.dx3 || ':' || CASE s.treatment
            WHEN '相关手术' THEN 'ZS' WHEN '治疗性操作' THEN 'ZZ' WHEN '诊断性操作' THEN 'ZD' ELSE 'ZN' END
    END AS group_code,
    CASE
        WHEN s.combo IS NOT NULL OR p.n >= $threshold THEN 'core'
        WHEN s.treatment IS NOT NULL THEN 'comprehensive'
    END AS group_type,
    CASE WHEN s.combo IS NOT NULL OR p.n >= $threshold THEN s.dx_key ELSE s.dx3 END AS dx_key,
    CASE
        WHEN s.combo IS NOT NULL THEN s.pp || '+' || s.combo
        WHEN p.n >= $threshold THEN s.pp
    END AS procedures,
    CASE
        WHEN s.combo IS NOT NULL OR (p.n >= $threshold AND s.pp IS NOT NULL) THEN '手术操作'
        WHEN p.n >= $threshold THEN '保守治疗'
        ELSE s.treatment
    END AS treatment,
    s.pp,
    s.combo
FROM staged s
LEFT JOIN pair_counts p ON p.dx_key = s.dx_key AND p.pp IS NOT DISTINCT FROM s.pp AND s.combo IS NULL;
