-- Schema 1: the foundation tables (code standards, registry, settlement lists, runs).
-- Field names follow the national upload interface 4101/4101A (医保结算清单信息上传).
-- Money is DECIMAL(18,2) in yuan; never DOUBLE.

CREATE TABLE runs (
    run_id      VARCHAR PRIMARY KEY,
    kind        VARCHAR NOT NULL,        -- import / quality / dip-group / drg-group / settle ...
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    inputs      VARCHAR NOT NULL,        -- JSON: input name -> sha256
    parameters  VARCHAR NOT NULL         -- JSON: the exact policy values used
);

-- Code standards (ICD-10 医保版 diagnoses, ICD-9-CM-3 医保版 procedures) ------------------
CREATE TABLE code_lists (
    list_id     VARCHAR PRIMARY KEY,     -- e.g. icd10-yb-2.0
    kind        VARCHAR NOT NULL,        -- 'diagnosis' | 'procedure'
    version     VARCHAR NOT NULL,
    source_file VARCHAR,
    sha256      VARCHAR,
    loaded_at   TIMESTAMP NOT NULL
);

CREATE TABLE codes (
    kind        VARCHAR NOT NULL,        -- 'diagnosis' | 'procedure'
    code        VARCHAR NOT NULL,        -- canonical form (医保版)
    name        VARCHAR,
    category    VARCHAR,                 -- procedures: 手术/介入治疗/治疗性操作/诊断性操作
    list_id     VARCHAR NOT NULL,
    PRIMARY KEY (kind, code)
);

CREATE TABLE code_crosswalk (             -- 国临版 -> 医保版
    kind        VARCHAR NOT NULL,
    source_code VARCHAR NOT NULL,
    target_code VARCHAR NOT NULL,
    PRIMARY KEY (kind, source_code)
);

-- Hospital registry (定点医疗机构) --------------------------------------------------------
CREATE TABLE hospitals (
    fixmedins_code VARCHAR PRIMARY KEY,
    fixmedins_name VARCHAR NOT NULL,
    hosp_lv        VARCHAR NOT NULL,     -- '1' 一级, '2' 二级, '3' 三级
    hosp_type      VARCHAR,              -- 综合 / 中医 / 专科
    county         VARCHAR,
    import_id      VARCHAR
);

-- Imports: one row per imported file, with the account of every input row ---------------
CREATE TABLE imports (
    import_id    VARCHAR PRIMARY KEY,
    kind         VARCHAR NOT NULL,       -- 'settlement' | 'hospital'
    source_file  VARCHAR NOT NULL,
    sha256       VARCHAR NOT NULL,
    format       VARCHAR NOT NULL,
    imported_at  TIMESTAMP NOT NULL,
    rows_read    BIGINT NOT NULL,
    loaded       BIGINT NOT NULL,
    quarantined  BIGINT NOT NULL,
    duplicates   BIGINT NOT NULL
);

-- Settlement lists (医疗保障基金结算清单), one row per settlement ---------------------------
-- setl_id is unique, but not declared PRIMARY KEY: the importer alone writes these three
-- tables and guarantees it (duplicate/conflict rules, tests/test_import_accounting.py); the
-- index would cost more than half of a bulk import's write time.
CREATE TABLE cases (
    setl_id          VARCHAR NOT NULL,
    mdtrt_id         VARCHAR,
    psn_no           VARCHAR,
    fixmedins_code   VARCHAR NOT NULL,
    fixmedins_name   VARCHAR,
    insutype         VARCHAR,
    gend             VARCHAR,            -- '1' 男 '2' 女 ('9' 未说明)
    brdy             DATE,
    age              INTEGER,            -- years
    nwb_age          INTEGER,            -- age in days when under 1 year
    nwb_bir_wt       INTEGER,            -- grams
    nwb_adm_wt       INTEGER,            -- grams
    nwb_adm_type     VARCHAR,
    ipt_med_type     VARCHAR,
    adm_way          VARCHAR,
    trt_type         VARCHAR,
    adm_time         TIMESTAMP,
    adm_caty         VARCHAR,
    refldept_dept    VARCHAR,
    dscg_time        TIMESTAMP,
    dscg_caty        VARCHAR,
    act_ipt_days     INTEGER,
    dscg_way         VARCHAR,            -- 1 医嘱离院 2 转院 3 转社区 4 非医嘱 5 死亡 9 其他
    vent_used_minutes          INTEGER,  -- 呼吸机使用时长, from '天/小时/分钟'
    pwcry_bfadm_coma_minutes   INTEGER,
    pwcry_afadm_coma_minutes   INTEGER,
    icu_minutes      INTEGER,            -- 重症监护合计时长
    spga_nurscare_days INTEGER,
    lv1_nurscare_days  INTEGER,
    scd_nurscare_days  INTEGER,
    lv3_nurscare_days  INTEGER,
    chfpdr_code      VARCHAR,            -- 主诊医师代码
    chfpdr_name      VARCHAR,
    medfee_sumamt    DECIMAL(18,2),      -- 医疗费总额
    hifp_pay         DECIMAL(18,2),      -- 统筹基金支付
    psn_selfpay      DECIMAL(18,2),
    psn_ownpay       DECIMAL(18,2),
    acct_pay         DECIMAL(18,2),
    psn_cashpay      DECIMAL(18,2),
    -- 14-item fee breakdown (iteminfo, med_chrgitm 01..14)
    fee_bed          DECIMAL(18,2),      -- 01 床位费
    fee_consult      DECIMAL(18,2),      -- 02 诊察费
    fee_exam         DECIMAL(18,2),      -- 03 检查费
    fee_lab          DECIMAL(18,2),      -- 04 化验费
    fee_treat        DECIMAL(18,2),      -- 05 治疗费
    fee_oprn         DECIMAL(18,2),      -- 06 手术费
    fee_nursing      DECIMAL(18,2),      -- 07 护理费
    fee_material     DECIMAL(18,2),      -- 08 卫生材料费
    fee_wm           DECIMAL(18,2),      -- 09 西药费
    fee_herb         DECIMAL(18,2),      -- 10 中药饮片费
    fee_tcm_patent   DECIMAL(18,2),      -- 11 中成药费
    fee_general      DECIMAL(18,2),      -- 12 一般诊疗费
    fee_reg          DECIMAL(18,2),      -- 13 挂号费
    fee_other        DECIMAL(18,2),      -- 14 其他费
    setl_begn_date   DATE,
    setl_end_date    DATE,
    upload_time      TIMESTAMP,          -- 上传时间 (及时性)
    import_id        VARCHAR NOT NULL,
    source_row       BIGINT,
    content_hash     VARCHAR NOT NULL    -- duplicate vs conflict detection on re-import
);

-- Diagnoses (diseinfo); seq 0 = principal (主要诊断) --------------------------------------
CREATE TABLE case_diagnoses (
    setl_id        VARCHAR NOT NULL,
    seq            INTEGER NOT NULL,
    diag_code_raw  VARCHAR,
    diag_code      VARCHAR,              -- normalised 医保版 code (NULL when unknown)
    diag_name      VARCHAR,
    maindiag_flag  BOOLEAN NOT NULL,
    adm_cond_type  VARCHAR               -- 入院病情 1 有 2 临床未确定 3 情况不明 4 无
);                                       -- unique (setl_id, seq), kept by the importer

-- Procedures (oprninfo); seq 0 = principal (主要手术操作) ---------------------------------
CREATE TABLE case_procedures (
    setl_id        VARCHAR NOT NULL,
    seq            INTEGER NOT NULL,
    oprn_code_raw  VARCHAR,
    oprn_code      VARCHAR,
    oprn_name      VARCHAR,
    oprn_date      TIMESTAMP,
    main_oprn_flag BOOLEAN NOT NULL,
    anst_way       VARCHAR,
    oper_dr_code   VARCHAR
);                                       -- unique (setl_id, seq), kept by the importer

-- Rows that could not be loaded, with the rule that stopped them -------------------------
CREATE TABLE quarantine (
    import_id    VARCHAR NOT NULL,
    source_file  VARCHAR NOT NULL,
    source_row   BIGINT,
    setl_id      VARCHAR,
    rule_id      VARCHAR NOT NULL,
    field        VARCHAR,
    message      VARCHAR NOT NULL,
    raw          VARCHAR                -- the input row as JSON text
);

-- Duplicates (same setl_id, same content) reported, not loaded ----------------------------
CREATE TABLE import_duplicates (
    import_id    VARCHAR NOT NULL,
    source_file  VARCHAR NOT NULL,
    source_row   BIGINT,
    setl_id      VARCHAR NOT NULL
);

-- Quality findings (质控结果), one row per case and rule that fired ------------------------
CREATE TABLE quality_findings (
    run_id     VARCHAR NOT NULL,
    setl_id    VARCHAR NOT NULL,
    rule_id    VARCHAR NOT NULL,
    severity   VARCHAR NOT NULL,        -- 'error' | 'warning'
    dimension  VARCHAR NOT NULL,        -- 完整性 / 准确性 / 及时性 / 逻辑性
    field      VARCHAR,
    detail     VARCHAR
);
