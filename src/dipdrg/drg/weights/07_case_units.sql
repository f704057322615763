-- CHS-DRG 付费标准与高/低倍率病例 / DESIGN §5 (multiples are local parameters), §4.6 "Outliers",
-- "Rounding" — the DIP formulas applied to DRG units through the shared macros (outlier.sql):
--   units    = RW × coefficient (normal case units, rounded to 4 decimals)
--   standard = units × rate (money, 2 decimals), from the ROUNDED units (§4.6: a formula uses the
--              rounded result of another), so it is the standard the settlement pays a normal
--              case at the same rate;  cost_ratio = cost / standard
--   low:  cost < $low_ratio × standard                      → units × cost / standard
--   high ($high_rule formula): cost > $high_ratio × standard → units × (cost / standard − k + 1)
--   high ($high_rule review):  cost > $high_ratio × standard → flagged for 特例单议, units unchanged
-- Ungrouped cases are outside DRG payment: drg and case_units NULL; a grouped case left without
-- a weight (drg.weights.missing = exclude) keeps its DRG but has no rw, units or standard.
INSERT INTO drg_case_scores
WITH unitised AS (
    SELECT
        s.*,
        CAST(ROUND(CAST(s.rw AS DECIMAL(38,4)) * s.coefficient, 4) AS DECIMAL(38,4)) AS coef_units
    FROM drgs_cases s
),
priced AS (
    SELECT
        s.*,
        CAST(ROUND(s.coef_units * CAST($rate AS DECIMAL(18,4)), 2) AS DECIMAL(18,2)) AS standard_cost
    FROM unitised s
),
classified AS (
    SELECT
        p.*,
        CASE WHEN p.rw IS NOT NULL THEN outlier_kind(
            p.medfee_sumamt, p.standard_cost, $low_ratio,
            CASE WHEN $high_rule = 'formula' THEN $high_ratio END,
            CASE WHEN $high_rule = 'review' THEN $high_ratio END) END AS outlier
    FROM priced p
)
SELECT
    $run_id,
    $group_run,
    setl_id,
    fixmedins_code,
    hosp_lv,
    group_status,
    drg,
    rw,
    coefficient,
    CASE WHEN rw IS NOT NULL THEN CAST($rate AS DECIMAL(18,4)) END,
    CASE WHEN rw IS NOT NULL THEN standard_cost END,
    medfee_sumamt,
    CASE WHEN rw IS NOT NULL THEN dip_div4(medfee_sumamt, standard_cost) END,
    outlier,
    CAST(CASE WHEN rw IS NOT NULL
              THEN outlier_units(outlier, coef_units, medfee_sumamt, standard_cost, $high_ratio)
         END AS DECIMAL(18,4)),
    $weights_sha256,
    pack_sha256,
    rw_source,
    unpaid_reason
FROM classified;
