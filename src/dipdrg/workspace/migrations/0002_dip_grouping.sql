-- Schema 2: DIP grouping results (dipdrg dip group), one row per case and run.
-- The pack's id, version and content hash make every result reproducible.

CREATE TABLE dip_case_groups (
    run_id        VARCHAR NOT NULL,
    setl_id       VARCHAR NOT NULL,
    group_code    VARCHAR,              -- NULL when ungrouped
    group_type    VARCHAR,              -- core | comprehensive
    layer         VARCHAR NOT NULL,     -- pre/merge/burn/tumor/tb/base/core/comprehensive/exclusion/ungrouped
    rule_ref      VARCHAR,              -- the pack row that decided (sheet + 序号, or file + row)
    status        VARCHAR NOT NULL,     -- grouped | ungrouped
    reason        VARCHAR,              -- ungrouped reason code (dip_ungrouped_reasons)
    primary_care  BOOLEAN NOT NULL,     -- 基层病种
    treatment     VARCHAR,              -- 保守治疗/手术操作 (core); 相关手术/治疗性操作/诊断性操作/内科诊疗 (comprehensive)
    pack_id       VARCHAR NOT NULL,
    pack_version  VARCHAR NOT NULL,
    pack_sha256   VARCHAR NOT NULL,
    PRIMARY KEY (run_id, setl_id)
);

CREATE TABLE dip_ungrouped_reasons (
    reason      VARCHAR PRIMARY KEY,
    description VARCHAR NOT NULL
);

INSERT INTO dip_ungrouped_reasons VALUES
    ('NO_PDX', '无主要诊断'),
    ('PDX_INVALID', '主要诊断编码无效（未能规范化为医保版编码）'),
    ('PDX_EXCLUDED', '主要诊断属于不纳入分组诊断'),
    ('PROC_INVALID', '主要手术操作编码无效（未能规范化为医保版编码）'),
    ('NO_CORE_MATCH', '未匹配国家分组方案的任何病种'),
    ('PROC_ATTR_UNKNOWN', '未匹配核心病种，且主要手术操作的属性未知，无法归入综合病种'),
    ('NO_COMPREHENSIVE', '未匹配核心病种，病种库中也无对应的综合病种');
