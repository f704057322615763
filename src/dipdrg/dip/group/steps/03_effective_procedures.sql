-- Step 3: the procedures that count for grouping (DIP 3.0 不纳入分组手术).
-- mode 'ignore' (按保守治疗入组): dropped; 'principal_if_dx': counts only when the principal
-- diagnosis is in the listed categories, else dropped; 'not_principal' (不可作为主要手术操作):
-- kept, but may not be the principal procedure (step 4 takes the next one).
-- Procedures whose code could not be normalised (NULL) do not count.
CREATE OR REPLACE TEMP TABLE dipg_proc AS
WITH listed AS (
    SELECT p.setl_id, p.seq, p.code, x.mode
    FROM dipg_in_proc AS p
    JOIN dipg_r_excl_proc AS x ON x.code = p.code
),
allowed AS (
    SELECT DISTINCT l.setl_id, l.seq
    FROM listed AS l
    JOIN dipg_pdx AS d ON d.setl_id = l.setl_id
    JOIN dipg_r_excl_proc_dx AS a ON a.code = l.code AND (a.dx_key = d.pdx3 OR a.dx_key = d.pdx4)
    WHERE l.mode = 'principal_if_dx'
)
SELECT p.setl_id, p.seq, p.code, COALESCE(l.mode, 'count') AS mode
FROM dipg_in_proc AS p
LEFT JOIN listed AS l ON l.setl_id = p.setl_id AND l.seq = p.seq
LEFT JOIN allowed AS a ON a.setl_id = p.setl_id AND a.seq = p.seq
WHERE p.code IS NOT NULL
  AND (l.mode IS NULL OR l.mode = 'not_principal' OR (l.mode = 'principal_if_dx' AND a.setl_id IS NOT NULL));
