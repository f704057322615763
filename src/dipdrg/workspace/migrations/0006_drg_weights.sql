-- Schema 6: CHS-DRG relative weights from local history and per-case DRG units (DESIGN.md §5,
-- §4.6 "Year weights", "Trimming", "Outliers", "Rounding"). Money DECIMAL(18,2); weights,
-- coefficients, rates and ratios DECIMAL(18,4). Every row is keyed by the run that made it.

-- One row per weights run: what it measured and the hash of its canonical weights CSV --------
CREATE TABLE drg_weight_runs (
    run_id          VARCHAR PRIMARY KEY,  -- the drg-weights run (runs.run_id)
    group_run_id    VARCHAR NOT NULL,     -- the drg-group run whose groups were measured
    years           VARCHAR NOT NULL,     -- e.g. '2023:1,2024:2,2025:7' (year:weight)
    region_cases    BIGINT NOT NULL,      -- grouped history cases used for the regional mean
    region_mean     DECIMAL(18,2) NOT NULL,  -- M: 1:2:7-weighted mean cost of all grouped cases
    min_cases       INTEGER NOT NULL,     -- the policy threshold below which a DRG is flagged
    weights_sha256  VARCHAR NOT NULL      -- sha256 of the weights CSV this run writes
);

-- Relative weight (RW) per DRG --------------------------------------------------------------
CREATE TABLE drg_weights (
    run_id       VARCHAR NOT NULL,
    drg          VARCHAR NOT NULL,
    mdc          VARCHAR,
    adrg         VARCHAR,
    case_count   BIGINT NOT NULL,         -- all history cases of the DRG (thresholds)
    kept_count   BIGINT NOT NULL,         -- cases left after trimming (means)
    mean_cost    DECIMAL(18,2) NOT NULL,  -- m: weighted trimmed mean cost
    mean_los     DECIMAL(18,2),           -- weighted trimmed mean length of stay
    cv           DECIMAL(18,4),           -- coefficient of variation of cost
    rw           DECIMAL(18,4) NOT NULL,  -- m / M
    low_count    BOOLEAN NOT NULL,        -- case_count below drg.weights.min_cases
    PRIMARY KEY (run_id, drg)
);

-- DRG units per case (the contract with settlement, like dip_case_scores) -------------------
CREATE TABLE drg_case_scores (
    run_id          VARCHAR NOT NULL,     -- the drg-score run
    group_run_id    VARCHAR NOT NULL,     -- the drg-group run scored
    setl_id         VARCHAR NOT NULL,
    fixmedins_code  VARCHAR,
    hosp_lv         VARCHAR,
    group_status    VARCHAR,              -- drg_case_groups.status
    drg             VARCHAR,              -- NULL: not grouped (outside DRG payment)
    rw              DECIMAL(18,4),        -- relative weight of the DRG
    coefficient     DECIMAL(18,4),        -- level coefficient (1 when none)
    rate            DECIMAL(18,4),        -- 费率 (yuan per weight) used for the standard
    standard_cost   DECIMAL(18,2),        -- 支付标准 = RW × coefficient × rate
    medfee_sumamt   DECIMAL(18,2),
    cost_ratio      DECIMAL(18,4),        -- medfee_sumamt / standard_cost
    outlier         VARCHAR,              -- 'low' | 'high' | 'review' | NULL
    case_units      DECIMAL(18,4),        -- 病例权重: RW × coefficient, outliers applied
    weights_sha256  VARCHAR,
    pack_sha256     VARCHAR,              -- the grouping pack
    rw_source       VARCHAR,              -- 'drg' own weight | 'adrg' mean of its ADRG (drg.weights.missing) | NULL
    unpaid_reason   VARCHAR,              -- why a grouped case is outside DRG payment (no weight), else NULL
    PRIMARY KEY (run_id, setl_id)
);
