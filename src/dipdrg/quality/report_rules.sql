-- Findings per hospital and rule (质控问题分布): how many cases each rule flagged.
SELECT c.fixmedins_code, f.rule_id, COUNT(*) AS cases
FROM quality_findings f
JOIN cases c ON c.setl_id = f.setl_id
GROUP BY c.fixmedins_code, f.rule_id
ORDER BY c.fixmedins_code, f.rule_id
