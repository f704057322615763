-- Step 5, the main loop (ALGORITHM.md §4), per case in one pass: the first MDC whose entry
-- held (first_order, NULL when none did) and the lowest rank (MDC check order, then ADRG
-- check order) among the rules that hold in an entered MDC. Whether a rank from a later MDC
-- than the first entered one may be used is the switch fall_through_after_mdc (step 7).
CREATE OR REPLACE TEMP TABLE drg_choice AS
SELECT case_key, MIN(first_order) AS first_order, MIN(rank) AS rank
FROM (
    SELECT case_key, mdc_order AS first_order, CAST(NULL AS BIGINT) AS rank
    FROM drg_mdc_entry
    UNION ALL
    SELECT case_key, CAST(NULL AS INTEGER), rank
    FROM drg_adrg_match
) u
GROUP BY case_key;
