-- Surplus retention / overrun sharing by bands (结余留用 / 合理超支分担, DESIGN.md §4.6
-- "Clearance"): like tax brackets, each band's share applies to the part of the surplus
-- (or overrun) inside the band; band edges are shares of the amount due (due ≤ 0 → no band):
--   lower/upper amount = round(edge × due, 2);  part = min(amount, upper) − lower, at least 0;
--   shared = round(part × share, 2).  The part beyond a last band with an upper edge is not shared.
CREATE OR REPLACE TEMP TABLE tmp_settle_bands_applied AS
WITH h AS (
    SELECT fixmedins_code,
           CASE WHEN balance > 0 THEN 'surplus' ELSE 'overrun' END AS kind,
           CASE WHEN balance > 0 THEN balance ELSE -balance END AS amount,
           CASE WHEN due > 0 THEN due ELSE 0 END AS base
    FROM tmp_settle_hosp
    WHERE balance <> 0
), e AS (
    SELECT h.fixmedins_code, h.kind, h.amount, b.band_no, b.lower_ratio, b.upper_ratio, b.share,
           CAST(ROUND(b.lower_ratio * h.base, 2) AS DECIMAL(18,2)) AS lower_amount,
           CAST(ROUND(b.upper_ratio * h.base, 2) AS DECIMAL(18,2)) AS upper_amount
    FROM h
    JOIN tmp_settle_bands b ON b.kind = h.kind
), p AS (
    SELECT e.*,
           CASE WHEN upper_amount IS NOT NULL AND upper_amount < amount THEN upper_amount
                ELSE amount END - lower_amount AS raw_part
    FROM e
)
SELECT fixmedins_code,
       kind,
       band_no,
       lower_ratio,
       upper_ratio,
       share,
       lower_amount,
       upper_amount,
       CAST(CASE WHEN raw_part > 0 THEN raw_part ELSE 0 END AS DECIMAL(18,2)) AS part_amount,
       CAST(ROUND(CASE WHEN raw_part > 0 THEN raw_part ELSE 0 END * share, 2) AS DECIMAL(18,2))
           AS shared_amount
FROM p
