-- Step: procedures from flat list columns (结算清单手术操作信息).
-- op_codes[1] is the principal procedure (主要手术操作, seq 0); the others follow in list
-- order as seq 1.., skipping empty slots (an empty first slot: no principal, others from 1).
-- Dates and names are aligned by position. The kept positions are listed first (keep), so
-- seq is the index in that list, minus one when slot 1 is kept: no window.
-- list_filter/generate_subscripts/unnest: DuckDB; Spark: filter(sequence(1, size(l)), i -> ...)
-- then posexplode.
CREATE OR REPLACE TEMP VIEW imp_stage_op AS
SELECT source_row, CAST(idx - CASE WHEN keep[1] = 1 THEN 1 ELSE 0 END AS INTEGER) AS seq,
       imp_text(op_codes[pos]) AS oprn_code, imp_text(op_names[pos]) AS oprn_name,
       imp_text(op_dates[pos]) AS oprn_date, CASE WHEN pos = 1 THEN '1' ELSE '0' END AS main_flag,
       CAST(NULL AS VARCHAR) AS anst_way, CAST(NULL AS VARCHAR) AS oper_dr_code,
       NULL AS side_file, NULL AS side_row
FROM (
    SELECT source_row, op_codes, op_names, op_dates, keep,
           generate_subscripts(keep, 1) AS idx, unnest(keep) AS pos
    FROM (SELECT source_row, op_codes, op_names, op_dates,
                 list_filter(generate_series(1, len(op_codes)),
                             lambda i: imp_text(op_codes[i]) IS NOT NULL) AS keep
          FROM imp_lists WHERE len(op_codes) > 0)
);
