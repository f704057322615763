-- QC-201 诊断编码无效或为灰码（准确性，错误）.
-- Basis: ICD-10 医保版 2.0: only codes of the code list may be used; heading-only codes (灰码)
-- are not allowed. The normaliser leaves diag_code NULL for such codes, keeping the raw text.
-- One finding per case: the number of invalid codes and the smallest of them as example.
SELECT setl_id, 'diag_code' AS field,
       '无效诊断编码 ' || CAST(COUNT(*) AS VARCHAR) || ' 个，如 ' || MIN(diag_code_raw) AS detail
FROM case_diagnoses
WHERE diag_code IS NULL AND TRIM(COALESCE(diag_code_raw, '')) <> ''
GROUP BY setl_id
