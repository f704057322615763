-- DIP 技术规范（2020）§4 病种组合 / DESIGN §4.6 "Related-procedure rule": the related
-- procedures of a history case are its other procedures (seq > 0) with a normalised code,
-- distinct, excluding the principal procedure's own code. Invalid codes are counted in the
-- build report, not used. cat_procedures: 00_procedures.sql or 00_national_procedures.sql.
CREATE OR REPLACE TEMP TABLE cat_case_terms AS
SELECT DISTINCT o.setl_id, o.oprn_code
FROM cat_procedures o
LEFT JOIN cat_procedures p ON p.setl_id = o.setl_id AND p.seq = 0
WHERE o.seq > 0
  AND o.oprn_code IS NOT NULL
  AND (p.oprn_code IS NULL OR o.oprn_code <> p.oprn_code);
