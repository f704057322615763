-- Monthly payments already made in the year (DESIGN.md §4.5: the clearance subtracts them):
-- for each month, the latest stored monthly run of the method; summed per hospital.
CREATE OR REPLACE TEMP TABLE tmp_settle_monthly_paid AS
WITH period_runs AS (
    SELECT DISTINCT m.period, m.run_id, r.started_at
    FROM settle_monthly m
    JOIN runs r ON r.run_id = m.run_id
    WHERE m.method = $method AND m.period LIKE $year_prefix
), latest AS (
    SELECT period, run_id,
           ROW_NUMBER() OVER (PARTITION BY period ORDER BY started_at DESC, run_id DESC) AS rn
    FROM period_runs
)
SELECT m.fixmedins_code,
       SUM(m.gross_due) AS monthly_gross,
       SUM(m.reserve) AS reserve_withheld,
       SUM(m.payable) AS monthly_paid,
       COUNT(DISTINCT m.period) AS months_paid
FROM settle_monthly m
JOIN latest l ON l.run_id = m.run_id AND l.period = m.period AND l.rn = 1
GROUP BY m.fixmedins_code
