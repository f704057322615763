-- Case payment basis from DIP scores (DESIGN.md §4.3–4.4, §4.6 "Point values").
-- One row per case of the scoring run whose settlement date falls in [$date_from, $date_to).
-- units = the case score (病例分值; low/high outliers already applied by the scoring step);
-- neutral_units = the same score at institution coefficient 1 (base score × auxiliary).
-- Ungrouped cases (group_code NULL) are outside DIP: in_scope = FALSE, kept for the record.
-- The settlement month is the settlement date or the discharge date (policy settle.month_basis),
-- falling back to the other when the chosen one is empty.
-- LPAD is available in PostgreSQL, Spark SQL and DuckDB.
CREATE OR REPLACE TEMP TABLE tmp_settle_basis AS
WITH dated AS (
    SELECT s.setl_id,
           COALESCE(s.fixmedins_code, c.fixmedins_code) AS fixmedins_code,
           s.group_code,
           s.case_score,
           s.base_score,
           s.aux_coefficient,
           s.outlier,
           COALESCE(c.medfee_sumamt, 0) AS medfee_sumamt,
           COALESCE(c.hifp_pay, 0) AS hifp_pay,
           CASE WHEN $month_basis = 'discharge'
                THEN COALESCE(CAST(c.dscg_time AS DATE), c.setl_end_date)
                ELSE COALESCE(c.setl_end_date, CAST(c.dscg_time AS DATE)) END AS basis_date
    FROM dip_case_scores s
    JOIN cases c ON c.setl_id = s.setl_id
    WHERE s.run_id = $basis_run_id
)
SELECT 'dip' AS method,
       setl_id,
       fixmedins_code,
       group_code,
       (group_code IS NOT NULL AND case_score IS NOT NULL) AS in_scope,
       case_score AS units,
       CAST(ROUND(base_score * COALESCE(aux_coefficient, 1), 4) AS DECIMAL(18,4)) AS neutral_units,
       outlier,
       medfee_sumamt,
       hifp_pay,
       CASE WHEN $granularity = 'month'
            THEN CAST(EXTRACT(YEAR FROM basis_date) AS VARCHAR) || '-'
                 || LPAD(CAST(EXTRACT(MONTH FROM basis_date) AS VARCHAR), 2, '0')
            ELSE CAST(EXTRACT(YEAR FROM basis_date) AS VARCHAR) END AS period
FROM dated
WHERE basis_date >= $date_from AND basis_date < $date_to
