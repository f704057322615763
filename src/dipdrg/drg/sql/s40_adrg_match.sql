-- Step 4, ADRG rules (ALGORITHM.md §6): every (case, rule) whose conditions all hold, in an
-- MDC the case entered.
-- List atoms: the codes at the atom's position hit the rule's list; a rule with one list
-- atom is a candidate on any hit, one with several when the OR of their bits equals its
-- mask. proc_categories: the set of categories of the case's procedures found in the list
-- contains one AND-clause of proc_category_rule. Rules without list atoms (always,
-- no_proc_in_or_list, ...) are candidates in every MDC the case entered. Case-level atoms
-- and age_days_max filter last.
-- BIT_OR is an aggregate of DuckDB, PostgreSQL, MySQL and Spark (portable equivalent:
-- SUM(DISTINCT bit), bits being distinct powers of two).
CREATE OR REPLACE TEMP TABLE drg_adrg_match AS
WITH category_hits AS (
    SELECT DISTINCT p.case_key, c.rank, c.bit, c.category
    FROM drg_proc p
    JOIN pk_proc_cat c ON c.code = p.code
),
clause_hits AS (
    SELECT h.case_key, h.rank, h.bit, k.clause_no, k.clause_size, COUNT(*) AS n
    FROM category_hits h
    JOIN pk_category_clause k ON k.rank = h.rank AND k.category = h.category
    GROUP BY h.case_key, h.rank, h.bit, k.clause_no, k.clause_size
),
list_hits AS (          -- principal-position atoms probe only the principal codes
    SELECT d.case_key, a.rank, a.bit, a.single
    FROM drg_dx d
    JOIN pk_dx_atom a ON a.code = d.code AND a.position = 'principal'
    WHERE d.seq = 0
    UNION ALL
    SELECT d.case_key, a.rank, a.bit, a.single
    FROM drg_dx d
    JOIN pk_dx_atom a ON a.code = d.code AND a.position <> 'principal'
    WHERE a.position = 'any' OR d.seq > 0
    UNION ALL
    SELECT p.case_key, a.rank, a.bit, a.single
    FROM drg_proc p
    JOIN pk_proc_atom a ON a.code = p.code AND a.position = 'principal'
    WHERE p.seq = 0
    UNION ALL
    SELECT p.case_key, a.rank, a.bit, a.single
    FROM drg_proc p
    JOIN pk_proc_atom a ON a.code = p.code AND a.position <> 'principal'
    WHERE a.position = 'any' OR p.seq > 0
    UNION ALL
    SELECT case_key, rank, bit, FALSE FROM clause_hits WHERE n = clause_size
),
member AS (             -- rules with several list atoms: all their bits must be hit
    SELECT case_key, rank, BIT_OR(bit) AS mask
    FROM list_hits
    WHERE NOT single
    GROUP BY case_key, rank
),
candidates AS (
    SELECT case_key, rank
    FROM list_hits
    WHERE single
    UNION ALL
    SELECT m.case_key, m.rank
    FROM member m
    JOIN pk_adrg_need n ON n.rank = m.rank AND n.member_mask = m.mask
    UNION ALL
    SELECT e.case_key, n.rank
    FROM drg_mdc_entry e
    JOIN pk_adrg_need n ON n.mdc = e.mdc AND n.member_mask = 0
),
matched AS (
    SELECT x.case_key, n.mdc, n.rank     -- rules with no case-level condition
    FROM candidates x
    JOIN pk_adrg_need n ON n.rank = x.rank AND NOT n.needs_case
    UNION ALL
    SELECT x.case_key, n.mdc, n.rank
    FROM candidates x
    JOIN pk_adrg_need n ON n.rank = x.rank AND n.needs_case
    JOIN drg_case c ON c.case_key = x.case_key
    LEFT JOIN drg_proc_flags f ON f.case_key = x.case_key
    WHERE (NOT n.need_pproc_or OR COALESCE(f.pproc_or, 0) = 1)
      AND (NOT n.need_anyproc_or OR COALESCE(f.anyproc_or, 0) = 1)
      AND (NOT n.need_no_proc_or OR COALESCE(f.anyproc_or, 0) = 0)
      AND (NOT n.need_weight OR (c.birth_weight IS NOT NULL AND c.birth_weight <> 0
                                 AND (n.weight_min IS NULL OR c.birth_weight >= n.weight_min)
                                 AND (n.weight_max IS NULL OR c.birth_weight < n.weight_max)))
      AND (n.age_days_max IS NULL OR (c.age_days IS NOT NULL AND c.age_days <= n.age_days_max))
)
SELECT m.case_key, m.rank
FROM matched m
JOIN drg_mdc_entry e ON e.case_key = m.case_key AND e.mdc = m.mdc;
