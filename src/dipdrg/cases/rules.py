"""The import's blocking rules (导入隔离规则): a row failing one is quarantined, never dropped.

Only what cannot be stored is blocked here; everything storable but doubtful (missing dates,
reversed dates, sums that do not add up, unknown codes) is loaded and left to the quality
layer. Ids are stable: reports and exports refer to them.
"""

from __future__ import annotations

IMPORT_RULES: dict[str, str] = {
    "IMP-001": "结算ID为空（无法作为主键保存）",
    "IMP-002": "定点医疗机构编号为空（无法归属医疗机构）",
    "IMP-003": "整数字段无法识别（年龄、天数、体重等）",
    "IMP-004": "金额无法识别（非数字，或超过两位小数需要舍入）",
    "IMP-005": "日期或时间无法识别",
    "IMP-006": "时长无法识别（应为 天/小时/分钟 或分钟数）",
    "IMP-008": "主诊断/主手术标志无法识别",
    "IMP-010": "结算ID已存在但内容不同（冲突，不覆盖）",
    "IMP-011": "行无法解析（被截断、列数不符、引号不配对或不是完整的 JSON）",
    "IMP-012": "含有无法解码的字节（编码错误）",
    "IMP-020": "诊断/手术表的结算ID在主文件中不存在",
    "IMP-021": "诊断/手术表的行所属的结算记录被隔离",
    "IMP-101": "医疗机构编号为空",
    "IMP-102": "医疗机构名称为空",
    "IMP-103": "医院级别为空或无法识别（应为 一级/二级/三级 或 1/2/3）",
    "IMP-110": "医疗机构编号已存在但内容不同（冲突，不覆盖）",
}

# field type -> (typing macro, rule id, what the text should have been)
TYPE_RULES: dict[str, tuple[str, str, str]] = {
    "int": ("imp_int", "IMP-003", "不是整数"),
    "decimal": ("imp_dec", "IMP-004", "不是有效金额（数字，最多两位小数）"),
    "date": ("imp_date", "IMP-005", "不是有效日期"),
    "timestamp": ("imp_ts", "IMP-005", "不是有效时间"),
    "duration": ("imp_minutes", "IMP-006", "不是有效时长（天/小时/分钟 或分钟数）"),
}

# Coded text fields whose labels are mapped to codes (男 -> 1); a value that is not a known
# label is stored as given (it can be stored) and left to the quality layer and the groupers'
# own input checks (e.g. gender 3 in the reference cases must reach the DRG check).
MAPPED_FIELDS: dict[str, str] = {"gend": "imp_gend"}
