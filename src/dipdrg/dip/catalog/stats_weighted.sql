-- DIP 技术规范（2020）§4 三年数据加权 / DESIGN §4.6 "Year weights": the weighted mean of a set is
-- Σ w_y·mean_y / Σ w_y over the history years in which the set has cases (weights renormalised
-- when a year is missing). Exact integer arithmetic (dip_qint: x·p / y rounded half up):
-- mean_y is kept in units of 10^-12 yuan (cents × 10^10 / n), weights in units of 10^-6; the
-- weighted mean in 10^-12 is rounded to 10^-10 (absorbing the 10^-12 steps), then half up to
-- the cent, once.
-- CV = sd / mean of the year-weighted mixture of the yearly distributions (population sd:
-- variance = Σ w_y·E_y[x²] / Σ w_y − mean²): a descriptive statistic through a square root,
-- computed in DOUBLE, then stored with 4 decimals half up from its DECIMAL representation: the
-- DOUBLE is written as its shortest round-trip text and read back as an exact DECIMAL before
-- ROUND (a DOUBLE cast straight to DECIMAL rounds its binary value: 0.70005 → 0.7000).
-- CAST(double AS VARCHAR) is the shortest round-trip text in DuckDB, Spark and PostgreSQL ≥ 12.
-- Input: cat_year_sums; output: cat_stat_result, one row per set.
CREATE OR REPLACE TEMP TABLE cat_stat_result AS
WITH per_year AS (
    SELECT
        s.set_key,
        s.n_all,
        s.n,
        CAST(w.weight * 1000000 AS HUGEINT) AS w,
        dip_qint(CAST(s.s_cost * 100 AS HUGEINT), s.n, 10000000000) AS mean_cost,
        dip_qint(CAST(s.s_drug * 100 AS HUGEINT), s.n, 10000000000) AS mean_drug,
        dip_qint(CAST(s.s_material * 100 AS HUGEINT), s.n, 10000000000) AS mean_material,
        CASE WHEN s.n_los > 0 THEN CAST(w.weight * 1000000 AS HUGEINT) END AS w_los,
        CASE WHEN s.n_los > 0 THEN dip_qint(CAST(s.s_los AS HUGEINT), s.n_los, 1000000000000) END AS mean_los,
        CAST(s.s_cost2 AS DOUBLE) / s.n AS mean_cost2
    FROM cat_year_sums s
    JOIN cat_year_weights w ON w.case_year = s.case_year
    WHERE s.n > 0
),
weighted AS (
    SELECT
        set_key,
        SUM(n_all) AS case_count,
        SUM(n) AS kept_count,
        SUM(w) AS w_sum,
        dip_qint(SUM(w * mean_cost), SUM(w), 1) AS m_cost,
        dip_qint(SUM(w * mean_drug), SUM(w), 1) AS m_drug,
        dip_qint(SUM(w * mean_material), SUM(w), 1) AS m_material,
        dip_qint(SUM(w_los * mean_los), SUM(w_los), 1) AS m_los,
        SUM(CAST(w AS DOUBLE) * mean_cost2) / CAST(SUM(w) AS DOUBLE) AS m_cost2
    FROM per_year
    GROUP BY set_key
    HAVING SUM(w) > 0
),
cents AS (
    SELECT
        set_key, case_count, kept_count, m_cost, m_cost2,
        dip_qint(dip_qint(m_cost, 100, 1), 100000000, 1) AS c_cost,
        dip_qint(dip_qint(m_drug, 100, 1), 100000000, 1) AS c_drug,
        dip_qint(dip_qint(m_material, 100, 1), 100000000, 1) AS c_material,
        dip_qint(dip_qint(m_los, 100, 1), 100000000, 1) AS c_los
    FROM weighted
)
SELECT
    set_key,
    CAST(case_count AS BIGINT) AS case_count,
    CAST(kept_count AS BIGINT) AS kept_count,
    CAST(CAST(c_cost AS DECIMAL(38,0)) * CAST(0.01 AS DECIMAL(3,2)) AS DECIMAL(18,2)) AS mean_cost,
    CAST(CAST(c_los AS DECIMAL(38,0)) * CAST(0.01 AS DECIMAL(3,2)) AS DECIMAL(18,2)) AS mean_los,
    CAST(CAST(c_drug AS DECIMAL(38,0)) * CAST(0.01 AS DECIMAL(3,2)) AS DECIMAL(18,2)) AS mean_drug,
    CAST(CAST(c_material AS DECIMAL(38,0)) * CAST(0.01 AS DECIMAL(3,2)) AS DECIMAL(18,2)) AS mean_material,
    CASE WHEN m_cost > 0 THEN CAST(ROUND(CAST(CAST(
        SQRT(GREATEST(m_cost2 - POWER(CAST(m_cost AS DOUBLE) / 1e12, 2), 0)) / (CAST(m_cost AS DOUBLE) / 1e12)
        AS VARCHAR) AS DECIMAL(38,24)), 4) AS DECIMAL(18,4)) END AS cv
FROM cents;
