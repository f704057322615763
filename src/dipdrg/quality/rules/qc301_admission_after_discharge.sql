-- QC-301 入院时间晚于出院时间（逻辑性，错误）.
-- Basis: 医疗保障基金结算清单填写规范: admission precedes discharge (same day allowed).
SELECT setl_id, 'adm_time' AS field,
       '入院时间 ' || CAST(adm_time AS VARCHAR) || ' 晚于出院时间 ' || CAST(dscg_time AS VARCHAR) AS detail
FROM qc_case
WHERE adm_time > dscg_time
