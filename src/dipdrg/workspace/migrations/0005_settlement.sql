-- Schema 5: settlement (DESIGN.md §4.4–4.6): point values, case payments, monthly prepayment,
-- annual clearance with band sharing, simulated payment, and the special-case review workflow.
-- Every result table is keyed by run_id (a row of runs); money is DECIMAL(18,2), scores,
-- ratios and point values DECIMAL(18,4). `method` is 'dip' or 'drg' so that both payment
-- methods feed the same engine.

-- Point values and their inputs, one row per run and period ('2026' or '2026-03') ---------
CREATE TABLE settle_point_values (
    run_id          VARCHAR NOT NULL,
    method          VARCHAR NOT NULL,
    period          VARCHAR NOT NULL,
    basis_run_id    VARCHAR NOT NULL,    -- the scoring run that gave the case units
    regime          VARCHAR NOT NULL,    -- fixed / floating / flexible / monthly
    budget_method   VARCHAR,             -- item / ratio / growth (annual only)
    fund_budget     DECIMAL(18,2),       -- DIP 统筹基金预算 (annual only)
    grouped_cases   BIGINT NOT NULL,
    total_units     DECIMAL(18,4) NOT NULL,
    total_cost      DECIMAL(18,2) NOT NULL,
    total_fund      DECIMAL(18,2) NOT NULL,
    fund_ratio      DECIMAL(18,4) NOT NULL,  -- 基金支付比例
    budget_pv       DECIMAL(18,4),           -- 预算点值
    settlement_pv   DECIMAL(18,4),           -- 结算点值 (annual only)
    applied_pv      DECIMAL(18,4) NOT NULL,  -- the point value the run paid with
    undated_cases   BIGINT NOT NULL,         -- cases of the scoring run with no date (reported)
    PRIMARY KEY (run_id, period)
);

-- Case-level payments: every figure of a statement traces to these rows -------------------
CREATE TABLE settle_cases (
    run_id           VARCHAR NOT NULL,
    period           VARCHAR NOT NULL,
    method           VARCHAR NOT NULL,
    setl_id          VARCHAR NOT NULL,
    fixmedins_code   VARCHAR NOT NULL,
    group_code       VARCHAR,
    in_scope         BOOLEAN NOT NULL,   -- grouped (inside DIP/DRG); ungrouped are paid by item elsewhere
    units            DECIMAL(18,4),      -- case score (DIP) or weight × coefficient (DRG)
    neutral_units    DECIMAL(18,4),      -- the same at institution coefficient 1 (for 模拟付费 reasons)
    outlier          VARCHAR,            -- low / high / review / NULL
    special_mode     VARCHAR,            -- approved special case: item / adjusted
    point_value      DECIMAL(18,4),
    fund_ratio       DECIMAL(18,4),
    standard_amount  DECIMAL(18,2),      -- 支付标准 = units × point value
    fund_due         DECIMAL(18,2),      -- 基金应付 = standard × fund ratio
    medfee_sumamt    DECIMAL(18,2),
    hifp_pay         DECIMAL(18,2),      -- item-billed fund amount (按项目统筹基金记账)
    PRIMARY KEY (run_id, period, setl_id)
);

-- Monthly prepayment (月度预付), one row per run, month and hospital ----------------------
CREATE TABLE settle_monthly (
    run_id          VARCHAR NOT NULL,
    method          VARCHAR NOT NULL,
    period          VARCHAR NOT NULL,
    fixmedins_code  VARCHAR NOT NULL,
    dip_cases       BIGINT NOT NULL,
    units           DECIMAL(18,4) NOT NULL,
    billed_fund     DECIMAL(18,2) NOT NULL,
    case_fund_due   DECIMAL(18,2) NOT NULL,
    gross_due       DECIMAL(18,2) NOT NULL,  -- by the monthly basis (score or billed)
    reserve         DECIMAL(18,2) NOT NULL,  -- 质量保证金
    deductions      DECIMAL(18,2) NOT NULL,  -- 审核扣款 of the month
    payable         DECIMAL(18,2) NOT NULL,  -- 本月预付
    non_dip_cases   BIGINT NOT NULL,
    non_dip_fund    DECIMAL(18,2) NOT NULL,
    PRIMARY KEY (run_id, period, fixmedins_code)
);

-- Annual clearance (年度清算), one row per run and hospital -------------------------------
CREATE TABLE settle_annual (
    run_id           VARCHAR NOT NULL,
    method           VARCHAR NOT NULL,
    period           VARCHAR NOT NULL,
    fixmedins_code   VARCHAR NOT NULL,
    dip_cases        BIGINT NOT NULL,
    units            DECIMAL(18,4) NOT NULL,
    case_fund_due    DECIMAL(18,2) NOT NULL,  -- Σ case fund due
    assessment_coef  DECIMAL(18,4) NOT NULL,  -- 考核系数
    assessed_due     DECIMAL(18,2) NOT NULL,
    deductions       DECIMAL(18,2) NOT NULL,  -- 全年审核扣款
    due              DECIMAL(18,2) NOT NULL,  -- 年度应付
    billed_fund      DECIMAL(18,2) NOT NULL,  -- 按项目统筹基金记账金额
    balance          DECIMAL(18,2) NOT NULL,  -- due − billed: > 0 结余, < 0 超支
    sharing_kind     VARCHAR NOT NULL,        -- surplus / overrun / balanced
    shared_amount    DECIMAL(18,2) NOT NULL,  -- 结余留用 or 基金分担 amount
    settled_amount   DECIMAL(18,2) NOT NULL,  -- 年度清算总额
    monthly_gross    DECIMAL(18,2) NOT NULL,
    reserve_withheld DECIMAL(18,2) NOT NULL,
    monthly_paid     DECIMAL(18,2) NOT NULL,  -- 已预付
    months_paid      INTEGER NOT NULL,
    final_amount     DECIMAL(18,2) NOT NULL,  -- 清算应拨付（负数为应追回）
    non_dip_cases    BIGINT NOT NULL,
    non_dip_fund     DECIMAL(18,2) NOT NULL,
    PRIMARY KEY (run_id, fixmedins_code)
);

-- The band-by-band sharing of each hospital's surplus or overrun --------------------------
CREATE TABLE settle_bands_applied (
    run_id          VARCHAR NOT NULL,
    fixmedins_code  VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL,    -- surplus / overrun
    band_no         INTEGER NOT NULL,
    lower_ratio     DECIMAL(18,4) NOT NULL,
    upper_ratio     DECIMAL(18,4),
    share           DECIMAL(18,4) NOT NULL,
    lower_amount    DECIMAL(18,2) NOT NULL,
    upper_amount    DECIMAL(18,2),
    part_amount     DECIMAL(18,2) NOT NULL,
    shared_amount   DECIMAL(18,2) NOT NULL,
    PRIMARY KEY (run_id, fixmedins_code, band_no)
);

-- Simulated payment (模拟付费): DIP vs fee-for-service ------------------------------------
CREATE TABLE settle_sim_hospital (
    run_id          VARCHAR NOT NULL,
    method          VARCHAR NOT NULL,
    fixmedins_code  VARCHAR NOT NULL,
    dip_cases       BIGINT NOT NULL,
    ffs_amount      DECIMAL(18,2) NOT NULL,  -- 按项目付费（统筹基金记账）
    case_fund_due   DECIMAL(18,2) NOT NULL,
    settled_amount  DECIMAL(18,2) NOT NULL,  -- DIP 年度清算总额
    difference      DECIMAL(18,2) NOT NULL,  -- settled − ffs = sum of the reason columns
    low_outlier     DECIMAL(18,2) NOT NULL,
    high_outlier    DECIMAL(18,2) NOT NULL,
    special_cases   DECIMAL(18,2) NOT NULL,
    coefficient     DECIMAL(18,2) NOT NULL,
    case_mix        DECIMAL(18,2) NOT NULL,
    assessment      DECIMAL(18,2) NOT NULL,
    deductions      DECIMAL(18,2) NOT NULL,
    sharing         DECIMAL(18,2) NOT NULL,
    main_reason     VARCHAR NOT NULL,
    PRIMARY KEY (run_id, fixmedins_code)
);

CREATE TABLE settle_sim_group (
    run_id          VARCHAR NOT NULL,
    method          VARCHAR NOT NULL,
    group_code      VARCHAR NOT NULL,
    dip_cases       BIGINT NOT NULL,
    ffs_amount      DECIMAL(18,2) NOT NULL,
    dip_amount      DECIMAL(18,2) NOT NULL,
    difference      DECIMAL(18,2) NOT NULL,
    low_outlier     DECIMAL(18,2) NOT NULL,
    high_outlier    DECIMAL(18,2) NOT NULL,
    special_cases   DECIMAL(18,2) NOT NULL,
    coefficient     DECIMAL(18,2) NOT NULL,
    case_mix        DECIMAL(18,2) NOT NULL,
    main_reason     VARCHAR NOT NULL,
    PRIMARY KEY (run_id, group_code)
);

-- Special-case review (特例单议): requests and their audit trail ---------------------------
CREATE TABLE special_case_requests (
    request_id       VARCHAR PRIMARY KEY,
    method           VARCHAR NOT NULL,
    setl_id          VARCHAR NOT NULL,
    fixmedins_code   VARCHAR NOT NULL,
    year             INTEGER NOT NULL,
    state            VARCHAR NOT NULL,   -- applied 申请 / audited 审核 / approved 批准 / rejected 驳回
    reason_type      VARCHAR NOT NULL,
    reason           VARCHAR NOT NULL,
    pay_mode         VARCHAR,            -- item / adjusted (approved only)
    adjusted_amount  DECIMAL(18,2),      -- adjusted payment standard (adjusted only)
    applied_by       VARCHAR NOT NULL,
    applied_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);

CREATE TABLE special_case_trail (
    request_id  VARCHAR NOT NULL,
    seq         INTEGER NOT NULL,
    from_state  VARCHAR,
    to_state    VARCHAR NOT NULL,
    actor       VARCHAR NOT NULL,
    acted_at    TIMESTAMP NOT NULL,
    note        VARCHAR NOT NULL,
    PRIMARY KEY (request_id, seq)
);
