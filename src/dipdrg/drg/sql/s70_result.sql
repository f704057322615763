-- Step 7, output (ALGORITHM.md §8): one row per case. CHECK_FAILED (reason = the check)
-- and FAIL (no_mdc: no entry rule held; no_adrg: entered but no rule matched) give
-- 0000/00/0000; SUCCESS gives the MDC, ADRG and the DRG of the severity level (a QY group
-- gives its own code as ADRG and DRG, reason qy).
CREATE OR REPLACE TEMP TABLE drg_result AS
SELECT c.case_key,
       CASE WHEN k.reason IS NOT NULL OR u.case_key IS NOT NULL THEN 'CHECK_FAILED'
            WHEN a.rank IS NULL THEN 'FAIL'
            ELSE 'SUCCESS' END AS status,
       CASE WHEN k.reason IS NOT NULL THEN k.reason
            WHEN u.case_key IS NOT NULL THEN 'code_unmapped'
            WHEN a.rank IS NOT NULL THEN CASE WHEN a.is_qy THEN 'qy' END
            WHEN e.case_key IS NOT NULL THEN 'no_adrg'
            ELSE 'no_mdc' END AS reason,
       CASE WHEN k.reason IS NULL AND u.case_key IS NULL AND a.rank IS NOT NULL
            THEN a.mdc ELSE '0000' END AS mdc,
       CASE WHEN k.reason IS NULL AND u.case_key IS NULL AND a.rank IS NOT NULL
            THEN a.adrg ELSE '00' END AS adrg,
       CASE WHEN k.reason IS NOT NULL OR u.case_key IS NOT NULL OR a.rank IS NULL THEN '0000'
            WHEN a.is_qy THEN a.adrg
            ELSE d.drg END AS drg
FROM drg_case c
LEFT JOIN drg_check k ON k.case_key = c.case_key
LEFT JOIN drg_unmapped u ON u.case_key = c.case_key
LEFT JOIN drg_entered e ON e.case_key = c.case_key
LEFT JOIN drg_choice h ON h.case_key = c.case_key
LEFT JOIN pk_adrg a ON a.rank = h.rank
LEFT JOIN drg_level l ON l.case_key = c.case_key
LEFT JOIN pk_drg_level d ON d.adrg = a.adrg AND d.level_rank = COALESCE(l.level_rank, 0);
