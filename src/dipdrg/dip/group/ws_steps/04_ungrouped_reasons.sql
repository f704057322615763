-- Ungrouped cases of one run by reason (未入组原因), with the reason's Chinese description.
SELECT g.reason, COALESCE(r.description, g.reason) AS description, COUNT(*) AS cases
FROM dip_case_groups AS g
LEFT JOIN dip_ungrouped_reasons AS r ON r.reason = g.reason
WHERE g.run_id = $run_id AND g.status = 'ungrouped'
GROUP BY g.reason, r.description
ORDER BY cases DESC, g.reason;
