-- Step 5, the main loop (ALGORITHM.md §4): among the rules that hold in an MDC the case
-- entered, the lowest rank (MDC check order, then ADRG check order) wins. With the switch
-- fall_through_after_mdc off only the first entered MDC may supply it (national rule);
-- with it on a later entered MDC may (OpenDRG, §9.3).
CREATE OR REPLACE TEMP TABLE drg_entered AS
SELECT case_key, MIN(mdc_order) AS first_order
FROM drg_mdc_entry
GROUP BY case_key;

CREATE OR REPLACE TEMP TABLE drg_choice AS
SELECT m.case_key, MIN(m.rank) AS rank
FROM drg_adrg_match m
JOIN drg_mdc_entry e ON e.case_key = m.case_key AND e.mdc = m.mdc
JOIN drg_entered f ON f.case_key = m.case_key
CROSS JOIN pk_switch s
WHERE s.fall_through OR e.mdc_order = f.first_order
GROUP BY m.case_key;
