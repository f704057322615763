-- DIP 技术规范（2020）§4 剔除极值 / DESIGN §4.6 "Trimming": per set and year, when the
-- set-year has at least $trim_min_cases cases, keep only x[ceil(lower·n)] <= cost <=
-- x[ceil(upper·n)] on the sorted costs (nearest rank, 1-based); smaller set-years keep all.
-- n_all counts every case (thresholds use all cases); the sums cover the kept cases.
-- Input: the view cat_stat_input(set_key, case_year, cost, los, drug, material).
CREATE OR REPLACE TEMP TABLE cat_year_sums AS
WITH ranked AS (
    SELECT
        set_key, case_year, cost, los, drug, material,
        ROW_NUMBER() OVER (PARTITION BY set_key, case_year ORDER BY cost) AS rn,
        COUNT(*) OVER (PARTITION BY set_key, case_year) AS n_all
    FROM cat_stat_input
),
bounded AS (
    SELECT
        *,
        MAX(CASE WHEN rn = CEIL(CAST($trim_lower AS DECIMAL(9,6)) * n_all) THEN cost END)
            OVER (PARTITION BY set_key, case_year) AS low_cost,
        MAX(CASE WHEN rn = CEIL(CAST($trim_upper AS DECIMAL(9,6)) * n_all) THEN cost END)
            OVER (PARTITION BY set_key, case_year) AS high_cost
    FROM ranked
),
kept AS (
    SELECT * FROM bounded
    WHERE n_all < $trim_min_cases OR (cost >= low_cost AND cost <= high_cost)
)
SELECT
    set_key,
    case_year,
    MAX(n_all) AS n_all,
    COUNT(*) AS n,
    SUM(CAST(cost AS DECIMAL(38,2))) AS s_cost,
    SUM(CAST(cost AS DECIMAL(38,2)) * CAST(cost AS DECIMAL(38,2))) AS s_cost2,
    COUNT(los) AS n_los,
    SUM(CAST(los AS DECIMAL(38,0))) AS s_los,
    SUM(CAST(drug AS DECIMAL(38,2))) AS s_drug,
    SUM(CAST(material AS DECIMAL(38,2))) AS s_material
FROM kept
GROUP BY set_key, case_year;
