-- Load a code list: one active list per kind, so reloading replaces that kind's rows
-- (idempotent). The first row of a repeated code wins (repeats are reported). Attributes
-- belonged to the old rows, so the attribute file's record goes too (load it again).
DELETE FROM codes WHERE kind = $kind;
DELETE FROM code_lists WHERE list_id = $list_id OR (kind = $kind AND list_id LIKE '%-category');
INSERT INTO codes (kind, code, name, category, list_id)
SELECT $kind, code, name, NULL, $list_id
FROM (
    SELECT code, name, ROW_NUMBER() OVER (PARTITION BY code ORDER BY source_row) AS occurrence
    FROM _codes_src
    WHERE code IS NOT NULL
) AS firsts
WHERE occurrence = 1;
