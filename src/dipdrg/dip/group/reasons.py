"""Reason codes of ungrouped cases (未入组原因), shared by the SQL path and explanations."""

REASONS = {
    "NO_PDX": "无主要诊断",
    "PDX_INVALID": "主要诊断编码无效（未能规范化为医保版编码）",
    "PDX_EXCLUDED": "主要诊断属于不纳入分组诊断",
    "PROC_INVALID": "主要手术操作编码无效（未能规范化为医保版编码）",
    "NO_CORE_MATCH": "未匹配国家分组方案的任何病种",
    "PROC_ATTR_UNKNOWN": "未匹配核心病种，且主要手术操作的属性未知，无法归入综合病种",
    "NO_COMPREHENSIVE": "未匹配核心病种，病种库中也无对应的综合病种",
}

LAYER_NAMES = {
    "exclusion": "不纳入分组",
    "pre": "先期分组",
    "merge": "并项规则",
    "burn": "诊断辅助细分（烧伤）",
    "tumor": "诊断辅助细分（肿瘤）",
    "tb": "诊断辅助细分（结核）",
    "base": "基础规则",
    "core": "核心病种",
    "comprehensive": "综合病种",
    "ungrouped": "未入组",
}
