-- Pack preparation: turn the pack's text tables (registered as pk_raw_*) into typed lookup
-- tables keyed by code, so that every per-case step is a plain equi-join
-- (docs/drg-pack.md; ALGORITHM.md §4–§7). Runs once per grouping, on small tables.
-- Inputs from Python: pk_raw_<table>, pk_switch(qy_enabled, fall_through, code_mapping),
-- pk_vocab_atom(atom, side, position), pk_vocab_severity(rule, level_rank),
-- pk_cat_clause(adrg, clause_no, category, clause_size).

-- MDCs in check order; optional conditions NULL when blank.
CREATE OR REPLACE TEMP TABLE pk_mdc AS
SELECT mdc,
       CAST(check_order AS INTEGER) AS mdc_order,
       entry_shape,
       CAST(NULLIF(gender, '') AS INTEGER) AS gender,
       CAST(NULLIF(age_years_min, '') AS INTEGER) AS age_years_min,
       CAST(NULLIF(age_years_max, '') AS INTEGER) AS age_years_max,
       CAST(NULLIF(min_regions, '') AS INTEGER) AS min_regions,
       NULLIF(qy_adrg, '') AS qy_adrg,
       CAST(NULLIF(qy_position, '') AS INTEGER) AS qy_position
FROM pk_raw_mdc;

-- Diagnosis -> MDC list membership. all_dx: the entry of this MDC looks at every diagnosis
-- (anydx_in_list, or trauma regions counted over all diagnoses), not only the principal one.
CREATE OR REPLACE TEMP TABLE pk_mdc_dx AS
SELECT d.code, m.mdc, m.mdc_order, NULLIF(d.region, '') AS region,
       (m.entry_shape = 'anydx_in_list' OR m.min_regions IS NOT NULL) AS all_dx
FROM pk_raw_mdc_dx d
JOIN pk_mdc m ON m.mdc = d.mdc;

-- Every ADRG (and, when switched on, each MDC's QY group) with one global rank: the order in
-- which ALGORITHM.md §4 tries them (MDC check order, then ADRG check order; QY sits after the
-- qy_position-th ADRG of its MDC). The first matching rank of an entered MDC wins.
CREATE OR REPLACE TEMP TABLE pk_adrg AS
WITH all_rules AS (
    SELECT a.adrg, a.mdc, m.mdc_order, CAST(a.check_order AS INTEGER) * 2 AS adrg_key,
           a.rule_id, a.rule_shape, FALSE AS is_qy,
           CAST(NULLIF(a.age_days_max, '') AS INTEGER) AS age_days_max,
           CAST(NULLIF(a.weight_min, '') AS INTEGER) AS weight_min,
           CAST(NULLIF(a.weight_max, '') AS INTEGER) AS weight_max
    FROM pk_raw_adrg a
    JOIN pk_mdc m ON m.mdc = a.mdc
    UNION ALL
    SELECT m.qy_adrg, m.mdc, m.mdc_order, m.qy_position * 2 + 1,
           NULL, NULL, TRUE, NULL, NULL, NULL
    FROM pk_mdc m
    CROSS JOIN pk_switch s
    WHERE s.qy_enabled AND m.qy_adrg IS NOT NULL
)
SELECT ROW_NUMBER() OVER (ORDER BY mdc_order, adrg_key) AS rank, *
FROM all_rules;

-- The conditions (atoms) of each rule; membership atoms get one bit each so that a rule
-- holds when the OR of the bits its codes hit equals its mask. QY = any procedure in the
-- OR list (ALGORITHM.md §9.1).
CREATE OR REPLACE TEMP TABLE pk_adrg_atom AS
WITH atoms AS (
    SELECT a.rank, s.atom, s.list, v.side, v.position
    FROM pk_adrg a
    JOIN pk_raw_rule_shapes s ON s.shape = a.rule_shape
    JOIN pk_vocab_atom v ON v.atom = s.atom
    UNION ALL
    SELECT a.rank, 'anyproc_in_or_list', '', 'case', ''
    FROM pk_adrg a
    WHERE a.is_qy
)
SELECT rank, atom, list, side, position,
       CASE WHEN side <> 'case'
            THEN CAST(POWER(2, ROW_NUMBER() OVER (PARTITION BY rank, side = 'case' ORDER BY atom, list) - 1) AS BIGINT)
            ELSE 0 END AS bit
FROM atoms;

-- Per rule: the membership mask and the case-level conditions it needs.
CREATE OR REPLACE TEMP TABLE pk_adrg_need AS
WITH need AS (
    SELECT a.rank, a.adrg, a.mdc, a.is_qy, a.age_days_max, a.weight_min, a.weight_max,
           CAST(COALESCE(SUM(t.bit), 0) AS BIGINT) AS member_mask,
           COALESCE(MAX(CASE WHEN t.atom = 'pproc_in_or_list' THEN 1 ELSE 0 END), 0) = 1 AS need_pproc_or,
           COALESCE(MAX(CASE WHEN t.atom = 'anyproc_in_or_list' THEN 1 ELSE 0 END), 0) = 1 AS need_anyproc_or,
           COALESCE(MAX(CASE WHEN t.atom = 'no_proc_in_or_list' THEN 1 ELSE 0 END), 0) = 1 AS need_no_proc_or,
           COALESCE(MAX(CASE WHEN t.atom = 'birth_weight_in_range' THEN 1 ELSE 0 END), 0) = 1 AS need_weight
    FROM pk_adrg a
    LEFT JOIN pk_adrg_atom t ON t.rank = a.rank
    GROUP BY a.rank, a.adrg, a.mdc, a.is_qy, a.age_days_max, a.weight_min, a.weight_max
)
SELECT *, (need_pproc_or OR need_anyproc_or OR need_no_proc_or OR need_weight
           OR age_days_max IS NOT NULL) AS needs_case
FROM need;

-- Code -> (rule, bit) for list atoms, split by side; proc_categories handled on its own.
-- single: the rule's only list atom, so one hit makes the rule a candidate (no aggregation).
CREATE OR REPLACE TEMP TABLE pk_dx_atom AS
SELECT c.code, t.rank, t.bit, t.position, n.member_mask = 1 AS single
FROM pk_raw_adrg_codes c
JOIN pk_adrg a ON a.rule_id = c.rule_id
JOIN pk_adrg_atom t ON t.rank = a.rank AND t.list = c.list
JOIN pk_adrg_need n ON n.rank = t.rank
WHERE t.side = 'dx';

CREATE OR REPLACE TEMP TABLE pk_proc_atom AS
SELECT c.code, t.rank, t.bit, t.position, n.member_mask = 1 AS single
FROM pk_raw_adrg_codes c
JOIN pk_adrg a ON a.rule_id = c.rule_id
JOIN pk_adrg_atom t ON t.rank = a.rank AND t.list = c.list
JOIN pk_adrg_need n ON n.rank = t.rank
WHERE t.side = 'proc' AND t.atom <> 'proc_categories';

CREATE OR REPLACE TEMP TABLE pk_proc_cat AS
SELECT DISTINCT c.code, t.rank, t.bit, c.category
FROM pk_raw_adrg_codes c
JOIN pk_adrg a ON a.rule_id = c.rule_id
JOIN pk_adrg_atom t ON t.rank = a.rank AND t.list = c.list
WHERE t.atom = 'proc_categories' AND c.category <> '';

CREATE OR REPLACE TEMP TABLE pk_category_clause AS
SELECT a.rank, k.clause_no, k.category, k.clause_size
FROM pk_cat_clause k
JOIN pk_adrg a ON a.adrg = k.adrg AND NOT a.is_qy;

-- OR-procedure list, CC/MCC with their exclusion tables (MCC rank 2, CC rank 1), and the
-- exclusion tables of each principal diagnosis (ALGORITHM.md §7).
CREATE OR REPLACE TEMP TABLE pk_or AS
SELECT DISTINCT code FROM pk_raw_or_procedures;

CREATE OR REPLACE TEMP TABLE pk_cx AS
SELECT code, 2 AS level_rank, exclusion_table FROM pk_raw_mcc
UNION ALL
SELECT code, 1 AS level_rank, exclusion_table FROM pk_raw_cc;

CREATE OR REPLACE TEMP TABLE pk_cce AS
SELECT DISTINCT principal_dx, exclusion_table FROM pk_raw_cce;

-- (ADRG, severity level) -> the first DRG in check order whose rule the level satisfies:
-- level 2 = has a non-excluded MCC, 1 = a CC (no MCC), 0 = neither.
CREATE OR REPLACE TEMP TABLE pk_drg_level AS
WITH fits AS (
    SELECT d.adrg, v.level_rank, d.drg,
           ROW_NUMBER() OVER (PARTITION BY d.adrg, v.level_rank
                              ORDER BY CAST(d.check_order AS INTEGER)) AS n
    FROM pk_raw_drg d
    JOIN pk_vocab_severity v ON v.rule = d.rule
)
SELECT adrg, level_rank, drg FROM fits WHERE n = 1;
