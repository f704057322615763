-- Step 2: 3- and 4-character keys of every diagnosis, for rules that look beyond the principal
-- diagnosis (诊断辅助细分: burn area T31/T32 and tumour site as other diagnoses; 先期分组: P07
-- on any diagnosis). The engine skips this step when the catalog has no such rule.
CREATE OR REPLACE TEMP TABLE dipg_case_dx AS
SELECT DISTINCT setl_id, role, dx_key
FROM (
    SELECT setl_id, CASE WHEN seq = 0 THEN 'P' ELSE 'S' END AS role, SUBSTRING(code, 1, 3) AS dx_key
    FROM dipg_in_dx
    WHERE code IS NOT NULL
    UNION ALL
    SELECT setl_id, CASE WHEN seq = 0 THEN 'P' ELSE 'S' END AS role, SUBSTRING(code, 1, 5) AS dx_key
    FROM dipg_in_dx
    WHERE code IS NOT NULL AND SUBSTRING(code, 4, 1) = '.' AND SUBSTRING(code, 5, 1) BETWEEN '0' AND '9'
) AS keys;
