-- Simulated payment per hospital (模拟付费): DIP annual settlement vs fee-for-service, with the
-- difference split into reasons (they add up to it): case-level reasons from
-- tmp_settle_sim_cases, then assessment coefficient, audit deductions and band sharing.
-- main_reason names the largest reason by absolute amount (GREATEST exists in Spark and PostgreSQL).
CREATE OR REPLACE TEMP TABLE tmp_settle_sim_hospital AS
WITH c AS (
    SELECT fixmedins_code,
           SUM(low_outlier) AS low_outlier, SUM(high_outlier) AS high_outlier,
           SUM(special_cases) AS special_cases, SUM(coefficient) AS coefficient,
           SUM(case_mix) AS case_mix
    FROM tmp_settle_sim_cases
    GROUP BY fixmedins_code
), r AS (
    SELECT a.fixmedins_code, a.dip_cases,
           a.billed_fund AS ffs_amount, a.case_fund_due, a.settled_amount,
           a.settled_amount - a.billed_fund AS difference,
           COALESCE(c.low_outlier, 0) AS low_outlier, COALESCE(c.high_outlier, 0) AS high_outlier,
           COALESCE(c.special_cases, 0) AS special_cases, COALESCE(c.coefficient, 0) AS coefficient,
           COALESCE(c.case_mix, 0) AS case_mix,
           a.assessed_due - a.case_fund_due AS assessment,
           -a.deductions AS deductions,
           a.settled_amount - a.due AS sharing
    FROM tmp_settle_annual a
    LEFT JOIN c ON c.fixmedins_code = a.fixmedins_code
), m AS (
    SELECT r.*,
           GREATEST(ABS(low_outlier), ABS(high_outlier), ABS(special_cases), ABS(coefficient),
                    ABS(case_mix), ABS(assessment), ABS(deductions), ABS(sharing)) AS top
    FROM r
)
SELECT $method AS method, fixmedins_code, dip_cases, ffs_amount, case_fund_due, settled_amount,
       difference, low_outlier, high_outlier, special_cases, coefficient, case_mix,
       assessment, deductions, sharing,
       CASE WHEN top = 0 THEN '无差异'
            WHEN ABS(case_mix) = top THEN '病种结构与费用控制'
            WHEN ABS(coefficient) = top THEN '机构等级系数'
            WHEN ABS(low_outlier) = top THEN '低倍率病例'
            WHEN ABS(high_outlier) = top THEN '高倍率病例'
            WHEN ABS(special_cases) = top THEN '特例单议'
            WHEN ABS(sharing) = top THEN '结余留用/超支分担'
            WHEN ABS(assessment) = top THEN '考核系数'
            ELSE '审核扣款' END AS main_reason
FROM m
