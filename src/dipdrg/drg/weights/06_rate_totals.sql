-- CHS-DRG 费率测算 / DESIGN §5 "rate = DRG budget / total weight": the year's grouped cases with a
-- weight ([$date_from, $date_to) on the settlement-year date): count, total weight Σ round(RW ×
-- coefficient, 4) (outliers not applied: the rate must not depend on the outlier rule it feeds),
-- total cost and fund paid. The divisions are made by the caller in exact decimals.
SELECT COUNT(*) AS cases,
       COALESCE(SUM(ROUND(CAST(rw AS DECIMAL(38,4)) * coefficient, 4)), 0) AS total_weight,
       COALESCE(SUM(medfee_sumamt), 0) AS total_cost,
       COALESCE(SUM(hifp_pay), 0) AS total_fund
FROM drgs_cases
WHERE drg IS NOT NULL AND rw IS NOT NULL
  AND basis_date >= $date_from AND basis_date < $date_to
