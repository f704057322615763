-- Step: quarantine (隔离) and duplicates (重复) of one input file. One quarantine row per input
-- row: the first rule (lowest id) names rule and field, the message lists every problem,
-- raw is the input row as JSON text. Conflicts (IMP-010) join the blocking problems here.
INSERT INTO quarantine (import_id, source_file, source_row, setl_id, rule_id, field, message, raw)
WITH problems AS (
    SELECT source_row, rule_id, field, message FROM imp_problem
    UNION ALL
    SELECT source_row, 'IMP-010', 'setl_id', message FROM imp_outcome WHERE outcome = 'conflict'
), firsts AS (
    SELECT source_row, rule_id, field
    FROM (SELECT *, row_number() OVER (PARTITION BY source_row ORDER BY rule_id, field) AS rn
          FROM problems) WHERE rn = 1
), messages AS (
    SELECT source_row, string_agg(message, '；' ORDER BY rule_id, field) AS message
    FROM problems GROUP BY source_row
)
SELECT {{import_id}}, {{source_file}}, f.source_row, imp_text(s.setl_id), f.rule_id, f.field,
       m.message, coalesce(r.raw, x.raw)
FROM firsts f
JOIN messages m ON m.source_row = f.source_row
LEFT JOIN imp_stage s ON s.source_row = f.source_row
LEFT JOIN ({{raw_select}}) r ON r.source_row = f.source_row
LEFT JOIN {{rejects}} x ON x.source_row = f.source_row;

INSERT INTO import_duplicates (import_id, source_file, source_row, setl_id)
SELECT {{import_id}}, {{source_file}}, source_row, setl_id
FROM imp_outcome WHERE outcome = 'duplicate';
