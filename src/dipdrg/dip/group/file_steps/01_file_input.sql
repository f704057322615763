-- File mode input: explode a flat settlement-list file (one row per case, lists joined by '|')
-- into the relations the grouping steps read. Codes get the light clean-up of file mode
-- (trim, upper case, extension marker 'x' in lower case), the same as
-- dipdrg.dip.group.single.clean_code.
-- DuckDB: UNNEST(string_split(...)) WITH ORDINALITY (1-based); portable equivalent on Spark:
-- LATERAL VIEW POSEXPLODE(SPLIT(...)) whose position is 0-based (drop the "- 1" there).
CREATE OR REPLACE TEMP TABLE dipg_in_case AS
SELECT setl_id, ord, TRY_CAST(age_days AS INTEGER) AS age_days, TRY_CAST(birth_weight AS INTEGER) AS birth_weight
FROM dipg_file;

CREATE OR REPLACE TEMP TABLE dipg_file_codes AS
SELECT f.setl_id, 'D' AS kind, 0 AS seq, f.pdx AS raw
FROM dipg_file AS f
UNION ALL
SELECT f.setl_id, 'D' AS kind, CAST(g.pos AS INTEGER) AS seq, g.item AS raw
FROM dipg_file AS f
CROSS JOIN UNNEST(string_split(f.sdx, '|')) WITH ORDINALITY AS g(item, pos)
WHERE f.sdx IS NOT NULL
UNION ALL
SELECT f.setl_id, 'P' AS kind, CAST(g.pos AS INTEGER) - 1 AS seq, g.item AS raw
FROM dipg_file AS f
CROSS JOIN UNNEST(string_split(f.procs, '|')) WITH ORDINALITY AS g(item, pos)
WHERE f.procs IS NOT NULL;

CREATE OR REPLACE TEMP TABLE dipg_file_clean AS
SELECT
    setl_id,
    kind,
    seq,
    raw,
    CASE
        WHEN raw IS NULL OR TRIM(raw) = '' THEN NULL
        ELSE UPPER(SUBSTRING(TRIM(raw), 1, 1)) || REPLACE(UPPER(SUBSTRING(TRIM(raw), 2)), 'X', 'x')
    END AS code
FROM dipg_file_codes;

CREATE OR REPLACE TEMP TABLE dipg_in_dx AS
SELECT setl_id, seq, code, raw FROM dipg_file_clean WHERE kind = 'D' AND (seq = 0 OR code IS NOT NULL);

CREATE OR REPLACE TEMP TABLE dipg_in_proc AS
SELECT setl_id, seq, code, raw FROM dipg_file_clean WHERE kind = 'P' AND code IS NOT NULL;
