-- DIP 技术规范（2020）§4 三年数据加权 / DESIGN §4.6 "Year weights": the weighted mean of a set is
-- Σ w_y·mean_y / Σ w_y over the history years in which the set has cases (weights renormalised
-- when a year is missing); money means are rounded half up to 2 decimals once, at the end
-- (the inner ROUND(…, 10) only absorbs the 10^-12 steps of dip_div12 before the final rounding).
-- CV = sd / mean of the year-weighted mixture of the yearly distributions (population sd:
-- variance = Σ w_y·E_y[x²] / Σ w_y − mean²); a descriptive statistic, the square root is taken
-- in DOUBLE and stored with 4 decimals (the mean squares use 4 decimals: their sums exceed the
-- range of dip_div12).
-- Input: cat_year_sums; output: cat_stat_result, one row per set.
CREATE OR REPLACE TEMP TABLE cat_stat_result AS
WITH per_year AS (
    SELECT
        s.set_key,
        s.n_all,
        s.n,
        CAST(w.weight AS DECIMAL(18,6)) AS w,
        dip_div12(s.s_cost, s.n) AS mean_cost,
        dip_div4(s.s_cost2, s.n) AS mean_cost2,
        CASE WHEN s.n_los > 0 THEN CAST(w.weight AS DECIMAL(18,6)) END AS w_los,
        dip_div12(s.s_los, s.n_los) AS mean_los,
        dip_div12(s.s_drug, s.n) AS mean_drug,
        dip_div12(s.s_material, s.n) AS mean_material
    FROM cat_year_sums s
    JOIN cat_year_weights w ON w.case_year = s.case_year
    WHERE s.n > 0
),
weighted AS (
    SELECT
        set_key,
        SUM(n_all) AS case_count,
        SUM(n) AS kept_count,
        dip_div12(SUM(w * mean_cost), SUM(w)) AS m_cost,
        dip_div4(SUM(w * mean_cost2), SUM(w)) AS m_cost2,
        dip_div12(SUM(w_los * mean_los), SUM(w_los)) AS m_los,
        dip_div12(SUM(w * mean_drug), SUM(w)) AS m_drug,
        dip_div12(SUM(w * mean_material), SUM(w)) AS m_material
    FROM per_year
    GROUP BY set_key
    HAVING SUM(w) > 0
)
SELECT
    set_key,
    CAST(case_count AS BIGINT) AS case_count,
    CAST(kept_count AS BIGINT) AS kept_count,
    CAST(ROUND(ROUND(m_cost, 10), 2) AS DECIMAL(18,2)) AS mean_cost,
    CAST(ROUND(ROUND(m_los, 10), 2) AS DECIMAL(18,2)) AS mean_los,
    CAST(ROUND(ROUND(m_drug, 10), 2) AS DECIMAL(18,2)) AS mean_drug,
    CAST(ROUND(ROUND(m_material, 10), 2) AS DECIMAL(18,2)) AS mean_material,
    CASE WHEN m_cost > 0 THEN CAST(
        SQRT(GREATEST(CAST(m_cost2 - CAST(m_cost AS DECIMAL(38,6)) * CAST(m_cost AS DECIMAL(38,6)) AS DOUBLE), 0))
        / CAST(m_cost AS DOUBLE) AS DECIMAL(18,4)) END AS cv
FROM weighted;
