-- DRGs without a relative weight (policy drg.weights.missing; DESIGN §5: weights from local
-- history — a DRG new this year or absent from the weights table has none):
--   refuse  (default) the caller refuses the run before this step matters; rows pass unchanged;
--   adrg    RW = the case-weighted mean RW of the same ADRG's DRGs that have a weight, over the
--           grouped cases of this grouping run: Σ RW / n, exact to 4 decimals (dip_div4);
--           rw_source 'adrg' records it per case; an ADRG with no weighted DRG stays without;
--   exclude the case stays outside DRG payment: rw NULL, unpaid_reason says why.
-- rw_source is 'drg' for a case paid at its own DRG's weight, NULL for ungrouped cases.
CREATE OR REPLACE TEMP TABLE drgs_cases AS
WITH adrg_rw AS (
    SELECT adrg, dip_div4(SUM(rw), COUNT(*)) AS rw, COUNT(*) AS cases
    FROM drgs_case_inputs
    WHERE drg IS NOT NULL AND in_weights
    GROUP BY adrg
)
SELECT
    c.setl_id,
    c.fixmedins_code,
    c.hosp_lv,
    c.group_status,
    c.drg,
    c.adrg,
    CASE WHEN c.in_weights THEN c.rw
         WHEN c.drg IS NOT NULL AND $missing = 'adrg' THEN CAST(a.rw AS DECIMAL(18,4)) END AS rw,
    c.in_weights,
    CASE WHEN c.drg IS NULL THEN NULL
         WHEN c.in_weights THEN 'drg'
         WHEN $missing = 'adrg' AND a.rw IS NOT NULL THEN 'adrg' END AS rw_source,
    CASE WHEN c.drg IS NOT NULL AND NOT c.in_weights AND ($missing = 'exclude' OR a.rw IS NULL)
         THEN '权重表中没有该 DRG 的相对权重，不纳入 DRG 付费' END AS unpaid_reason,
    c.coefficient,
    c.level_missing,
    c.medfee_sumamt,
    c.hifp_pay,
    c.basis_date,
    c.pack_sha256
FROM drgs_case_inputs c
LEFT JOIN adrg_rw a ON a.adrg = c.adrg;
