-- DIP 技术规范（2020）§4 病例数临界值（覆盖率法）: the largest case-count threshold T at which
-- the (diagnosis key, principal procedure) pairs with at least T cases still cover
-- $coverage_target of all usable history cases — i.e. keep the largest pairs until the target
-- is reached; T is the size of the smallest pair kept.
CREATE OR REPLACE TEMP TABLE cat_threshold AS
WITH pairs AS (
    SELECT dx_key, pp, COUNT(*) AS n
    FROM cat_history
    WHERE status = 'ok'
    GROUP BY dx_key, pp
),
sizes AS (
    SELECT n AS t, SUM(n) AS cases_at_t FROM pairs GROUP BY n
),
covered AS (
    SELECT t, SUM(cases_at_t) OVER (ORDER BY t DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS covered
    FROM sizes
),
total AS (
    SELECT SUM(n) AS n_total FROM pairs
)
SELECT MAX(c.t) AS threshold
FROM covered c CROSS JOIN total
WHERE c.covered >= CAST($coverage_target AS DECIMAL(9,6)) * total.n_total;
