-- Monthly payments of a what-if (computed, not stored): the same sums as monthly_paid_runs.sql
-- over the months just computed in tmp_settle_monthly.
CREATE OR REPLACE TEMP TABLE tmp_settle_monthly_paid AS
SELECT fixmedins_code,
       SUM(gross_due) AS monthly_gross,
       SUM(reserve) AS reserve_withheld,
       SUM(payable) AS monthly_paid,
       COUNT(DISTINCT period) AS months_paid
FROM tmp_settle_monthly_all
GROUP BY fixmedins_code
