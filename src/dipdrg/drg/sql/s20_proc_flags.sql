-- Step 2, procedure facts per case used by MDCA entry and the OR-list rule atoms
-- (ALGORITHM.md §5 principal_proc_in_or_list, §6 pproc_in_or_list / no_proc_in_or_list,
-- §9.1 QY). Cases without procedures have no row (both flags false).
CREATE OR REPLACE TEMP TABLE drg_proc_flags AS
SELECT p.case_key,
       MAX(CASE WHEN p.seq = 0 AND o.code IS NOT NULL THEN 1 ELSE 0 END) AS pproc_or,
       MAX(CASE WHEN o.code IS NOT NULL THEN 1 ELSE 0 END) AS anyproc_or
FROM drg_proc p
LEFT JOIN pk_or o ON o.code = p.code
GROUP BY p.case_key;
