-- Per-hospital settlement-list quality (DESIGN.md §6 结算清单质量: 完整度, 合格率, 及时率).
-- One row per hospital with the case counts behind each ratio (the ratios themselves are
-- computed and rounded once in report.py):
--   完整度 = cases with no error of dimension 完整性 / cases
--   合格率 = cases with no error at all (warnings allowed) / cases
--   及时率 = cases uploaded with no 及时性 finding / cases with an upload time
WITH per_case AS (
    SELECT
        c.setl_id,
        c.fixmedins_code,
        c.fixmedins_name,
        CASE WHEN c.upload_time IS NOT NULL THEN 1 ELSE 0 END                         AS uploaded,
        MAX(CASE WHEN f.severity = 'error' AND f.dimension = '完整性' THEN 1 ELSE 0 END) AS incomplete,
        MAX(CASE WHEN f.severity = 'error' THEN 1 ELSE 0 END)                          AS has_error,
        MAX(CASE WHEN f.dimension = '及时性' THEN 1 ELSE 0 END)                         AS late,
        SUM(CASE WHEN f.severity = 'error' THEN 1 ELSE 0 END)                          AS errors,
        SUM(CASE WHEN f.severity = 'warning' THEN 1 ELSE 0 END)                        AS warnings
    FROM cases c
    LEFT JOIN quality_findings f ON f.setl_id = c.setl_id
    GROUP BY c.setl_id, c.fixmedins_code, c.fixmedins_name, c.upload_time
)
SELECT
    p.fixmedins_code,
    COALESCE(MAX(h.fixmedins_name), MAX(p.fixmedins_name), '')                         AS fixmedins_name,
    COUNT(*)                                                                           AS cases,
    SUM(1 - p.incomplete)                                                              AS complete,
    SUM(1 - p.has_error)                                                               AS qualified,
    SUM(p.uploaded)                                                                    AS uploaded,
    SUM(CASE WHEN p.uploaded = 1 AND p.late = 0 THEN 1 ELSE 0 END)                     AS on_time,
    SUM(p.errors)                                                                      AS errors,
    SUM(p.warnings)                                                                    AS warnings
FROM per_case p
LEFT JOIN hospitals h ON h.fixmedins_code = p.fixmedins_code
GROUP BY p.fixmedins_code
ORDER BY p.fixmedins_code
