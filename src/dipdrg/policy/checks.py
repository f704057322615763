"""Named checks for table-valued parameters (``check = "..."`` in a defaults file).

A check takes the validated rows and returns a list of Chinese problems (empty when fine).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, Callable

Check = Callable[[list[dict[str, Any]]], list[str]]


def _number(row: dict[str, Any], name: str, number: int, problems: list[str]) -> Decimal | None:
    """A row's numeric cell, or None with a problem naming the row and field."""
    raw = row.get(name)
    if raw is None or isinstance(raw, bool):
        problems.append(f"第 {number} 行缺少数值字段 {name}")
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        problems.append(f"第 {number} 行字段 {name} 应为数值，实际为 {raw!r}")
        return None
    return value


def bands(rows: list[dict[str, Any]]) -> list[str]:
    """Piecewise bands ``lower``–``upper`` (shares, upper may be absent for the last band).

    Bands must start at 0, be contiguous (each lower = the previous upper) and not overlap;
    ``share`` must lie in [0, 1].
    """
    problems: list[str] = []
    expected = Decimal("0")
    for number, row in enumerate(rows, start=1):
        lower = _number(row, "lower", number, problems)
        share = _number(row, "share", number, problems)
        upper = row.get("upper")
        if lower is None or share is None:
            return problems
        if lower != expected:
            kind = "重叠" if lower < expected else "留有空档"
            problems.append(f"第 {number} 档下限 {lower} 与上一档上限 {expected} {kind}")
        if not (Decimal(0) <= share <= Decimal(1)):
            problems.append(f"第 {number} 档比例 {share} 应在 0 到 1 之间")
        if upper is None:
            if number != len(rows):
                problems.append(f"第 {number} 档没有上限，只有最后一档可以不设上限")
            break
        upper = _number(row, "upper", number, problems)
        if upper is None:
            return problems
        if upper <= lower:
            problems.append(f"第 {number} 档上限 {upper} 不大于下限 {lower}")
        expected = upper
    return problems


def _codes(rows: list[dict[str, Any]], problems: list[str]) -> None:
    """Every row names a hospital (``fixmedins_code``)."""
    for number, row in enumerate(rows, start=1):
        if not str(row.get("fixmedins_code", "")).strip():
            problems.append(f"第 {number} 行缺少 fixmedins_code（医疗机构编号）")


def hospital_coefficients(rows: list[dict[str, Any]]) -> list[str]:
    """One coefficient in [0, 2] per hospital, no hospital twice."""
    problems: list[str] = []
    _codes(rows, problems)
    seen: set[str] = set()
    for number, row in enumerate(rows, start=1):
        value = _number(row, "coefficient", number, problems)
        if value is not None and not (Decimal(0) <= value <= Decimal(2)):
            problems.append(f"第 {number} 行系数 {value} 应在 0 到 2 之间")
        code = str(row.get("fixmedins_code", ""))
        if code in seen:
            problems.append(f"第 {number} 行医疗机构 {code} 重复")
        seen.add(code)
    return problems


def deductions(rows: list[dict[str, Any]]) -> list[str]:
    """Audit deductions: hospital, non-negative amount, month ``YYYY-MM``."""
    problems: list[str] = []
    _codes(rows, problems)
    for number, row in enumerate(rows, start=1):
        value = _number(row, "amount", number, problems)
        if value is not None and value < 0:
            problems.append(f"第 {number} 行扣款金额 {value} 不能为负")
        if value is not None and value != value.quantize(Decimal("0.01")):
            problems.append(f"第 {number} 行扣款金额 {value} 超过两位小数（金额精确到分，不做舍入）")
        month = str(row.get("month", ""))
        if len(month) != 7 or month[4] != "-" or not (month[:4] + month[5:]).isdigit() \
                or not 1 <= int(month[5:]) <= 12:
            problems.append(f"第 {number} 行扣款月份 {month!r} 应写作 YYYY-MM")
    return problems


def budget_items(rows: list[dict[str, Any]]) -> list[str]:
    """Budget items taken out of the fund budget: a name and a non-negative amount."""
    problems: list[str] = []
    for number, row in enumerate(rows, start=1):
        if not str(row.get("name", "")).strip():
            problems.append(f"第 {number} 行缺少项目名称 name")
        value = _number(row, "amount", number, problems)
        if value is not None and value < 0:
            problems.append(f"第 {number} 行金额 {value} 不能为负")
    return problems


CHECKS: dict[str, Check] = {
    "bands": bands,
    "hospital_coefficients": hospital_coefficients,
    "deductions": deductions,
    "budget_items": budget_items,
}
