-- Problems in a code list file (ICD-10 / ICD-9-CM-3 医保版): empty, malformed or repeated codes.
-- Malformed codes are still loaded (the official list is authoritative) but reported;
-- a repeated code keeps its first row. regexp_full_match is DuckDB's spelling of
-- the standard `code SIMILAR TO pattern`.
WITH numbered AS (
    SELECT source_row, code,
           ROW_NUMBER() OVER (PARTITION BY code ORDER BY source_row) AS occurrence
    FROM _codes_src
), problems AS (
    SELECT 'empty' AS problem, source_row, code FROM numbered WHERE code IS NULL
    UNION ALL
    SELECT 'malformed', source_row, code FROM numbered
    WHERE code IS NOT NULL AND occurrence = 1 AND NOT regexp_full_match(code, $pattern)
    UNION ALL
    SELECT 'duplicate', source_row, code FROM numbered WHERE code IS NOT NULL AND occurrence > 1
)
SELECT problem, source_row, code,
       COUNT(*) OVER (PARTITION BY problem) AS total,
       ROW_NUMBER() OVER (PARTITION BY problem ORDER BY source_row) AS example
FROM problems
ORDER BY problem, source_row
