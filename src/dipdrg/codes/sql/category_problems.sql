-- Problems in the procedure attribute file (手术/介入治疗/治疗性操作/诊断性操作): empty or malformed
-- codes, rows without or with an unknown attribute, codes absent from the procedure list,
-- codes given two different attributes (skipped), and listed procedures left without one.
-- A code with no known attribute is reported, never guessed. regexp_full_match = SIMILAR TO.
WITH valid AS (
    SELECT source_row, code, category FROM _category_src
    WHERE code IS NOT NULL AND category IN (SELECT category FROM _category_values)
), conflicts AS (
    SELECT code FROM valid GROUP BY code HAVING COUNT(DISTINCT category) > 1
), problems AS (
    SELECT 'empty' AS problem, source_row, '' AS code FROM _category_src WHERE code IS NULL
    UNION ALL
    SELECT 'malformed', source_row, code FROM _category_src
    WHERE code IS NOT NULL AND NOT regexp_full_match(code, $pattern)
    UNION ALL
    SELECT 'no_category', source_row, code FROM _category_src
    WHERE code IS NOT NULL AND category IS NULL
    UNION ALL
    SELECT 'bad_category', source_row, code || '（' || category || '）' FROM _category_src
    WHERE code IS NOT NULL AND category IS NOT NULL
      AND category NOT IN (SELECT category FROM _category_values)
    UNION ALL
    SELECT 'unlisted', source_row, code FROM _category_src AS s
    WHERE code IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM codes AS k WHERE k.kind = 'procedure' AND k.code = s.code)
    UNION ALL
    SELECT 'conflict', v.source_row, v.code || '（' || v.category || '）'
    FROM valid AS v JOIN conflicts AS c ON c.code = v.code
    UNION ALL
    SELECT 'missing', NULL, k.code FROM codes AS k
    WHERE k.kind = 'procedure'
      AND NOT EXISTS (SELECT 1 FROM valid AS v WHERE v.code = k.code)
)
SELECT problem, source_row, code,
       COUNT(*) OVER (PARTITION BY problem) AS total,
       ROW_NUMBER() OVER (PARTITION BY problem ORDER BY source_row, code) AS example
FROM problems
ORDER BY problem, source_row, code
