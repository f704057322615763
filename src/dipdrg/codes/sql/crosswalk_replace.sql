-- Load the 国临版 → 医保版 crosswalk of one kind, replacing the previous one (idempotent).
-- Sources with two different targets are left out (reported by crosswalk_problems.sql).
DELETE FROM code_crosswalk WHERE kind = $kind;
DELETE FROM code_lists WHERE list_id = $list_id;
INSERT INTO code_crosswalk (kind, source_code, target_code)
SELECT $kind, source_code, MIN(target_code)
FROM _crosswalk_src
WHERE source_code IS NOT NULL AND target_code IS NOT NULL
GROUP BY source_code
HAVING COUNT(DISTINCT target_code) = 1;
