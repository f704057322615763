-- DIP 技术规范（2020）§5 病种分值 / DESIGN §4.3, §4.6 "Scores": per group
--   平均费用法 mean_cost:       RW = m / M × scale
--   基准病种法 reference_group: RW = m / m_ref × scale (m_ref: mean of $reference_group)
--   标准定额法 fixed_amount:    RW = m / $fixed_amount
-- drug and consumable sub-scores dm / dM × scale and cm / cM × scale, shares dm / m and cm / m;
-- every ratio is rounded half up to 4 decimals from the rounded means (dip_div4 is exact).
CREATE OR REPLACE TEMP TABLE cat_groups AS
WITH region AS (
    SELECT mean_cost AS m_all, mean_drug AS dm_all, mean_material AS cm_all
    FROM cat_region_stats
),
reference AS (
    SELECT MAX(mean_cost) AS m_ref FROM cat_group_stats WHERE set_key = $reference_group
)
SELECT
    g.set_key AS group_code,
    g.case_count,
    g.mean_cost,
    g.mean_los,
    g.cv,
    g.mean_drug,
    g.mean_material,
    CASE $score_method
        WHEN 'mean_cost' THEN dip_div4(CAST(g.mean_cost AS DECIMAL(38,2)) * CAST($scale AS DECIMAL(18,4)), r.m_all)
        WHEN 'reference_group' THEN dip_div4(CAST(g.mean_cost AS DECIMAL(38,2)) * CAST($scale AS DECIMAL(18,4)), f.m_ref)
        WHEN 'fixed_amount' THEN dip_div4(g.mean_cost, CAST($fixed_amount AS DECIMAL(18,2)))
    END AS score,
    dip_div4(CAST(g.mean_drug AS DECIMAL(38,2)) * CAST($scale AS DECIMAL(18,4)), r.dm_all) AS drug_score,
    dip_div4(CAST(g.mean_material AS DECIMAL(38,2)) * CAST($scale AS DECIMAL(18,4)), r.cm_all) AS material_score,
    dip_div4(g.mean_drug, g.mean_cost) AS drug_share,
    dip_div4(g.mean_material, g.mean_cost) AS material_share
FROM cat_group_stats g
CROSS JOIN region r
CROSS JOIN reference f;
