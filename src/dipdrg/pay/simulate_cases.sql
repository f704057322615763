-- Simulated payment (模拟付费, DESIGN.md §4.5), case level: DIP fund due vs fee-for-service
-- (the billed fund amount, hifp_pay), split into reasons that add up to the difference:
--   special      approved special cases (特例单议)
--   low / high   cost-low and cost-high cases (high includes cases flagged for review)
--   coefficient  normal cases: what the institution coefficient adds,
--                fund due − round(round(neutral units × point value, 2) × fund ratio, 2)
--   case_mix     normal cases: the rest (group scores vs the hospital's costs)
CREATE OR REPLACE TEMP TABLE tmp_settle_sim_cases AS
WITH c AS (
    SELECT fixmedins_code, group_code, outlier, special_mode, fund_due, hifp_pay,
           fund_due - hifp_pay AS diff,
           CASE WHEN special_mode IS NULL AND outlier IS NULL
                THEN CAST(ROUND(CAST(ROUND(neutral_units * point_value, 2) AS DECIMAL(18,2))
                                * fund_ratio, 2) AS DECIMAL(18,2)) END AS neutral_due
    FROM tmp_settle_cases
    WHERE in_scope
)
SELECT fixmedins_code, group_code, fund_due, hifp_pay, diff,
       CASE WHEN special_mode IS NOT NULL THEN diff ELSE 0 END AS special_cases,
       CASE WHEN special_mode IS NULL AND outlier = 'low' THEN diff ELSE 0 END AS low_outlier,
       CASE WHEN special_mode IS NULL AND outlier IN ('high', 'review') THEN diff ELSE 0 END AS high_outlier,
       CASE WHEN neutral_due IS NOT NULL THEN fund_due - neutral_due ELSE 0 END AS coefficient,
       CASE WHEN neutral_due IS NOT NULL THEN neutral_due - hifp_pay ELSE 0 END AS case_mix
FROM c
