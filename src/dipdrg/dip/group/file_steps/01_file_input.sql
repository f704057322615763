-- File mode input, part 1: explode a flat settlement-list file (one row per case, lists joined
-- by '|') into one row per raw code. Part 2 joins the codes layer's normalisation map.
-- DuckDB: UNNEST(string_split(...)) WITH ORDINALITY (1-based); portable equivalent on Spark:
-- LATERAL VIEW POSEXPLODE(SPLIT(...)) whose position is 0-based (drop the "- 1" there).
CREATE OR REPLACE TEMP TABLE dipg_in_case AS
SELECT setl_id, ord, TRY_CAST(age_days AS INTEGER) AS age_days, TRY_CAST(birth_weight AS INTEGER) AS birth_weight
FROM dipg_file;

CREATE OR REPLACE TEMP TABLE dipg_file_codes AS
SELECT f.setl_id, 'D' AS kind, 0 AS seq, TRIM(f.pdx) AS raw
FROM dipg_file AS f
UNION ALL
SELECT f.setl_id, 'D' AS kind, CAST(g.pos AS INTEGER) AS seq, TRIM(g.item) AS raw
FROM dipg_file AS f
CROSS JOIN UNNEST(string_split(f.sdx, '|')) WITH ORDINALITY AS g(item, pos)
WHERE f.sdx IS NOT NULL
UNION ALL
SELECT f.setl_id, 'P' AS kind, CAST(g.pos AS INTEGER) - 1 AS seq, TRIM(g.item) AS raw
FROM dipg_file AS f
CROSS JOIN UNNEST(string_split(f.procs, '|')) WITH ORDINALITY AS g(item, pos)
WHERE f.procs IS NOT NULL;
