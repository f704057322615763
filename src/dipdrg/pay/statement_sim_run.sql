-- The simulation run (模拟付费, DESIGN.md §4.5) a year's statements include: the latest
-- settle-simulate run of the method whose point values are those of the year.
-- LIMIT exists in PostgreSQL, Spark SQL and DuckDB.
SELECT p.run_id
FROM settle_point_values p
JOIN runs r ON r.run_id = p.run_id
WHERE r.kind = 'settle-simulate' AND p.method = $method AND p.period = $period
ORDER BY r.started_at DESC, p.run_id DESC
LIMIT 1
