-- Step: quarantine (隔离) and duplicates (重复) of one input file, settlement lists and hospital
-- registries alike. One quarantine row per input row: the first rule (lowest id) names rule
-- and field, the message lists every problem, raw is the input row as JSON text. Conflicts
-- ({{conflict_rule}}: same key, other content) join the blocking problems here.
-- {{id_select}} gives (source_row, id): the row's key as read, stored in quarantine.setl_id.
INSERT INTO quarantine (import_id, source_file, source_row, setl_id, rule_id, field, message, raw)
WITH problems AS (
    SELECT source_row, rule_id, field, message FROM imp_problem
    UNION ALL
    SELECT source_row, {{conflict_rule}}, {{conflict_field}}, message FROM imp_outcome WHERE outcome = 'conflict'
), firsts AS (
    SELECT source_row, rule_id, field
    FROM (SELECT *, row_number() OVER (PARTITION BY source_row ORDER BY rule_id, field) AS rn
          FROM problems) WHERE rn = 1
), messages AS (
    SELECT source_row, string_agg(message, '；' ORDER BY rule_id, field) AS message
    FROM problems GROUP BY source_row
)
SELECT {{import_id}}, {{source_file}}, f.source_row, k.id, f.rule_id, f.field,
       m.message, coalesce(r.raw, x.raw)
FROM firsts f
JOIN messages m ON m.source_row = f.source_row
LEFT JOIN ({{id_select}}) k ON k.source_row = f.source_row
LEFT JOIN ({{raw_select}}) r ON r.source_row = f.source_row
LEFT JOIN {{rejects}} x ON x.source_row = f.source_row;

INSERT INTO import_duplicates (import_id, source_file, source_row, setl_id)
SELECT {{import_id}}, {{source_file}}, source_row, setl_id
FROM imp_outcome WHERE outcome = 'duplicate';
