-- Step 8: the result per case. Cases without a core group go to the comprehensive group of
-- their principal dx category × the attribute of the principal procedure (综合病种: 手术 or
-- 介入治疗 -> 相关手术, 治疗性操作, 诊断性操作, none -> 内科诊疗); a procedure with no known
-- attribute is reported (PROC_ATTR_UNKNOWN), not guessed. 基层病种: the group's flag (local) or
-- a matching 基层病种 row of the national list. Everything else is ungrouped with a reason.
CREATE OR REPLACE TEMP TABLE dipg_result AS
WITH treat AS (
    SELECT
        k.setl_id,
        k.pdx3,
        CASE
            WHEN k.pp IS NULL THEN '内科诊疗'
            WHEN k.pp_category IN ('手术', '介入治疗') THEN '相关手术'
            WHEN k.pp_category IN ('治疗性操作', '诊断性操作') THEN k.pp_category
        END AS treatment
    FROM dipg_case AS k
    LEFT JOIN dipg_core AS g ON g.setl_id = k.setl_id
    WHERE g.setl_id IS NULL AND k.stop_reason IS NULL
),
comp AS (
    SELECT t.setl_id, t.treatment, x.group_code, x.primary_care, x.rule_ref
    FROM treat AS t
    LEFT JOIN dipg_r_comp AS x ON x.dx3 = t.pdx3 AND x.treatment = t.treatment
),
flagged AS (
    SELECT DISTINCT m.setl_id
    FROM dipg_match AS m
    JOIN dipg_r_rule AS r ON r.rule_id = m.rule_id
    WHERE r.layer = 'primary_care'
)
SELECT
    k.setl_id,
    COALESCE(r.group_code, x.group_code) AS group_code,
    CASE WHEN r.rule_id IS NOT NULL THEN r.group_type WHEN x.group_code IS NOT NULL THEN 'comprehensive' END AS group_type,
    CASE
        WHEN r.rule_id IS NOT NULL THEN r.layer
        WHEN x.group_code IS NOT NULL THEN 'comprehensive'
        WHEN k.stop_reason = 'PDX_EXCLUDED' THEN 'exclusion'
        ELSE 'ungrouped'
    END AS layer,
    COALESCE(r.rule_ref, x.rule_ref) AS rule_ref,
    CASE WHEN r.rule_id IS NOT NULL OR x.group_code IS NOT NULL THEN 'grouped' ELSE 'ungrouped' END AS status,
    CASE
        WHEN r.rule_id IS NOT NULL OR x.group_code IS NOT NULL THEN NULL
        WHEN k.stop_reason IS NOT NULL THEN k.stop_reason
        WHEN s.pack_kind = 'dip-national' THEN 'NO_CORE_MATCH'
        WHEN x.treatment IS NULL THEN 'PROC_ATTR_UNKNOWN'
        ELSE 'NO_COMPREHENSIVE'
    END AS reason,
    CASE
        WHEN r.rule_id IS NOT NULL AND s.pack_kind = 'dip-national' THEN (f.setl_id IS NOT NULL)
        WHEN r.rule_id IS NOT NULL THEN r.primary_care
        WHEN x.group_code IS NOT NULL THEN x.primary_care
        ELSE FALSE
    END AS primary_care,
    CASE WHEN r.rule_id IS NOT NULL THEN r.treatment WHEN x.group_code IS NOT NULL THEN x.treatment END AS treatment
FROM dipg_case AS k
CROSS JOIN dipg_settings AS s
LEFT JOIN dipg_core AS g ON g.setl_id = k.setl_id
LEFT JOIN dipg_r_rule AS r ON r.rule_id = g.rule_id
LEFT JOIN comp AS x ON x.setl_id = k.setl_id
LEFT JOIN flagged AS f ON f.setl_id = k.setl_id;
