-- Annual clearance result per hospital (DESIGN.md §4.5):
--   surplus: settled = billed fund amount + the part kept by the bands    (结余留用)
--   overrun: settled = due + the part the fund shares by the bands         (合理超支分担)
--   final   = settled − monthly payments made (the reserve held back is released here;
--             a negative final amount is recovered from the hospital).
CREATE OR REPLACE TEMP TABLE tmp_settle_annual AS
WITH s AS (
    SELECT fixmedins_code, SUM(shared_amount) AS shared
    FROM tmp_settle_bands_applied
    GROUP BY fixmedins_code
), t AS (
    SELECT h.*,
           CASE WHEN h.balance > 0 THEN 'surplus' WHEN h.balance < 0 THEN 'overrun'
                ELSE 'balanced' END AS sharing_kind,
           CAST(COALESCE(s.shared, 0) AS DECIMAL(18,2)) AS shared_amount,
           CAST(CASE WHEN h.balance > 0 THEN h.billed_fund + COALESCE(s.shared, 0)
                     ELSE h.due + COALESCE(s.shared, 0) END AS DECIMAL(18,2)) AS settled_amount,
           CAST(COALESCE(m.monthly_gross, 0) AS DECIMAL(18,2)) AS monthly_gross,
           CAST(COALESCE(m.reserve_withheld, 0) AS DECIMAL(18,2)) AS reserve_withheld,
           CAST(COALESCE(m.monthly_paid, 0) AS DECIMAL(18,2)) AS monthly_paid,
           CAST(COALESCE(m.months_paid, 0) AS INTEGER) AS months_paid
    FROM tmp_settle_hosp h
    LEFT JOIN s ON s.fixmedins_code = h.fixmedins_code
    LEFT JOIN tmp_settle_monthly_paid m ON m.fixmedins_code = h.fixmedins_code
)
SELECT $method AS method,
       $period AS period,
       fixmedins_code,
       dip_cases,
       units,
       case_fund_due,
       assessment_coef,
       assessed_due,
       deductions,
       due,
       billed_fund,
       balance,
       sharing_kind,
       shared_amount,
       settled_amount,
       monthly_gross,
       reserve_withheld,
       monthly_paid,
       months_paid,
       CAST(settled_amount - monthly_paid AS DECIMAL(18,2)) AS final_amount,
       non_dip_cases,
       non_dip_fund
FROM t
