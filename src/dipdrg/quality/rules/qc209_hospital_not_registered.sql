-- QC-209 定点医疗机构不在机构名录中（准确性，错误）.
-- Basis: the 定点医药机构编码 must be a valid code of the region's registry. Checked only once a
-- registry has been imported (hospitals not empty); a blank code is QC-106.
SELECT setl_id, 'fixmedins_code' AS field,
       '机构编号 ' || fixmedins_code || ' 不在机构名录中' AS detail
FROM qc_case
WHERE NOT hospital_registered
  AND TRIM(COALESCE(fixmedins_code, '')) <> ''
  AND EXISTS (SELECT 1 FROM hospitals)
