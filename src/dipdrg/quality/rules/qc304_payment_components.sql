-- QC-304 统筹基金支付与个人支付合计超过医疗费总额，或支付金额为负（逻辑性，错误）.
-- Basis: 医疗保障基金结算清单填写规范: 医疗费总额 = 基金支付合计 + 个人账户支付 + 个人现金支付,
-- and 个人负担 = 个人自付 + 个人自费. The list carries only 统筹基金支付 (大病保险, 医疗救助 …
-- are not in it), so the components given can only be checked not to exceed the total:
--   统筹 + 个人账户 + 个人现金 <= 总额 + 容差   and   统筹 + 个人自付 + 个人自费 <= 总额 + 容差;
-- no amount may be negative. Absent amounts count as 0 ($fee_tolerance = quality.fee_tolerance).
SELECT setl_id, 'hifp_pay' AS field,
       '统筹基金 ' || COALESCE(CAST(hifp_pay AS VARCHAR), '-')
         || '，个人账户 ' || COALESCE(CAST(acct_pay AS VARCHAR), '-')
         || '，个人现金 ' || COALESCE(CAST(psn_cashpay AS VARCHAR), '-')
         || '，个人自付 ' || COALESCE(CAST(psn_selfpay AS VARCHAR), '-')
         || '，个人自费 ' || COALESCE(CAST(psn_ownpay AS VARCHAR), '-')
         || '，医疗费总额 ' || CAST(medfee_sumamt AS VARCHAR) AS detail
FROM qc_case
WHERE medfee_sumamt IS NOT NULL
  AND (COALESCE(hifp_pay, 0) + COALESCE(acct_pay, 0) + COALESCE(psn_cashpay, 0)
         > medfee_sumamt + $fee_tolerance
    OR COALESCE(hifp_pay, 0) + COALESCE(psn_selfpay, 0) + COALESCE(psn_ownpay, 0)
         > medfee_sumamt + $fee_tolerance
    OR hifp_pay < 0 OR acct_pay < 0 OR psn_cashpay < 0 OR psn_selfpay < 0 OR psn_ownpay < 0)
