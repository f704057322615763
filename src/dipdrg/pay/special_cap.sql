-- The special-case cap (特例单议, DESIGN.md §4.4): the number of DIP (grouped) cases of the
-- year in the scoring run, and the approvals already given for that year and method.
SELECT (SELECT COUNT(*)
        FROM tmp_settle_basis
        WHERE in_scope) AS region_cases,
       (SELECT COUNT(*)
        FROM special_case_requests
        WHERE state = 'approved' AND method = $method AND year = $year) AS approved
