-- Step: content hash of each storable row (重复与冲突判定): the typed settlement fields plus
-- its diagnosis and procedure lists. Same setl_id + same hash = duplicate; same setl_id +
-- other hash = conflict. Typed values, so '2026/3/1' and '2026-03-01' are the same.
-- The hash is stored (cases.content_hash) and compared with later imports, so it must not
-- change between runs or DuckDB versions: it is the md5 hex digest (128 bits) of a canonical
-- text, never DuckDB's hash(). Canonical text: the fields in registry order joined by chr(31)
-- (NULL as chr(1)), chr(29), then the case's list items sorted as text and joined by chr(30);
-- an item is 'D' (diagnosis) or 'P' (procedure), its seq and its fields, joined by chr(31).
-- Sorting each case's few items (list_sort) replaces a global ORDER BY inside the aggregate;
-- the seq inside every item keeps the order of the list significant.
-- list/list_sort/array_to_string: DuckDB; Spark: array_join(sort_array(collect_list(x)), sep).
CREATE OR REPLACE TEMP TABLE imp_hashed AS
WITH items AS (
    SELECT source_row,
           concat_ws(chr(31), 'D', CAST(seq AS VARCHAR), coalesce(diag_code_raw, ''),
                     coalesce(diag_name, ''), CAST(maindiag_flag AS VARCHAR),
                     coalesce(adm_cond_type, '')) AS item
    FROM imp_dx
    UNION ALL
    SELECT source_row,
           concat_ws(chr(31), 'P', CAST(seq AS VARCHAR), coalesce(oprn_code_raw, ''),
                     coalesce(oprn_name, ''), coalesce(CAST(oprn_date AS VARCHAR), ''),
                     CAST(main_oprn_flag AS VARCHAR), coalesce(anst_way, ''),
                     coalesce(oper_dr_code, ''))
    FROM imp_op
), lists AS (
    SELECT source_row, array_to_string(list_sort(list(item)), chr(30)) AS list_text
    FROM items GROUP BY source_row
)
SELECT t.source_row, t.setl_id,
       md5(concat_ws(chr(29), {{case_text}}, coalesce(l.list_text, ''))) AS content_hash
FROM imp_typed t
LEFT JOIN lists l ON l.source_row = t.source_row
WHERE NOT t.has_problem
  AND NOT EXISTS (SELECT 1 FROM imp_problem p WHERE p.source_row = t.source_row);
