-- Step: decide each storable registry row: new -> load; same code and same content as the
-- registry or an earlier row -> duplicate; same code, other content -> conflict IMP-110
-- (never overwritten: a change of level is a deliberate act, not a side effect of import).
CREATE OR REPLACE TEMP TABLE imp_outcome AS
WITH ok AS (
    SELECT t.*,
           row_number() OVER (PARTITION BY fixmedins_code ORDER BY source_row) AS rn,
           first_value(source_row) OVER (PARTITION BY fixmedins_code ORDER BY source_row) AS first_row
    FROM imp_htyped t
    WHERE NOT EXISTS (SELECT 1 FROM imp_problem p WHERE p.source_row = t.source_row)
), firsts AS (SELECT * FROM ok WHERE rn = 1)
SELECT o.source_row, o.fixmedins_code AS setl_id,
       CASE WHEN h.fixmedins_code IS NOT NULL
                 AND h.fixmedins_name = o.fixmedins_name AND h.hosp_lv = o.hosp_lv
                 AND h.hosp_type IS NOT DISTINCT FROM o.hosp_type
                 AND h.county IS NOT DISTINCT FROM o.county THEN 'duplicate'
            WHEN h.fixmedins_code IS NOT NULL THEN 'conflict'
            WHEN o.rn = 1 THEN 'load'
            WHEN f.fixmedins_name = o.fixmedins_name AND f.hosp_lv = o.hosp_lv
                 AND f.hosp_type IS NOT DISTINCT FROM o.hosp_type
                 AND f.county IS NOT DISTINCT FROM o.county THEN 'duplicate'
            ELSE 'conflict' END AS outcome,
       CASE WHEN h.fixmedins_code IS NOT NULL
            THEN '医疗机构编号 ' || o.fixmedins_code || ' 已在名录中（导入批次 '
                 || coalesce(h.import_id, '?') || '），内容不同；未覆盖已有数据'
            ELSE '医疗机构编号 ' || o.fixmedins_code || ' 与本文件第 ' || CAST(o.first_row AS VARCHAR)
                 || ' 行内容不同；保留第 ' || CAST(o.first_row AS VARCHAR) || ' 行' END AS message
FROM ok o
LEFT JOIN firsts f ON f.fixmedins_code = o.fixmedins_code
LEFT JOIN hospitals h ON h.fixmedins_code = o.fixmedins_code;
