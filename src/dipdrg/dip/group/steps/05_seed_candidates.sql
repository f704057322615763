-- Step 5: candidate (case, rule) pairs by equi-joins on the most selective condition of each
-- rule: (principal dx key, principal procedure) - '' standing for 保守治疗 - for most rules;
-- principal dx key alone for rules whose procedures may be anywhere; a procedure for
-- 所有诊断 rules (先期分组); any diagnosis key for rules on any diagnosis (P07).
-- dx_len records whether the 4-character (亚目) or the 3-character key matched. A pair may
-- appear twice (a rule listing both K35 and K35.8); the pick in step 7 keeps the better one.
CREATE OR REPLACE TEMP TABLE dipg_cand AS
SELECT c.setl_id, s.rule_id, 4 AS dx_len
FROM dipg_case AS c JOIN dipg_r_seed_pp AS s ON s.dx_key = c.pdx4 AND s.pp = COALESCE(c.pp, '')
WHERE c.stop_reason IS NULL
UNION ALL
SELECT c.setl_id, s.rule_id, 3 AS dx_len
FROM dipg_case AS c JOIN dipg_r_seed_pp AS s ON s.dx_key = c.pdx3 AND s.pp = COALESCE(c.pp, '')
WHERE c.stop_reason IS NULL
UNION ALL
SELECT c.setl_id, s.rule_id, 4 AS dx_len
FROM dipg_case AS c JOIN dipg_r_seed_pdx AS s ON s.dx_key = c.pdx4
WHERE c.stop_reason IS NULL
UNION ALL
SELECT c.setl_id, s.rule_id, 3 AS dx_len
FROM dipg_case AS c JOIN dipg_r_seed_pdx AS s ON s.dx_key = c.pdx3
WHERE c.stop_reason IS NULL
UNION ALL
SELECT p.setl_id, s.rule_id, 0 AS dx_len
FROM dipg_proc AS p
JOIN dipg_r_seed_proc AS s ON s.code = p.code
JOIN dipg_case AS c ON c.setl_id = p.setl_id
WHERE c.stop_reason IS NULL AND (s.principal_only = FALSE OR c.pp = p.code)
UNION ALL
SELECT k.setl_id, s.rule_id, 0 AS dx_len
FROM dipg_case_dx AS k
JOIN dipg_r_seed_anydx AS s ON s.dx_key = k.dx_key
JOIN dipg_case AS c ON c.setl_id = k.setl_id
WHERE c.stop_reason IS NULL;
