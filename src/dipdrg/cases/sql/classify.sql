-- Step: decide each storable row (每一行必有归宿：载入 / 重复 / 冲突隔离).
-- Against the workspace: same setl_id and hash -> duplicate; other hash -> conflict IMP-010
-- (never overwritten). Within the file: the first row of a setl_id is the candidate; a later
-- row with the same hash is a duplicate, with another hash a conflict naming the first row.
CREATE OR REPLACE TEMP TABLE imp_outcome AS
WITH ranked AS (
    SELECT h.*,
           row_number() OVER (PARTITION BY setl_id ORDER BY source_row) AS rn,
           first_value(source_row) OVER (PARTITION BY setl_id ORDER BY source_row) AS first_row,
           first_value(content_hash) OVER (PARTITION BY setl_id ORDER BY source_row) AS first_hash
    FROM imp_hashed h
)
SELECT r.source_row, r.setl_id, r.content_hash,
       CASE WHEN c.setl_id IS NOT NULL AND c.content_hash = r.content_hash THEN 'duplicate'
            WHEN c.setl_id IS NOT NULL THEN 'conflict'
            WHEN r.rn = 1 THEN 'load'
            WHEN r.content_hash = r.first_hash THEN 'duplicate'
            ELSE 'conflict' END AS outcome,
       CASE WHEN c.setl_id IS NOT NULL AND c.content_hash <> r.content_hash
            THEN '结算ID ' || r.setl_id || ' 已由导入批次 ' || c.import_id || '（文件 '
                 || coalesce(i.source_file, '?') || ' 第 ' || coalesce(CAST(c.source_row AS VARCHAR), '?')
                 || ' 行）载入，内容不同；未覆盖已有数据'
            WHEN c.setl_id IS NULL AND r.rn > 1 AND r.content_hash <> r.first_hash
            THEN '结算ID ' || r.setl_id || ' 与本文件第 ' || CAST(r.first_row AS VARCHAR)
                 || ' 行内容不同；保留第 ' || CAST(r.first_row AS VARCHAR) || ' 行'
       END AS message
FROM ranked r
LEFT JOIN cases c ON c.setl_id = r.setl_id
LEFT JOIN imports i ON i.import_id = c.import_id;
