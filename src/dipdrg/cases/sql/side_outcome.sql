-- Step: account for every row of a separate diagnosis/procedure table (每一行必有归宿).
-- A row follows its settlement: loaded with it, duplicate with it, or quarantined with it
-- (IMP-021); a row whose setl_id is not in the main file is quarantined (IMP-020). Unparsable
-- lines of the side file come from its reader's rejects (IMP-011/012).
CREATE OR REPLACE TEMP TABLE imp_side_outcome AS
WITH linked AS (
    SELECT l.side_row, o.outcome, l.source_row
    FROM {{linked}} l LEFT JOIN imp_outcome o ON o.source_row = l.source_row
), per_row AS (
    SELECT s.side_row, imp_text(s.setl_id) AS setl_id,
           count(l.source_row) AS parents,
           max(CASE WHEN l.outcome = 'load' THEN 1 ELSE 0 END) AS any_load,
           max(CASE WHEN l.outcome = 'duplicate' THEN 1 ELSE 0 END) AS any_duplicate,
           min(l.source_row) AS first_parent
    FROM {{side}} s LEFT JOIN linked l ON l.side_row = s.side_row
    GROUP BY s.side_row, imp_text(s.setl_id)
)
SELECT side_row, setl_id,
       CASE WHEN any_load = 1 THEN 'load' WHEN any_duplicate = 1 THEN 'duplicate'
            ELSE 'quarantine' END AS outcome,
       CASE WHEN parents = 0 THEN 'IMP-020' ELSE 'IMP-021' END AS rule_id,
       CASE WHEN parents = 0
            THEN '结算ID ' || coalesce(setl_id, '（空）') || ' 在主文件中不存在或该行无法解析'
            ELSE '所属结算记录（主文件第 ' || CAST(first_parent AS VARCHAR) || ' 行）被隔离，本行一并隔离'
       END AS message
FROM per_row;

INSERT INTO quarantine (import_id, source_file, source_row, setl_id, rule_id, field, message, raw)
SELECT {{import_id}}, {{source_file}}, o.side_row, o.setl_id, o.rule_id, 'setl_id', o.message, r.raw
FROM imp_side_outcome o
LEFT JOIN ({{raw_select}}) r ON r.source_row = o.side_row
WHERE o.outcome = 'quarantine'
UNION ALL
SELECT {{import_id}}, {{source_file}}, source_row, NULL, rule_id, NULL, message, raw
FROM {{rejects}};

INSERT INTO import_duplicates (import_id, source_file, source_row, setl_id)
SELECT {{import_id}}, {{source_file}}, side_row, setl_id
FROM imp_side_outcome WHERE outcome = 'duplicate';
