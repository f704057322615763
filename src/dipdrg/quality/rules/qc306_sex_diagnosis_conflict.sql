-- QC-306 诊断与性别冲突（逻辑性，警告）.
-- Basis: ICD-10 categories limited to one sex (quality/conflicts.csv, prepared by
-- _dx_limited.sql as qc_dx_limited). Only 1 男 / 2 女 are compared; 0/9 and blanks are not.
SELECT c.setl_id, 'diag_code' AS field,
       '诊断 ' || MIN(d.diag_code) || '（' || MIN(d.label) || '）限'
         || CASE WHEN MIN(d.sex) = '1' THEN '男性' ELSE '女性' END
         || '，患者性别为' || CASE WHEN MIN(c.gend) = '1' THEN '男' ELSE '女' END AS detail
FROM qc_dx_limited d
JOIN qc_case c ON c.setl_id = d.setl_id
WHERE d.kind = 'sex' AND TRIM(c.gend) IN ('1', '2') AND TRIM(c.gend) <> d.sex
GROUP BY c.setl_id
