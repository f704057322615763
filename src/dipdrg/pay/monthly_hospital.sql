-- Monthly prepayment per hospital (月度预付, DESIGN.md §4.5):
--   gross    = Σ case fund due (basis 'score') or Σ billed fund amount (basis 'billed')
--   reserve  = round(gross × quality reserve ratio, 2)        (质量保证金)
--   payable  = gross − reserve − the month's audit deductions   (审核扣款)
-- A hospital with a deduction but no case in the month still gets its row (nothing lost).
CREATE OR REPLACE TEMP TABLE tmp_settle_monthly AS
WITH c AS (
    SELECT period,
           fixmedins_code,
           COUNT(CASE WHEN in_scope THEN 1 END) AS dip_cases,
           COALESCE(SUM(CASE WHEN in_scope THEN units END), 0) AS units,
           COALESCE(SUM(CASE WHEN in_scope THEN hifp_pay END), 0) AS billed_fund,
           COALESCE(SUM(fund_due), 0) AS case_fund_due,
           COUNT(CASE WHEN NOT in_scope THEN 1 END) AS non_dip_cases,
           COALESCE(SUM(CASE WHEN NOT in_scope THEN hifp_pay END), 0) AS non_dip_fund
    FROM tmp_settle_cases
    GROUP BY period, fixmedins_code
), d AS (
    SELECT period, fixmedins_code, SUM(amount) AS deductions
    FROM tmp_settle_deductions
    WHERE period IN (SELECT period FROM tmp_settle_periods)
    GROUP BY period, fixmedins_code
), k AS (
    SELECT period, fixmedins_code FROM c
    UNION
    SELECT period, fixmedins_code FROM d
), g AS (
    SELECT k.period,
           k.fixmedins_code,
           COALESCE(c.dip_cases, 0) AS dip_cases,
           COALESCE(c.units, 0) AS units,
           COALESCE(c.billed_fund, 0) AS billed_fund,
           COALESCE(c.case_fund_due, 0) AS case_fund_due,
           CASE WHEN $monthly_basis = 'billed' THEN COALESCE(c.billed_fund, 0)
                ELSE COALESCE(c.case_fund_due, 0) END AS gross_due,
           COALESCE(d.deductions, 0) AS deductions,
           COALESCE(c.non_dip_cases, 0) AS non_dip_cases,
           COALESCE(c.non_dip_fund, 0) AS non_dip_fund
    FROM k
    LEFT JOIN c ON c.period = k.period AND c.fixmedins_code = k.fixmedins_code
    LEFT JOIN d ON d.period = k.period AND d.fixmedins_code = k.fixmedins_code
), r AS (
    SELECT g.*,
           CAST(ROUND(gross_due * CAST($reserve_ratio AS DECIMAL(18,4)), 2) AS DECIMAL(18,2)) AS reserve
    FROM g
)
SELECT $method AS method,
       period,
       fixmedins_code,
       dip_cases,
       CAST(units AS DECIMAL(18,4)) AS units,
       CAST(billed_fund AS DECIMAL(18,2)) AS billed_fund,
       CAST(case_fund_due AS DECIMAL(18,2)) AS case_fund_due,
       CAST(gross_due AS DECIMAL(18,2)) AS gross_due,
       reserve,
       CAST(deductions AS DECIMAL(18,2)) AS deductions,
       CAST(gross_due - reserve - deductions AS DECIMAL(18,2)) AS payable,
       non_dip_cases,
       CAST(non_dip_fund AS DECIMAL(18,2)) AS non_dip_fund
FROM r
