-- Schema 4: DIP case scores (DESIGN.md §4.3, §4.4, §4.6 "Outliers").
-- One row per case of a DIP grouping run (dip_case_groups) scored against a local catalog
-- pack: the group score, institution and auxiliary coefficients, the payment standard at the
-- budget point value, the cost ratio and the outlier rule applied. Ungrouped cases are outside
-- DIP and keep a row with group_code and case_score NULL, so every grouped-run case is
-- accounted for. This table is the contract with settlement (pay/).
CREATE TABLE dip_case_scores (
    run_id            VARCHAR NOT NULL,   -- the dip-score run (runs.run_id)
    group_run_id      VARCHAR NOT NULL,   -- the dip-group run whose groups were scored
    setl_id           VARCHAR NOT NULL,
    fixmedins_code    VARCHAR,
    hosp_lv           VARCHAR,
    group_code        VARCHAR,            -- NULL: ungrouped (outside DIP)
    group_type        VARCHAR,            -- core / comprehensive
    primary_care      BOOLEAN,            -- 基层病种: level coefficient fixed at 1
    base_score        DECIMAL(18,4),      -- 病种分值 RW
    level_coefficient DECIMAL(18,4),      -- 医疗机构等级系数
    aux_kind          VARCHAR,            -- severity / age / icu (the subtype applied) or NULL
    aux_coefficient   DECIMAL(18,4),      -- 辅助分型系数 (1 when none)
    point_value       DECIMAL(18,4),      -- 预算点值 used for the standard
    standard_cost     DECIMAL(18,2),      -- RW × coefficients × point value
    medfee_sumamt     DECIMAL(18,2),
    cost_ratio        DECIMAL(18,4),      -- medfee_sumamt / standard_cost
    outlier           VARCHAR,            -- 'low' | 'high' | 'review' | NULL
    outlier_rule      VARCHAR,            -- '2020' | '3.0'
    case_score        DECIMAL(18,4),      -- 病例分值
    pack_sha256       VARCHAR,
    PRIMARY KEY (run_id, setl_id)
);
