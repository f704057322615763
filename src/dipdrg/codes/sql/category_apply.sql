-- Set codes.category from the attribute file: exact code match, a known attribute value and
-- only one attribute per code; every other procedure keeps no attribute (reported).
DELETE FROM code_lists WHERE list_id = $list_id;
UPDATE codes
SET category = (
    SELECT MIN(s.category) FROM _category_src AS s
    WHERE s.code = codes.code AND s.category IN (SELECT category FROM _category_values)
    HAVING COUNT(DISTINCT s.category) = 1
)
WHERE kind = 'procedure';
