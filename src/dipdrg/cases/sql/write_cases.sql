-- Step: store the loaded settlement rows (结算清单入库) with their import id and hash.
INSERT INTO cases ({{case_columns}}, import_id, source_row, content_hash)
SELECT {{typed_case_columns}}, {{import_id}}, t.source_row, o.content_hash
FROM imp_typed t JOIN imp_outcome o ON o.source_row = t.source_row
WHERE o.outcome = 'load';
