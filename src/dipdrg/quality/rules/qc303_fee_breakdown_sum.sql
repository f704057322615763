-- QC-303 14 项费用明细合计与医疗费总额不符（逻辑性，错误）.
-- Basis: 医疗保障基金结算清单填写规范 (医疗收费信息): the 14 charge items (床位费 … 其他费) add
-- up to 医疗费总额. Fires when |sum - total| > $fee_tolerance (quality.fee_tolerance, yuan);
-- a missing item counts as 0, so a list with no breakdown at all fires too.
SELECT setl_id, 'medfee_sumamt' AS field,
       '费用明细合计 ' || CAST(fee_sum AS VARCHAR) || ' 元，医疗费总额 '
         || CAST(medfee_sumamt AS VARCHAR) || ' 元' AS detail
FROM qc_case
WHERE medfee_sumamt IS NOT NULL
  AND ABS(fee_sum - medfee_sumamt) > $fee_tolerance
