-- Per set and year sums over all cases (no trimming): DESIGN §4.6 "Trimming" — the regional
-- mean M, level means, per-group level means and auxiliary subtypes use all cases.
-- Input: the view cat_stat_input(set_key, case_year, cost, los, drug, material).
CREATE OR REPLACE TEMP TABLE cat_year_sums AS
SELECT
    set_key,
    case_year,
    COUNT(*) AS n_all,
    COUNT(*) AS n,
    SUM(CAST(cost AS DECIMAL(38,2))) AS s_cost,
    SUM(CAST(cost AS DECIMAL(38,2)) * CAST(cost AS DECIMAL(38,2))) AS s_cost2,
    COUNT(los) AS n_los,
    SUM(CAST(los AS DECIMAL(38,0))) AS s_los,
    SUM(CAST(drug AS DECIMAL(38,2))) AS s_drug,
    SUM(CAST(material AS DECIMAL(38,2))) AS s_material
FROM cat_stat_input
GROUP BY set_key, case_year;
