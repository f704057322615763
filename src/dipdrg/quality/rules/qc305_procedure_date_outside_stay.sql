-- QC-305 手术操作日期不在住院期间（逻辑性，错误）.
-- Basis: 医疗保障基金结算清单填写规范: a procedure of the stay is done between admission and
-- discharge. Compared by calendar date (procedure times often carry no hour). One finding per
-- case, naming the earliest procedure date outside the stay.
SELECT c.setl_id, 'oprn_date' AS field,
       '手术操作日期 ' || CAST(MIN(CAST(p.oprn_date AS DATE)) AS VARCHAR) || ' 不在住院期间 '
         || CAST(MIN(c.adm_date) AS VARCHAR) || ' 至 ' || CAST(MIN(c.dscg_date) AS VARCHAR) AS detail
FROM case_procedures p
JOIN qc_case c ON c.setl_id = p.setl_id
WHERE CAST(p.oprn_date AS DATE) < c.adm_date OR CAST(p.oprn_date AS DATE) > c.dscg_date
GROUP BY c.setl_id
