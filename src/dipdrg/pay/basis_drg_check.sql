-- Completeness of a DRG scoring run before settling it ("nothing lost", DESIGN.md §7), as
-- basis_dip_check.sql: scored cases missing from `cases`, cases with no settlement or discharge
-- date, and grouped cases with an empty total cost or fund amount (counted, then reported).
SELECT COUNT(*) AS scored,
       COUNT(CASE WHEN c.setl_id IS NULL THEN 1 END) AS missing_cases,
       COUNT(CASE WHEN c.setl_id IS NOT NULL AND c.setl_end_date IS NULL AND c.dscg_time IS NULL
                  THEN 1 END) AS undated,
       COUNT(CASE WHEN c.setl_id IS NOT NULL AND s.drg IS NOT NULL
                       AND (c.medfee_sumamt IS NULL OR c.hifp_pay IS NULL) THEN 1 END) AS no_money
FROM drg_case_scores s
LEFT JOIN cases c ON c.setl_id = s.setl_id
WHERE s.run_id = $basis_run_id
