-- Step 1: the principal diagnosis (主要诊断, seq 0) and its DIP keys.
-- DESIGN §4.6 "Keys": the 4-character key is the code up to the first digit after the dot
-- (K35.800x001 -> K35.8); when the 5th character is not a digit (R31.x00) only the
-- 3-character category exists. This is the one SQL definition of the key
-- (Python: dipdrg.codes.normalise.dip_keys; tests check that both agree).
CREATE OR REPLACE TEMP TABLE dipg_pdx AS
SELECT
    setl_id,
    code AS pdx,
    raw AS pdx_raw,
    SUBSTRING(code, 1, 3) AS pdx3,
    CASE
        WHEN SUBSTRING(code, 4, 1) = '.' AND SUBSTRING(code, 5, 1) BETWEEN '0' AND '9'
        THEN SUBSTRING(code, 1, 5)
    END AS pdx4
FROM dipg_in_dx
WHERE seq = 0;
