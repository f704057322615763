-- QC-208 性别代码不合法（准确性，错误）.
-- Basis: GB/T 2261.1 人的性别代码 (used by the settlement list): 0 未知的性别, 1 男, 2 女,
-- 9 未说明的性别. A blank value is QC-102, not this rule.
SELECT setl_id, 'gend' AS field, '性别代码为 ' || gend || '，应为 0/1/2/9' AS detail
FROM qc_case
WHERE TRIM(COALESCE(gend, '')) <> ''
  AND TRIM(gend) NOT IN ('0', '1', '2', '9')
