-- Step: attach the rows of a separate diagnosis/procedure table to the settlement rows of
-- the main file by setl_id (结算ID). A setl_id that occurs on several main rows gets the list
-- on each of them (they are then duplicates or conflicts of each other).
CREATE OR REPLACE TEMP TABLE {{linked}} AS
SELECT m.source_row, s.*
FROM {{side}} s
JOIN (SELECT source_row, imp_text(setl_id) AS setl_id FROM imp_stage) m
  ON m.setl_id = imp_text(s.setl_id);
