-- Step 7, output (ALGORITHM.md §8): one row per case. CHECK_FAILED (reason = the check)
-- and FAIL (no_mdc: no entry rule held; no_adrg: entered but no rule matched) give
-- 0000/00/0000; SUCCESS gives the MDC, ADRG and the DRG of the severity level (a QY group
-- gives its own code as ADRG and DRG, reason qy). The candidate of step 5 counts when the
-- pack falls through (OpenDRG, §9.3) or it lies in the first entered MDC (national rule).
CREATE OR REPLACE TEMP TABLE drg_result AS
WITH outcome AS (
    SELECT c.case_key, k.reason AS check_reason, u.case_key IS NOT NULL AS unmapped,
           h.first_order IS NOT NULL AS entered,
           CASE WHEN s.fall_through OR a.mdc_order = h.first_order THEN a.rank END AS rank,
           a.mdc, a.adrg, a.is_qy, d.drg
    FROM drg_case c
    CROSS JOIN pk_switch s
    LEFT JOIN drg_check k ON k.case_key = c.case_key
    LEFT JOIN drg_unmapped u ON u.case_key = c.case_key
    LEFT JOIN drg_choice h ON h.case_key = c.case_key
    LEFT JOIN pk_adrg a ON a.rank = h.rank
    LEFT JOIN drg_level l ON l.case_key = c.case_key
    LEFT JOIN pk_drg_level d ON d.adrg = a.adrg AND d.level_rank = COALESCE(l.level_rank, 0)
)
SELECT case_key,
       CASE WHEN check_reason IS NOT NULL OR unmapped THEN 'CHECK_FAILED'
            WHEN rank IS NULL THEN 'FAIL'
            ELSE 'SUCCESS' END AS status,
       CASE WHEN check_reason IS NOT NULL THEN check_reason
            WHEN unmapped THEN 'code_unmapped'
            WHEN rank IS NOT NULL THEN CASE WHEN is_qy THEN 'qy' END
            WHEN entered THEN 'no_adrg'
            ELSE 'no_mdc' END AS reason,
       CASE WHEN check_reason IS NULL AND NOT unmapped AND rank IS NOT NULL THEN mdc ELSE '0000' END AS mdc,
       CASE WHEN check_reason IS NULL AND NOT unmapped AND rank IS NOT NULL THEN adrg ELSE '00' END AS adrg,
       CASE WHEN check_reason IS NOT NULL OR unmapped OR rank IS NULL THEN '0000'
            WHEN is_qy THEN adrg
            ELSE drg END AS drg
FROM outcome;
