-- QC-203 主要诊断为症状体征编码，而其他诊断中有明确诊断（准确性，错误）.
-- Basis: 医疗保障基金结算清单填写规范 / DESIGN.md §3: a symptom or sign (R00–R99) is not the
-- principal diagnosis once a definite diagnosis is known. "Definite" = a valid other diagnosis
-- outside chapters XVIII (R, symptoms), XX (V–Y, external causes) and XXI (Z, factors
-- influencing health status). diag_code is the canonical upper-case code.
SELECT c.setl_id, 'diag_code' AS field,
       '主要诊断 ' || MIN(c.pdx_code) || ' 为症状编码，其他诊断有明确诊断 ' || MIN(d.diag_code) AS detail
FROM qc_case c
JOIN case_diagnoses d ON d.setl_id = c.setl_id
WHERE SUBSTRING(c.pdx_code, 1, 1) = 'R'
  AND d.seq > 0
  AND d.diag_code IS NOT NULL
  AND SUBSTRING(d.diag_code, 1, 1) NOT IN ('R', 'V', 'W', 'X', 'Y', 'Z')
GROUP BY c.setl_id
