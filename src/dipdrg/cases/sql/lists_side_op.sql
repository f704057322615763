-- Step: procedures from a procedure table keyed by setl_id (SETL_LIST_OPRN_D) or from the
-- oprninfo list of a 4101 record. The row flagged 主手术 first (seq 0), then file order; no
-- flagged row -> no principal procedure (seq starts at 1).
CREATE OR REPLACE TEMP VIEW imp_stage_op AS
SELECT source_row,
       CAST(rn - CASE WHEN any_main THEN 1 ELSE 0 END AS INTEGER) AS seq,
       oprn_code, oprn_name, oprn_date, main_flag, anst_way, oper_dr_code, side_file, side_row
FROM (
    SELECT *,
           row_number() OVER (PARTITION BY source_row
                              ORDER BY CASE WHEN imp_flag(main_flag) THEN 0 ELSE 1 END,
                                       side_row, item_no) AS rn,
           max(CASE WHEN imp_flag(main_flag) THEN 1 ELSE 0 END) OVER (PARTITION BY source_row) = 1 AS any_main
    FROM imp_side_op
    WHERE imp_text(oprn_code) IS NOT NULL
);
