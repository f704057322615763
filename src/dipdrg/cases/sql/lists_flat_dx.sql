-- Step: diagnoses from flat list columns (结算清单诊断信息：主要诊断 + 其他诊断).
-- imp_lists holds, per source row, the principal diagnosis as text and the other diagnoses
-- as lists (joined "A|B" split, or numbered columns 1..N in order). seq 0 = 主要诊断; the
-- others are numbered 1.. in list order, skipping empty slots. No principal -> no seq 0.
-- The kept positions are listed first (keep), so seq is the index in that list: no window.
-- list_filter/generate_subscripts/unnest: DuckDB; Spark: filter(sequence(1, size(l)), i -> ...)
-- then posexplode.
CREATE OR REPLACE TEMP VIEW imp_stage_dx AS
SELECT source_row, 0 AS seq, imp_text(dx_main_code) AS diag_code, imp_text(dx_main_name) AS diag_name,
       imp_text(dx_main_cond) AS adm_cond_type, '1' AS main_flag, NULL AS side_file, NULL AS side_row
FROM imp_lists
WHERE imp_text(dx_main_code) IS NOT NULL
UNION ALL
SELECT source_row, seq, imp_text(dx_other_codes[pos]), imp_text(dx_other_names[pos]),
       imp_text(dx_other_conds[pos]), '0', NULL, NULL
FROM (
    SELECT source_row, dx_other_codes, dx_other_names, dx_other_conds,
           CAST(generate_subscripts(keep, 1) AS INTEGER) AS seq, unnest(keep) AS pos
    FROM (SELECT source_row, dx_other_codes, dx_other_names, dx_other_conds,
                 list_filter(generate_series(1, len(dx_other_codes)),
                             lambda i: imp_text(dx_other_codes[i]) IS NOT NULL) AS keep
          FROM imp_lists WHERE len(dx_other_codes) > 0)
);
