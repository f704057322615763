-- Step: diagnoses from a diagnosis table keyed by setl_id (SETL_LIST_DIAG_D) or from the
-- diseinfo list of a 4101 record. imp_side_dx holds one row per diagnosis already linked to
-- its settlement row (source_row). Order: the row flagged 主诊断 first (a western-medicine
-- diagnosis before a TCM one, diag_type 2/3), then file order. seq 0 only when a row is
-- flagged; otherwise the diagnoses are 1.. and the case has no principal diagnosis.
CREATE OR REPLACE TEMP VIEW imp_stage_dx AS
SELECT source_row,
       CAST(rn - CASE WHEN any_main THEN 1 ELSE 0 END AS INTEGER) AS seq,
       diag_code, diag_name, adm_cond_type, main_flag, side_file, side_row
FROM (
    SELECT *,
           row_number() OVER (PARTITION BY source_row
                              ORDER BY CASE WHEN imp_flag(main_flag) THEN 0 ELSE 1 END,
                                       CASE WHEN imp_text(diag_type) IN ('2', '3') THEN 1 ELSE 0 END,
                                       side_row, item_no) AS rn,
           max(CASE WHEN imp_flag(main_flag) THEN 1 ELSE 0 END) OVER (PARTITION BY source_row) = 1 AS any_main
    FROM imp_side_dx
    WHERE imp_text(diag_code) IS NOT NULL
);
