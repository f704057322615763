-- DIP 技术规范（2020）§5 病例分值、费用极低 / 极高病例; DIP 3.0 技术规范（征求意见稿）特例单议;
-- DESIGN §4.3, §4.4, §4.6 "Outliers":
--   coef     = level coefficient × auxiliary coefficient;
--   normal case score = RW × coef (4 decimals, half up)
--   standard = normal case score × point value (money, 2 decimals, half up; §4.5 "case payment
--              standard = case score × point value", from the ROUNDED score as §4.6 requires, so
--              it is the standard the settlement pays a normal case at the same point value);
--   cost_ratio = cost / standard
--   rule 2020: low below $low_ratio × standard, high above $high_ratio × standard (formula);
--   rule 3.0:  low as above, above $review_ratio × standard → 'review' (特例单议), score unchanged.
-- The outlier kinds and scores are the shared macros outlier_kind / outlier_units (outlier.sql).
-- Ungrouped cases are outside DIP: group_code and case_score NULL.
INSERT INTO dip_case_scores
WITH scored AS (
    SELECT
        s.*,
        CAST(ROUND(CAST(s.base_score AS DECIMAL(38,4)) * s.level_coefficient * s.aux_coefficient, 4)
             AS DECIMAL(38,4)) AS coef_score
    FROM sc_cases s
),
priced AS (
    SELECT
        s.*,
        CAST(ROUND(s.coef_score * CAST($point_value AS DECIMAL(18,4)), 2) AS DECIMAL(18,2)) AS standard_cost
    FROM scored s
),
classified AS (
    SELECT
        p.*,
        CASE WHEN p.group_code IS NOT NULL THEN outlier_kind(
            p.medfee_sumamt, p.standard_cost, $low_ratio,
            CASE WHEN $rule = '2020' THEN $high_ratio END,
            CASE WHEN $rule = '3.0' THEN $review_ratio END) END AS outlier
    FROM priced p
)
SELECT
    $run_id,
    $group_run,
    setl_id,
    fixmedins_code,
    hosp_lv,
    group_code,
    group_type,
    primary_care,
    base_score,
    level_coefficient,
    aux_kind,
    aux_coefficient,
    CASE WHEN group_code IS NOT NULL THEN CAST($point_value AS DECIMAL(18,4)) END,
    CASE WHEN group_code IS NOT NULL THEN standard_cost END,
    medfee_sumamt,
    CASE WHEN group_code IS NOT NULL THEN dip_div4(medfee_sumamt, standard_cost) END,
    outlier,
    CASE WHEN group_code IS NOT NULL THEN $rule END,
    CAST(CASE WHEN group_code IS NOT NULL
              THEN outlier_units(outlier, coef_score, medfee_sumamt, standard_cost, $high_ratio) END
         AS DECIMAL(18,4)),
    $pack_sha256
FROM classified;
