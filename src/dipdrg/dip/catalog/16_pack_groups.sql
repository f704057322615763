-- The groups.csv table of a dip-local pack (docs/dip-pack.md): one row per group with its key,
-- procedures (principal first, then the related ones, joined by '+'), treatment, score, 基层
-- flag and statistics. Names come from the code lists (the diagnosis key's own code, or its
-- "00" extension, and each procedure's name); a code without a name shows as the code.
-- UNNEST(STRING_SPLIT(...)) is explode(split(...)) in Spark.
CREATE OR REPLACE TEMP TABLE cat_pack_groups AS
WITH meta AS (
    SELECT DISTINCT group_code, group_type, dx_key, procedures, treatment
    FROM cat_case_groups
    WHERE group_code IS NOT NULL
),
dx_label AS (
    SELECT m.group_code,
           m.dx_key || COALESCE(' ' || COALESCE(n1.name, n2.name), '') AS label
    FROM meta m
    LEFT JOIN codes n1 ON n1.kind = 'diagnosis' AND n1.code = m.dx_key
    LEFT JOIN codes n2 ON n2.kind = 'diagnosis' AND n2.code = m.dx_key || '00'
),
terms AS (
    SELECT group_code, SUBSTRING(procedures, 1, POSITION('+' IN procedures || '+') - 1) AS first_term,
           UNNEST(STRING_SPLIT(procedures, '+')) AS code
    FROM meta
    WHERE procedures IS NOT NULL
),
proc_label AS (
    SELECT t.group_code,
           STRING_AGG(COALESCE(n.name, t.code), '+' ORDER BY CASE WHEN t.code = t.first_term THEN 0 ELSE 1 END, t.code) AS label
    FROM terms t
    LEFT JOIN codes n ON n.kind = 'procedure' AND n.code = t.code
    GROUP BY t.group_code
)
SELECT
    m.group_code,
    d.label || '；' || CASE
        WHEN m.group_type = 'comprehensive' THEN '综合病种（' || m.treatment || '）'
        WHEN m.procedures IS NULL THEN '保守治疗'
        ELSE p.label END AS group_name,
    m.group_type,
    m.dx_key,
    COALESCE(m.procedures, '') AS procedures,
    m.treatment,
    g.score,
    CASE WHEN m.group_code IN (SELECT group_code FROM cat_primary) THEN 1 ELSE 0 END AS primary_care,
    g.case_count,
    g.mean_cost,
    g.mean_los,
    g.cv,
    g.drug_share,
    g.material_share,
    g.drug_score,
    g.material_score
FROM meta m
JOIN cat_groups g ON g.group_code = m.group_code
JOIN dx_label d ON d.group_code = m.group_code
LEFT JOIN proc_label p ON p.group_code = m.group_code;
