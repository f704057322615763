-- Outlier rules shared by DIP case scores and DRG case units (DIP 技术规范（2020）§5 费用极低/
-- 极高病例; DIP 3.0 技术规范（征求意见稿）特例单议; DESIGN §4.4, §4.6 "Outliers", §5 "High/low
-- outlier multiples are local parameters"). The ONE place these formulas live. Inequalities
-- are strict; one rounding half up to 4 decimals at the end.
--   kind:  cost < low × standard → 'low'; else cost > high × standard → 'high' (high NULL = rule
--          off); else cost > review × standard → 'review' (review NULL = off); else NULL.
--          No kind when cost or standard is missing or standard <= 0.
--   units: low  → units × cost / standard                 (pays roughly the actual cost)
--          high → units × (cost / standard − high + 1)
--          else → units (review cases keep their units)
-- `units` is the normal case units (score × coefficients) rounded to 4 decimals — the value the
-- standard was made of (§4.6: a formula uses the rounded result of another); at most 12 decimals.
-- The high numerator has 18 decimals, so it is divided as scaled integers (dip_div4_int):
-- (units·10^12)·((cost − (high−1)·standard)·10^6) / (standard·10^2·10^16).
-- DuckDB macros; portable equivalent: the same CASE expressions inlined in the calling step.
CREATE OR REPLACE TEMP MACRO outlier_kind(cost, standard, low_ratio, high_ratio, review_ratio) AS
    CASE
        WHEN cost IS NULL OR standard IS NULL OR standard <= 0 THEN NULL
        WHEN cost < CAST(low_ratio AS DECIMAL(18,4)) * standard THEN 'low'
        WHEN high_ratio IS NOT NULL AND cost > CAST(high_ratio AS DECIMAL(18,4)) * standard THEN 'high'
        WHEN review_ratio IS NOT NULL AND cost > CAST(review_ratio AS DECIMAL(18,4)) * standard THEN 'review'
    END;

CREATE OR REPLACE TEMP MACRO outlier_units(kind, units, cost, standard, high_ratio) AS
    CASE
        WHEN kind = 'low' THEN dip_div4(units * cost, standard)
        WHEN kind = 'high' THEN dip_div4_int(
            CAST(units * 1000000000000 AS HUGEINT)
              * CAST((CAST(cost AS DECIMAL(38,6))
                      - (CAST(high_ratio AS DECIMAL(18,4)) - 1) * standard) * 1000000 AS HUGEINT),
            CAST(standard * 100 AS HUGEINT) * CAST(10000000000000000 AS HUGEINT))
        ELSE ROUND(units, 4)
    END;
