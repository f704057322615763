-- QC-302 实际住院天数与出入院日期不符（逻辑性，错误）.
-- Basis: 医疗保障基金结算清单填写规范: 实际住院天数 counts the admission day and the discharge
-- day together as one day, i.e. discharge date - admission date (6/12 -> 6/15 = 3; same day = 0).
-- Only checked when the dates are in order (reversed dates are QC-301).
SELECT setl_id, 'act_ipt_days' AS field,
       '实际住院天数 ' || CAST(act_ipt_days AS VARCHAR) || ' 天，按出入院日期应为 '
         || CAST(los_days AS VARCHAR) || ' 天' AS detail
FROM qc_case
WHERE act_ipt_days IS NOT NULL
  AND los_days >= 0
  AND act_ipt_days <> los_days
