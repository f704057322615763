-- Step 8: the result per case. Cases with a core group take it (基层病种: the group's flag in a
-- local catalog, a matching 基层病种 row of the national list for a national pack). The others
-- go to the comprehensive group of their principal dx category × the attribute of the principal
-- procedure (综合病种: 手术 or 介入治疗 -> 相关手术, 治疗性操作, 诊断性操作, none -> 内科诊疗);
-- a procedure with no known attribute is reported (PROC_ATTR_UNKNOWN), not guessed. Everything
-- else is ungrouped with a reason.
CREATE OR REPLACE TEMP TABLE dipg_result AS
WITH flagged AS (
    SELECT DISTINCT m.setl_id
    FROM dipg_match AS m
    JOIN dipg_r_rule AS r ON r.rule_id = m.rule_id
    WHERE r.layer = 'primary_care'
),
rest AS (
    SELECT
        k.setl_id,
        k.pdx3,
        k.stop_reason,
        CASE
            WHEN k.pp IS NULL THEN '内科诊疗'
            WHEN k.pp_category IN ('手术', '介入治疗') THEN '相关手术'
            WHEN k.pp_category IN ('治疗性操作', '诊断性操作') THEN k.pp_category
        END AS treatment
    FROM dipg_case AS k
    LEFT JOIN dipg_core AS g ON g.setl_id = k.setl_id
    WHERE g.setl_id IS NULL
)
SELECT
    g.setl_id,
    r.group_code,
    r.group_type,
    r.layer,
    r.rule_ref,
    'grouped' AS status,
    CAST(NULL AS VARCHAR) AS reason,
    CASE WHEN s.pack_kind = 'dip-national' THEN (f.setl_id IS NOT NULL) ELSE r.primary_care END AS primary_care,
    r.treatment
FROM dipg_core AS g
JOIN dipg_r_rule AS r ON r.rule_id = g.rule_id
CROSS JOIN dipg_settings AS s
LEFT JOIN flagged AS f ON f.setl_id = g.setl_id
UNION ALL
SELECT
    t.setl_id,
    x.group_code,
    CASE WHEN x.group_code IS NOT NULL THEN 'comprehensive' END AS group_type,
    CASE
        WHEN x.group_code IS NOT NULL THEN 'comprehensive'
        WHEN t.stop_reason = 'PDX_EXCLUDED' THEN 'exclusion'
        ELSE 'ungrouped'
    END AS layer,
    x.rule_ref,
    CASE WHEN x.group_code IS NOT NULL THEN 'grouped' ELSE 'ungrouped' END AS status,
    CASE
        WHEN x.group_code IS NOT NULL THEN NULL
        WHEN t.stop_reason IS NOT NULL THEN t.stop_reason
        WHEN s.pack_kind = 'dip-national' THEN 'NO_CORE_MATCH'
        WHEN t.treatment IS NULL THEN 'PROC_ATTR_UNKNOWN'
        ELSE 'NO_COMPREHENSIVE'
    END AS reason,
    COALESCE(x.primary_care, FALSE) AS primary_care,
    x.treatment
FROM rest AS t
CROSS JOIN dipg_settings AS s
LEFT JOIN dipg_r_comp AS x
  ON x.dx3 = t.pdx3 AND x.treatment = t.treatment AND t.stop_reason IS NULL;
