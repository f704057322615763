-- Input hash of the cases a DRG settlement reads (DESIGN.md §7 "Reproducible"), as
-- basis_dip_hash.sql: every field the settlement uses, of every case of the scoring run.
-- string_agg(... ORDER BY ...) is PostgreSQL/DuckDB; Spark: sha2(concat_ws(';',
-- array_sort(collect_list(...))), 256).
SELECT sha256(string_agg(
           c.setl_id || '|' || c.fixmedins_code
           || '|' || COALESCE(CAST(c.medfee_sumamt AS VARCHAR), '')
           || '|' || COALESCE(CAST(c.hifp_pay AS VARCHAR), '')
           || '|' || COALESCE(CAST(c.setl_end_date AS VARCHAR), '')
           || '|' || COALESCE(CAST(c.dscg_time AS VARCHAR), ''),
           ';' ORDER BY c.setl_id))
FROM drg_case_scores s
JOIN cases c ON c.setl_id = s.setl_id
WHERE s.run_id = $basis_run_id
