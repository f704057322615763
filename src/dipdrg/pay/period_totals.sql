-- Regional totals per settlement period over the grouped cases (DESIGN.md §4.6 "Point values":
-- ungrouped cases are outside DIP): case count, total units (score), total cost, fund paid.
-- The divisions (fund ratio, point value) are made on these sums in exact decimals by the caller.
SELECT period,
       COUNT(*) AS grouped_cases,
       COALESCE(SUM(units), 0) AS total_units,
       COALESCE(SUM(medfee_sumamt), 0) AS total_cost,
       COALESCE(SUM(hifp_pay), 0) AS total_fund
FROM tmp_settle_basis
WHERE in_scope
GROUP BY period
ORDER BY period
