-- Input hash of the special-case decisions a settlement applies (DESIGN.md §7 "Reproducible").
-- string_agg(... ORDER BY ...) is PostgreSQL/DuckDB; Spark: concat_ws over array_sort(collect_list).
SELECT COUNT(*),
       sha256(COALESCE(string_agg(
           setl_id || '|' || pay_mode || '|' || COALESCE(CAST(adjusted_amount AS VARCHAR), ''),
           ';' ORDER BY setl_id), ''))
FROM special_case_requests
WHERE state = 'approved' AND method = $method
