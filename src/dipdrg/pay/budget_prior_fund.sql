-- Base of the growth-rate budget method (DIP 技术规范 §6.1): the fund paid (统筹基金支付) for
-- every inpatient case settled in the previous year [$date_from, $date_to), dated like the
-- settlement itself (settlement or discharge date, policy settle.month_basis).
SELECT COUNT(*), COALESCE(SUM(hifp_pay), 0)
FROM cases
WHERE CASE WHEN $month_basis = 'discharge'
           THEN COALESCE(CAST(dscg_time AS DATE), setl_end_date)
           ELSE COALESCE(setl_end_date, CAST(dscg_time AS DATE)) END >= $date_from
  AND CASE WHEN $month_basis = 'discharge'
           THEN COALESCE(CAST(dscg_time AS DATE), setl_end_date)
           ELSE COALESCE(setl_end_date, CAST(dscg_time AS DATE)) END < $date_to
