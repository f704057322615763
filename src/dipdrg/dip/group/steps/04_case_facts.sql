-- Step 4: one row per case with what the rules test: principal dx keys, the effective principal
-- procedure (first counting procedure by seq that may be principal), newborn age/weight, TB drug
-- resistance (结核耐药: principal dx on the resistant list or a secondary marker such as U84.300),
-- the attribute of the principal procedure, and the reason a case cannot be grouped at all.
CREATE OR REPLACE TEMP TABLE dipg_case AS
WITH principal_proc AS (
    SELECT setl_id, code
    FROM (
        SELECT setl_id, code, ROW_NUMBER() OVER (PARTITION BY setl_id ORDER BY seq) AS rn
        FROM dipg_proc
        WHERE mode <> 'not_principal'
    ) AS ranked
    WHERE rn = 1
),
bad_principal_proc AS (
    SELECT DISTINCT setl_id
    FROM dipg_in_proc
    WHERE seq = 0 AND code IS NULL AND raw IS NOT NULL AND TRIM(raw) <> ''
),
resistant AS (
    SELECT DISTINCT dx.setl_id
    FROM dipg_in_dx AS dx
    JOIN dipg_r_tb_marker AS m
      ON m.code = dx.code AND ((m.role = 'principal' AND dx.seq = 0) OR (m.role = 'secondary' AND dx.seq > 0))
)
SELECT
    c.setl_id,
    d.pdx,
    d.pdx3,
    d.pdx4,
    pp.code AS pp,
    a.category AS pp_category,
    c.age_days,
    c.birth_weight,
    (r.setl_id IS NOT NULL) AS resistant,
    CASE
        WHEN d.setl_id IS NULL OR d.pdx_raw IS NULL OR TRIM(d.pdx_raw) = '' THEN 'NO_PDX'
        WHEN d.pdx IS NULL THEN 'PDX_INVALID'
        WHEN xd.code IS NOT NULL THEN 'PDX_EXCLUDED'
        WHEN bp.setl_id IS NOT NULL THEN 'PROC_INVALID'
    END AS stop_reason
FROM dipg_in_case AS c
LEFT JOIN dipg_pdx AS d ON d.setl_id = c.setl_id
LEFT JOIN principal_proc AS pp ON pp.setl_id = c.setl_id
LEFT JOIN dipg_proc_attr AS a ON a.code = pp.code
LEFT JOIN dipg_r_excl_dx AS xd ON xd.code = d.pdx
LEFT JOIN bad_principal_proc AS bp ON bp.setl_id = c.setl_id
LEFT JOIN resistant AS r ON r.setl_id = c.setl_id;
