-- Case payment basis from DRG units (DESIGN.md §5 "payment = RW × rate × coefficient"; §4.6
-- "Point values", "Outliers"): the DRG adapter of the settlement engine, the counterpart of
-- basis_dip.sql. One row per case of the DRG scoring run whose settlement date falls in
-- [$date_from, $date_to).
-- units = the case units (病例权重 = RW × coefficient, low/high outliers already applied by the
-- scoring step), settled at the rate (费率) where DIP uses the point value;
-- neutral_units = the same at coefficient 1 and without outliers (the RW).
-- Ungrouped cases (drg NULL) are outside DRG payment: in_scope = FALSE, kept for the record.
-- The settlement month is the settlement date or the discharge date (policy settle.month_basis),
-- falling back to the other when the chosen one is empty.
-- LPAD is available in PostgreSQL, Spark SQL and DuckDB.
CREATE OR REPLACE TEMP TABLE tmp_settle_basis AS
WITH dated AS (
    SELECT s.setl_id,
           COALESCE(s.fixmedins_code, c.fixmedins_code) AS fixmedins_code,
           s.drg,
           s.case_units,
           s.rw,
           s.outlier,
           COALESCE(c.medfee_sumamt, 0) AS medfee_sumamt,
           COALESCE(c.hifp_pay, 0) AS hifp_pay,
           CASE WHEN $month_basis = 'discharge'
                THEN COALESCE(CAST(c.dscg_time AS DATE), c.setl_end_date)
                ELSE COALESCE(c.setl_end_date, CAST(c.dscg_time AS DATE)) END AS basis_date
    FROM drg_case_scores s
    JOIN cases c ON c.setl_id = s.setl_id
    WHERE s.run_id = $basis_run_id
)
SELECT 'drg' AS method,
       setl_id,
       fixmedins_code,
       drg AS group_code,
       (drg IS NOT NULL AND case_units IS NOT NULL) AS in_scope,
       case_units AS units,
       rw AS neutral_units,
       outlier,
       medfee_sumamt,
       hifp_pay,
       CASE WHEN $granularity = 'month'
            THEN CAST(EXTRACT(YEAR FROM basis_date) AS VARCHAR) || '-'
                 || LPAD(CAST(EXTRACT(MONTH FROM basis_date) AS VARCHAR), 2, '0')
            ELSE CAST(EXTRACT(YEAR FROM basis_date) AS VARCHAR) END AS period
FROM dated
WHERE basis_date >= $date_from AND basis_date < $date_to
