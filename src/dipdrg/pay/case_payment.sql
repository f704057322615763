-- Case payment (DESIGN.md §4.5; §4.6 "Rounding"): for each grouped case
--   standard  = round(units × point value, 2)            (支付标准 = 病例分值 × 点值)
--   fund due  = round(standard × fund ratio, 2)          (基金应付 = 支付标准 × 基金支付比例)
-- Approved special cases (特例单议, DESIGN.md §4.4): by item → the billed total as standard and
-- the billed fund amount (hifp_pay) as fund due; adjusted → the approved standard × fund ratio.
-- Outliers are already in the units (the scoring step's low/high rules). Ungrouped cases
-- are outside DIP: no standard, no fund due (they are paid by item, outside this engine).
CREATE OR REPLACE TEMP TABLE tmp_settle_cases AS
WITH priced AS (
    SELECT b.*,
           p.point_value,
           p.fund_ratio,
           s.pay_mode AS special_mode,
           s.adjusted_amount
    FROM tmp_settle_basis b
    LEFT JOIN tmp_settle_params p ON p.period = b.period
    LEFT JOIN tmp_settle_special s ON s.setl_id = b.setl_id AND b.in_scope
), standard AS (
    SELECT priced.*,
           CASE WHEN NOT in_scope THEN NULL
                WHEN special_mode = 'item' THEN medfee_sumamt
                WHEN special_mode = 'adjusted' THEN adjusted_amount
                ELSE CAST(ROUND(units * point_value, 2) AS DECIMAL(18,2)) END AS standard_amount
    FROM priced
)
SELECT period,
       method,
       setl_id,
       fixmedins_code,
       group_code,
       in_scope,
       units,
       neutral_units,
       outlier,
       special_mode,
       point_value,
       fund_ratio,
       standard_amount,
       CASE WHEN NOT in_scope THEN NULL
            WHEN special_mode = 'item' THEN hifp_pay
            ELSE CAST(ROUND(standard_amount * fund_ratio, 2) AS DECIMAL(18,2)) END AS fund_due,
       medfee_sumamt,
       hifp_pay
FROM standard
