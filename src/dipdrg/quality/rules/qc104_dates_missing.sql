-- QC-104 入院时间或出院时间缺失（完整性，错误）.
-- Basis: 医疗保障基金结算清单填写规范: 入院时间 and 出院时间 are required.
SELECT setl_id,
       CASE WHEN adm_time IS NULL THEN 'adm_time' ELSE 'dscg_time' END AS field,
       CASE WHEN adm_time IS NULL AND dscg_time IS NULL THEN '入院时间、出院时间均未填写'
            WHEN adm_time IS NULL THEN '未填写入院时间'
            ELSE '未填写出院时间' END AS detail
FROM qc_case
WHERE adm_time IS NULL OR dscg_time IS NULL
