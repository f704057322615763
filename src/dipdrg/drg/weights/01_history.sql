-- CHS-DRG 分组与付费技术规范 相对权重测算的历史数据 / DESIGN §5, §4.6: one row per case of the
-- grouping run $group_run in the measured years (year from the discharge time or the settlement
-- end date, $year_basis; cases with no year are kept to be counted), with its status: ok, or why
-- it cannot be used — ungrouped (status other than SUCCESS, or the 0000 group), no_year, no_cost
-- (total cost missing or negative). Every case of the run is accounted for.
CREATE OR REPLACE TEMP TABLE drgw_history AS
WITH base AS (
    SELECT
        g.setl_id,
        g.drg,
        g.mdc,
        g.adrg,
        g.status AS group_status,
        CAST(CASE WHEN $year_basis = 'setl_end_date' THEN EXTRACT(YEAR FROM c.setl_end_date)
                  ELSE EXTRACT(YEAR FROM c.dscg_time) END AS INTEGER) AS case_year,
        CAST(c.medfee_sumamt AS DECIMAL(18,2)) AS cost,
        c.act_ipt_days AS los
    FROM drg_case_groups g
    JOIN cases c ON c.setl_id = g.setl_id
    WHERE g.run_id = $group_run
)
SELECT
    setl_id,
    drg,
    mdc,
    adrg,
    case_year,
    CASE
        WHEN group_status <> 'SUCCESS' OR drg = '0000' THEN 'ungrouped'
        WHEN case_year IS NULL THEN 'no_year'
        WHEN cost IS NULL OR cost < 0 THEN 'no_cost'
        ELSE 'ok'
    END AS status,
    cost,
    los
FROM base
WHERE case_year IS NULL OR case_year IN (SELECT case_year FROM cat_year_weights);
