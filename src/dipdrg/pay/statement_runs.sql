-- The runs a year's statements are drawn from: the latest annual run of the method for the
-- year, and for each month the latest monthly run (the same choice as the clearance makes).
WITH annual AS (
    SELECT a.run_id, r.started_at
    FROM (SELECT DISTINCT run_id FROM settle_annual WHERE method = $method AND period = $period) a
    JOIN runs r ON r.run_id = a.run_id
), monthly AS (
    SELECT DISTINCT m.period, m.run_id, r.started_at
    FROM settle_monthly m
    JOIN runs r ON r.run_id = m.run_id
    WHERE m.method = $method AND m.period LIKE $year_prefix
), ranked AS (
    SELECT 'annual' AS kind, $period AS period, run_id,
           ROW_NUMBER() OVER (ORDER BY started_at DESC, run_id DESC) AS rn
    FROM annual
    UNION ALL
    SELECT 'monthly' AS kind, period, run_id,
           ROW_NUMBER() OVER (PARTITION BY period ORDER BY started_at DESC, run_id DESC) AS rn
    FROM monthly
)
SELECT kind, period, run_id FROM ranked WHERE rn = 1 ORDER BY kind, period
