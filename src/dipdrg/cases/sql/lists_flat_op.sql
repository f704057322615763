-- Step: procedures from flat list columns (结算清单手术操作信息).
-- op_codes[1] is the principal procedure (主要手术操作, seq 0); the others follow in list
-- order as seq 1.., skipping empty slots. Dates and names are aligned by position.
-- unnest/generate_subscripts: DuckDB; portable equivalent posexplode (Spark) / WITH ORDINALITY.
CREATE OR REPLACE TEMP TABLE imp_stage_op AS
SELECT source_row,
       CAST(CASE WHEN pos = 1 THEN 0
                 ELSE row_number() OVER (PARTITION BY source_row, pos = 1 ORDER BY pos) END AS INTEGER) AS seq,
       oprn_code, oprn_name, oprn_date, CASE WHEN pos = 1 THEN '1' ELSE '0' END AS main_flag,
       CAST(NULL AS VARCHAR) AS anst_way, CAST(NULL AS VARCHAR) AS oper_dr_code,
       NULL AS side_file, NULL AS side_row
FROM (
    SELECT source_row, pos,
           imp_text(op_codes[pos]) AS oprn_code,
           imp_text(op_names[pos]) AS oprn_name,
           imp_text(op_dates[pos]) AS oprn_date
    FROM (SELECT source_row, op_codes, op_names, op_dates, generate_subscripts(op_codes, 1) AS pos
          FROM imp_lists WHERE len(op_codes) > 0)
) WHERE oprn_code IS NOT NULL;
