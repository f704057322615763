-- CHS-DRG 分组与付费技术规范 相对权重 / DESIGN §5: RW_i = m_i / M, rounded half up to 4 decimals
-- from the rounded (2-decimal) means (dip_div4 divides exactly); m_i is the weighted trimmed
-- mean of DRG i, M the weighted mean of all grouped cases. A DRG with fewer than $min_cases
-- history cases (all cases, before trimming) is flagged low_count; its RW is still given.
-- MDC and ADRG are those the grouper gave the DRG (one per DRG in a scheme).
CREATE OR REPLACE TEMP TABLE drgw_weights AS
WITH names AS (
    SELECT drg, MIN(mdc) AS mdc, MIN(adrg) AS adrg
    FROM drgw_history
    WHERE status = 'ok'
    GROUP BY drg
)
SELECT
    g.set_key AS drg,
    n.mdc,
    n.adrg,
    g.case_count,
    g.kept_count,
    g.mean_cost,
    g.mean_los,
    g.cv,
    CAST(dip_div4(g.mean_cost, r.mean_cost) AS DECIMAL(18,4)) AS rw,
    g.case_count < $min_cases AS low_count
FROM drgw_drg_stats g
JOIN names n ON n.drg = g.set_key
CROSS JOIN drgw_region_stats r;
