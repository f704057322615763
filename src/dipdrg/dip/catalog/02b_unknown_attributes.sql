-- DESIGN §4.1 综合病种 (3-character category × treatment attribute of the principal procedure):
-- usable history cases whose principal procedure has no attribute in the code list (codes.
-- category 手术/介入治疗/治疗性操作/诊断性操作). They can still form core groups, but the rest
-- cannot be placed in a comprehensive group; the build refuses or warns (never guesses).
-- One row per such procedure code with its case count.
CREATE OR REPLACE TEMP TABLE cat_unknown_attributes AS
SELECT pp AS oprn_code, COUNT(*) AS cases
FROM cat_history
WHERE status = 'ok' AND pp IS NOT NULL AND treatment IS NULL
GROUP BY pp;
