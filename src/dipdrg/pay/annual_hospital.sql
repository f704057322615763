-- Annual amount due per hospital (年度清算, DESIGN.md §4.5):
--   case fund due = Σ (case score × settlement point value × fund ratio), per case rounded
--   assessed      = round(case fund due × assessment coefficient, 2)     (考核系数)
--   due           = assessed − the year's audit deductions                 (审核扣款)
--   balance       = due − item-billed fund amount (Σ hifp_pay of its DIP cases): > 0 结余, < 0 超支
-- Hospitals with only deductions or only monthly payments get their row too (nothing lost).
CREATE OR REPLACE TEMP TABLE tmp_settle_hosp AS
WITH c AS (
    SELECT fixmedins_code,
           COUNT(CASE WHEN in_scope THEN 1 END) AS dip_cases,
           COALESCE(SUM(CASE WHEN in_scope THEN units END), 0) AS units,
           COALESCE(SUM(CASE WHEN in_scope THEN hifp_pay END), 0) AS billed_fund,
           COALESCE(SUM(fund_due), 0) AS case_fund_due,
           COUNT(CASE WHEN NOT in_scope THEN 1 END) AS non_dip_cases,
           COALESCE(SUM(CASE WHEN NOT in_scope THEN hifp_pay END), 0) AS non_dip_fund
    FROM tmp_settle_cases
    GROUP BY fixmedins_code
), d AS (
    SELECT fixmedins_code, SUM(amount) AS deductions
    FROM tmp_settle_deductions
    WHERE period LIKE $year_prefix
    GROUP BY fixmedins_code
), k AS (
    SELECT fixmedins_code FROM c
    UNION
    SELECT fixmedins_code FROM d
    UNION
    SELECT fixmedins_code FROM tmp_settle_monthly_paid
), a AS (
    SELECT k.fixmedins_code,
           COALESCE(c.dip_cases, 0) AS dip_cases,
           CAST(COALESCE(c.units, 0) AS DECIMAL(18,4)) AS units,
           CAST(COALESCE(c.billed_fund, 0) AS DECIMAL(18,2)) AS billed_fund,
           CAST(COALESCE(c.case_fund_due, 0) AS DECIMAL(18,2)) AS case_fund_due,
           COALESCE(f.coefficient, CAST($default_coef AS DECIMAL(18,4))) AS assessment_coef,
           CAST(COALESCE(d.deductions, 0) AS DECIMAL(18,2)) AS deductions,
           COALESCE(c.non_dip_cases, 0) AS non_dip_cases,
           CAST(COALESCE(c.non_dip_fund, 0) AS DECIMAL(18,2)) AS non_dip_fund
    FROM k
    LEFT JOIN c ON c.fixmedins_code = k.fixmedins_code
    LEFT JOIN d ON d.fixmedins_code = k.fixmedins_code
    LEFT JOIN tmp_settle_coefs f ON f.fixmedins_code = k.fixmedins_code
), s AS (
    SELECT a.*,
           CAST(ROUND(case_fund_due * assessment_coef, 2) AS DECIMAL(18,2)) AS assessed_due
    FROM a
)
SELECT s.*,
       CAST(assessed_due - deductions AS DECIMAL(18,2)) AS due,
       CAST(assessed_due - deductions - billed_fund AS DECIMAL(18,2)) AS balance
FROM s
