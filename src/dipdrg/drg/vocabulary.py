"""The fixed vocabulary a CHS-DRG scheme pack is written in.

A pack states its rules as data built from these words: MDC entry shapes, rule *atoms* (the
conditions an ADRG rule shape is a conjunction of) and DRG severity rules. A new scheme
version or a local subdivision combines them in its tables; only a genuinely new kind of
condition needs a new word here (and its SQL and explain counterpart). ``docs/drg-pack.md``
documents every word.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Atom:
    """One condition an ADRG rule shape can require."""

    name: str
    needs_list: bool      # refers to one code list of the ADRG's rule (adrg_codes.list)
    side: str             # 'dx' | 'proc' | 'case' — what the condition looks at
    position: str         # 'principal' | 'secondary' | 'any' | '' — which diagnoses/procedures
    text: str             # Chinese description shown by explain and the docs


ATOMS: dict[str, Atom] = {
    a.name: a
    for a in (
        Atom("pdx_in", True, "dx", "principal", "主要诊断在列表中"),
        Atom("sdx_in", True, "dx", "secondary", "某一其他诊断在列表中"),
        Atom("anydx_in", True, "dx", "any", "任一诊断（含主要诊断）在列表中"),
        Atom("pproc_in", True, "proc", "principal", "主要手术操作在列表中"),
        Atom("anyproc_in", True, "proc", "any", "任一手术操作（含主要手术）在列表中"),
        Atom(
            "proc_categories",
            True,
            "proc",
            "any",
            "列表中出现的手术操作类别组合满足 proc_category_rule",
        ),
        Atom("pproc_in_or_list", False, "case", "", "主要手术操作在手术室手术列表中"),
        Atom("anyproc_in_or_list", False, "case", "", "任一手术操作在手术室手术列表中"),
        Atom("no_proc_in_or_list", False, "case", "", "没有任何手术操作在手术室手术列表中"),
        Atom(
            "birth_weight_in_range",
            False,
            "case",
            "",
            "出生体重非空非零且 weight_min ≤ 体重 < weight_max",
        ),
    )
}

# MDC entry shapes (mdc.entry_shape); the columns gender, age_years_min/max and min_regions of
# the mdc table add conditions to any of them.
ENTRY_SHAPES: dict[str, str] = {
    "pproc_in_or_list": "主要手术操作在手术室手术列表中（不看诊断）",
    "pdx_in_list": "主要诊断在该 MDC 的诊断列表中",
    "anydx_in_list": "任一诊断在该 MDC 的诊断列表中",
}

# Severity levels of a case and the DRG rules (drg.rule) each level satisfies.
LEVELS = ("mcc", "cc", "none")
SEVERITY_RULES: dict[str, frozenset[str]] = {
    "MCC": frozenset({"mcc"}),
    "MCC_or_CC": frozenset({"mcc", "cc"}),
    "CC": frozenset({"cc"}),
    "else": frozenset(LEVELS),
    "no_split": frozenset(LEVELS),
}
UNCONDITIONAL_RULES = frozenset(k for k, v in SEVERITY_RULES.items() if v == frozenset(LEVELS))

LEVEL_TEXT = {"mcc": "伴严重并发症或合并症（MCC）", "cc": "伴并发症或合并症（CC）", "none": "无 CC/MCC"}

# Status and reason codes written per case.
STATUS_SUCCESS = "SUCCESS"
STATUS_CHECK_FAILED = "CHECK_FAILED"
STATUS_FAIL = "FAIL"
REASONS: dict[str, str] = {
    "gender": "性别为空或不是 1/2",
    "age": "年龄为空",
    "age_days": "年龄为 0 岁但不足1周岁天数为空",
    "birth_weight": "28 天及以内新生儿的出生体重为空",
    "code_unmapped": "诊断或手术操作编码不在编码映射表中",
    "no_mdc": "没有任何 MDC 的入组条件成立",
    "no_adrg": "入组 MDC 中没有匹配的 ADRG",
    "qy": "手术与 MDC 不相关，进入歧义组（QY）",
}
