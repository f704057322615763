-- QC-202 手术操作编码无效或为灰码（准确性，错误）.
-- Basis: ICD-9-CM-3 医保版 2.0: only codes of the code list may be used. The normaliser leaves
-- oprn_code NULL for unknown or heading codes, keeping the raw text.
-- One finding per case: the number of invalid codes and the smallest of them as example.
SELECT setl_id, 'oprn_code' AS field,
       '无效手术操作编码 ' || CAST(COUNT(*) AS VARCHAR) || ' 个，如 ' || MIN(oprn_code_raw) AS detail
FROM case_procedures
WHERE oprn_code IS NULL AND TRIM(COALESCE(oprn_code_raw, '')) <> ''
GROUP BY setl_id
