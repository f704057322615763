-- Step 5, the main loop (ALGORITHM.md §4): the lowest rank (MDC check order, then ADRG check
-- order) among the rules that hold in an entered MDC is the case's ADRG candidate, and the
-- first entered MDC is kept per case. Whether a candidate from a later MDC than the first
-- entered one may be used is the switch fall_through_after_mdc, applied in step 7.
CREATE OR REPLACE TEMP TABLE drg_entered AS
SELECT case_key, MIN(mdc_order) AS first_order
FROM drg_mdc_entry
GROUP BY case_key;

CREATE OR REPLACE TEMP TABLE drg_choice AS
SELECT case_key, MIN(rank) AS rank
FROM drg_adrg_match
GROUP BY case_key;
