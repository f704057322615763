-- Problems in a 国临版 → 医保版 crosswalk: empty cells, a source mapped to two different targets
-- (skipped: never guess which one), targets absent from the loaded 医保版 list (loaded, reported).
WITH conflicts AS (
    SELECT source_code FROM _crosswalk_src
    WHERE source_code IS NOT NULL AND target_code IS NOT NULL
    GROUP BY source_code HAVING COUNT(DISTINCT target_code) > 1
), problems AS (
    SELECT 'empty' AS problem, source_row, COALESCE(source_code, '') || '→' || COALESCE(target_code, '') AS code
    FROM _crosswalk_src WHERE source_code IS NULL OR target_code IS NULL
    UNION ALL
    SELECT 'conflict', s.source_row, s.source_code || '→' || s.target_code
    FROM _crosswalk_src AS s JOIN conflicts AS c ON c.source_code = s.source_code
    UNION ALL
    SELECT 'target_unlisted', s.source_row, s.source_code || '→' || s.target_code
    FROM _crosswalk_src AS s
    WHERE s.target_code IS NOT NULL AND s.source_code IS NOT NULL
      AND EXISTS (SELECT 1 FROM codes WHERE kind = $kind)
      AND NOT EXISTS (SELECT 1 FROM codes AS k WHERE k.kind = $kind AND k.code = s.target_code)
)
SELECT problem, source_row, code,
       COUNT(*) OVER (PARTITION BY problem) AS total,
       ROW_NUMBER() OVER (PARTITION BY problem ORDER BY source_row) AS example
FROM problems
ORDER BY problem, source_row
