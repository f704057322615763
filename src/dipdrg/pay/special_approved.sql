-- Approved special cases (特例单议 批准, DESIGN.md §4.4) of the payment method, with the way
-- each is paid (by item or at an adjusted standard); read by the case payment step.
CREATE OR REPLACE TEMP TABLE tmp_settle_special AS
SELECT setl_id, pay_mode, adjusted_amount
FROM special_case_requests
WHERE state = 'approved' AND method = $method
