-- Per-case findings (病例质控明细), ordered by hospital, case and rule.
SELECT f.setl_id, c.fixmedins_code, f.rule_id, f.severity, f.dimension, f.field, f.detail
FROM quality_findings f
JOIN cases c ON c.setl_id = f.setl_id
ORDER BY c.fixmedins_code, f.setl_id, f.rule_id
