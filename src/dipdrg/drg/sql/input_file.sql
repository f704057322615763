-- Input, file mode: the reference case layout (registered as drg_file_raw, every column text
-- with '' for empty, row_no = input order) to drg_case / drg_dx / drg_proc.
-- ALGORITHM.md §2: the principal and the other codes form one list split on ',' or '|',
-- nothing trimmed or dropped; an empty diagnosis list is [''], an empty procedure list [].
-- Whole numbers: digits only (spaces around allowed), anything else NULL (case.parse_int);
-- SIMILAR TO is standard SQL (Spark: RLIKE '^[+-]?[0-9]+$'), TRY_CAST is DuckDB/Spark
-- (PostgreSQL: plain CAST, safe after the pattern test).
-- DuckDB-only: string_split_regex (Spark: split(s, '[,|]'); PostgreSQL:
-- regexp_split_to_array). UNNEST ... WITH ORDINALITY is standard (Spark: posexplode, 0-based).
-- Output: drg_case, drg_dx_src, drg_proc_src (codes step s15 makes drg_dx / drg_proc).
CREATE OR REPLACE TEMP TABLE drg_case AS
SELECT row_no AS case_key,
       CASE WHEN TRIM(gender) SIMILAR TO '[+-]?[0-9]+' THEN TRY_CAST(TRIM(gender) AS INTEGER) END AS gender,
       CASE WHEN TRIM(age) SIMILAR TO '[+-]?[0-9]+' THEN TRY_CAST(TRIM(age) AS INTEGER) END AS age,
       CASE WHEN TRIM(age_days) SIMILAR TO '[+-]?[0-9]+' THEN TRY_CAST(TRIM(age_days) AS INTEGER) END AS age_days,
       CASE WHEN TRIM(birth_weight) SIMILAR TO '[+-]?[0-9]+' THEN TRY_CAST(TRIM(birth_weight) AS INTEGER) END AS birth_weight
FROM drg_file_raw;

CREATE OR REPLACE TEMP TABLE drg_dx_src AS
WITH lists AS (
    SELECT row_no,
           string_split_regex(principal_dx || CASE WHEN secondary_dx <> '' THEN '|' || secondary_dx ELSE '' END,
                              '[,|]') AS codes
    FROM drg_file_raw
)
SELECT l.row_no AS case_key, CAST(o.pos - 1 AS INTEGER) AS seq, o.code
FROM lists l
CROSS JOIN UNNEST(l.codes) WITH ORDINALITY AS o(code, pos);

CREATE OR REPLACE TEMP TABLE drg_proc_src AS
WITH lists AS (
    SELECT row_no,
           string_split_regex(principal_proc || CASE WHEN other_procs <> '' THEN '|' || other_procs ELSE '' END,
                              '[,|]') AS codes
    FROM drg_file_raw
    WHERE principal_proc <> '' OR other_procs <> ''
)
SELECT l.row_no AS case_key, CAST(o.pos - 1 AS INTEGER) AS seq, o.code
FROM lists l
CROSS JOIN UNNEST(l.codes) WITH ORDINALITY AS o(code, pos);
