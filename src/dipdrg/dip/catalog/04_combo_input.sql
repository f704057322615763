-- DESIGN §4.6 "Related-procedure rule", inputs: the base set of each (diagnosis key,
-- principal procedure) pair = its cases with no other procedure ('B'), and each candidate
-- combination = the pair plus the case's whole related-procedure set ('C'). Their trimmed,
-- year-weighted means are computed by the shared statistics steps.
CREATE OR REPLACE TEMP VIEW cat_stat_input AS
SELECT
    CASE WHEN related IS NULL THEN 'B|' || dx_key || '|' || pp
         ELSE 'C|' || dx_key || '|' || pp || '|' || related END AS set_key,
    case_year, cost, los, drug, material
FROM cat_history
WHERE status = 'ok' AND pp IS NOT NULL;
