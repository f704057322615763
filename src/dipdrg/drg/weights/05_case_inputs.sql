-- CHS-DRG 付费标准 / DESIGN §5 "payment = RW × rate × coefficient": every case of the grouping
-- run $group_run with its hospital level, its DRG (NULL unless grouped: status SUCCESS and not
-- the 0000 group; ungrouped cases are outside DRG payment but kept for the record), the RW of
-- that DRG from the weights table drgs_weight_table (in_weights FALSE when the DRG has none),
-- the level coefficient from the policy ($level_1..3; 1 for an unknown or missing level) and
-- the date that places the case in a settlement year ($month_basis, as the settlement adapter:
-- settlement date or discharge date, falling back to the other). A DRG without a weight is
-- resolved by the next step (05b_missing_weights.sql, policy drg.weights.missing).
CREATE OR REPLACE TEMP TABLE drgs_case_inputs AS
WITH grouped AS (
    SELECT g.*, CASE WHEN g.status = 'SUCCESS' AND g.drg <> '0000' THEN g.drg END AS paid_drg
    FROM drg_case_groups g
    WHERE g.run_id = $group_run
)
SELECT
    g.setl_id,
    c.fixmedins_code,
    h.hosp_lv,
    g.status AS group_status,
    g.paid_drg AS drg,
    g.adrg,
    w.rw,
    w.drg IS NOT NULL AS in_weights,
    CASE WHEN g.paid_drg IS NOT NULL THEN CAST(CASE h.hosp_lv
        WHEN '1' THEN $level_1 WHEN '2' THEN $level_2 WHEN '3' THEN $level_3 ELSE 1 END AS DECIMAL(18,4))
    END AS coefficient,
    g.paid_drg IS NOT NULL AND h.hosp_lv IS NULL AS level_missing,
    c.medfee_sumamt,
    c.hifp_pay,
    CASE WHEN $month_basis = 'discharge'
         THEN COALESCE(CAST(c.dscg_time AS DATE), c.setl_end_date)
         ELSE COALESCE(c.setl_end_date, CAST(c.dscg_time AS DATE)) END AS basis_date,
    g.pack_sha256
FROM grouped g
LEFT JOIN cases c ON c.setl_id = g.setl_id
LEFT JOIN hospitals h ON h.fixmedins_code = c.fixmedins_code
LEFT JOIN drgs_weight_table w ON w.drg = g.paid_drg;
