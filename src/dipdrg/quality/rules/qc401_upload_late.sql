-- QC-401 结算清单超期上传（及时性，警告）.
-- Basis: 医疗保障基金结算清单填写规范（医保办发〔2020〕20号）: upload within
-- $upload_deadline_days days of discharge (quality.upload_deadline_days, calendar days from the
-- discharge date). Cases without an upload time are not judged (hospital-side pre-checks).
SELECT setl_id, 'upload_time' AS field,
       '出院后第 ' || CAST(upload_date - dscg_date AS VARCHAR) || ' 天上传，时限 '
         || CAST($upload_deadline_days AS VARCHAR) || ' 天' AS detail
FROM qc_case
WHERE upload_date - dscg_date > $upload_deadline_days
