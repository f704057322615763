-- Policy tables naming a hospital that does not exist ("nothing lost, clear errors", DESIGN.md §7):
-- an audit deduction (DIP 技术规范 §6.4) or an assessment coefficient for a code that is neither
-- in the hospital registry (hospitals) nor the hospital of any case would otherwise be silently
-- misapplied. One row per offending policy row (its 1-based number), reported to the user.
SELECT 'settle.audit_deductions' AS parameter, d.row_no, d.fixmedins_code
FROM tmp_settle_deductions d
WHERE NOT EXISTS (SELECT 1 FROM hospitals h WHERE h.fixmedins_code = d.fixmedins_code)
  AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.fixmedins_code = d.fixmedins_code)
UNION ALL
SELECT 'settle.assessment.hospitals' AS parameter, f.row_no, f.fixmedins_code
FROM tmp_settle_coefs f
WHERE NOT EXISTS (SELECT 1 FROM hospitals h WHERE h.fixmedins_code = f.fixmedins_code)
  AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.fixmedins_code = f.fixmedins_code)
ORDER BY 1 DESC, 2
