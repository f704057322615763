-- Simulated payment per DIP group (模拟付费): Σ case fund due vs Σ billed fund amount, with the
-- case-level reasons of tmp_settle_sim_cases (they add up to the difference).
CREATE OR REPLACE TEMP TABLE tmp_settle_sim_group AS
WITH g AS (
    SELECT group_code, COUNT(*) AS dip_cases,
           SUM(hifp_pay) AS ffs_amount, SUM(fund_due) AS dip_amount, SUM(diff) AS difference,
           SUM(low_outlier) AS low_outlier, SUM(high_outlier) AS high_outlier,
           SUM(special_cases) AS special_cases, SUM(coefficient) AS coefficient,
           SUM(case_mix) AS case_mix
    FROM tmp_settle_sim_cases
    GROUP BY group_code
), m AS (
    SELECT g.*,
           GREATEST(ABS(low_outlier), ABS(high_outlier), ABS(special_cases), ABS(coefficient),
                    ABS(case_mix)) AS top
    FROM g
)
SELECT $method AS method, group_code, dip_cases, ffs_amount, dip_amount, difference,
       low_outlier, high_outlier, special_cases, coefficient, case_mix,
       CASE WHEN top = 0 THEN '无差异'
            WHEN ABS(case_mix) = top THEN '病种结构与费用控制'
            WHEN ABS(coefficient) = top THEN '机构等级系数'
            WHEN ABS(low_outlier) = top THEN '低倍率病例'
            WHEN ABS(high_outlier) = top THEN '高倍率病例'
            ELSE '特例单议' END AS main_reason
FROM m
