-- DIP 技术规范（2020）§5 辅助目录 / DESIGN §4.3: the auxiliary subtypes of each case in
-- aux_scope(setl_id); one row per case and kind that applies ('mild', adults 18–65 and ICU
-- stays under 2 days are the baseline and get no row).
--   severity: death (dscg_way 5) > severe > moderate: LOS > $severity_los_days with a secondary
--             diagnosis whose 3- or 4-character key is on the 重度 / 中度 list (aux_severity_dx);
--   age:      0-28d, 29d-1y (days from nwb_age), 1-6y, 7-17y, 66+y (age > 65 years);
--   icu:      ICU days = minutes / 1440 rounded up: 2-7d, 8-14d, 15-30d, 31+d.
CREATE OR REPLACE TEMP TABLE aux_case_subtypes AS
WITH scope AS (
    SELECT c.setl_id, c.dscg_way, c.act_ipt_days, c.age, c.nwb_age, c.icu_minutes
    FROM cases c
    JOIN aux_scope s ON s.setl_id = c.setl_id
),
secondary AS (
    SELECT d.setl_id, MAX(CASE WHEN v.level = '重度' THEN 2 WHEN v.level = '中度' THEN 1 ELSE 0 END) AS level
    FROM case_diagnoses d
    JOIN aux_scope s ON s.setl_id = d.setl_id
    JOIN aux_severity_dx v
      ON v.prefix = SUBSTRING(d.diag_code, 1, 3)
      OR (SUBSTRING(d.diag_code, 4, 1) = '.' AND v.prefix = SUBSTRING(d.diag_code, 1, 5))
    WHERE d.seq > 0 AND d.diag_code IS NOT NULL
    GROUP BY d.setl_id
),
severity AS (
    SELECT c.setl_id, 'severity' AS aux_kind,
           CASE
               WHEN c.dscg_way = '5' THEN 'death'
               WHEN c.act_ipt_days > $severity_los_days AND d.level = 2 THEN 'severe'
               WHEN c.act_ipt_days > $severity_los_days AND d.level = 1 THEN 'moderate'
           END AS subtype
    FROM scope c
    LEFT JOIN secondary d ON d.setl_id = c.setl_id
),
age AS (
    SELECT setl_id, 'age' AS aux_kind,
           CASE
               WHEN COALESCE(age, 0) = 0 AND nwb_age BETWEEN 0 AND 28 THEN '0-28d'
               WHEN COALESCE(age, 0) = 0 AND nwb_age BETWEEN 29 AND 365 THEN '29d-1y'
               WHEN age BETWEEN 1 AND 6 THEN '1-6y'
               WHEN age BETWEEN 7 AND 17 THEN '7-17y'
               WHEN age > 65 THEN '66+y'
           END AS subtype
    FROM scope
),
icu AS (
    SELECT setl_id, 'icu' AS aux_kind,
           CASE
               WHEN icu_days BETWEEN 2 AND 7 THEN '2-7d'
               WHEN icu_days BETWEEN 8 AND 14 THEN '8-14d'
               WHEN icu_days BETWEEN 15 AND 30 THEN '15-30d'
               WHEN icu_days >= 31 THEN '31+d'
           END AS subtype
    FROM (SELECT setl_id, CAST(CEIL(icu_minutes / 1440.0) AS INTEGER) AS icu_days FROM scope) t
)
SELECT * FROM severity WHERE subtype IS NOT NULL
UNION ALL
SELECT * FROM age WHERE subtype IS NOT NULL
UNION ALL
SELECT * FROM icu WHERE subtype IS NOT NULL;
