-- DESIGN §4.6 "Related-procedure rule" (DIP 技术规范（2020）§4: a related procedure that adds
-- ≥ 10 % to the cost forms its own group): a combination (pair + related-procedure set) becomes
-- its own core group iff its 3-year case count reaches $threshold and its weighted mean is at
-- least (1 + $related_share) × the mean of the pair's base cases (no other procedure);
-- otherwise it folds into the pair. A pair without base cases cannot split (no reference).
CREATE OR REPLACE TEMP TABLE cat_combo_decisions AS
WITH combos AS (
    SELECT DISTINCT dx_key, pp, related, n_related
    FROM cat_history
    WHERE status = 'ok' AND related IS NOT NULL
)
SELECT
    k.dx_key,
    k.pp,
    k.related,
    k.n_related,
    c.case_count,
    c.mean_cost,
    b.case_count AS base_case_count,
    b.mean_cost AS base_mean_cost,
    dip_div4(c.mean_cost - b.mean_cost, b.mean_cost) AS uplift,
    COALESCE(c.case_count >= $threshold
             AND c.mean_cost >= (1 + CAST($related_share AS DECIMAL(9,6))) * b.mean_cost, FALSE) AS is_core
FROM combos k
JOIN cat_combo_stats c ON c.set_key = 'C|' || k.dx_key || '|' || k.pp || '|' || k.related
LEFT JOIN cat_combo_stats b ON b.set_key = 'B|' || k.dx_key || '|' || k.pp;
