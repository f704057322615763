"""Named checks for table-valued parameters (``check = "..."`` in a defaults file).

A check takes the validated rows and returns a list of Chinese problems (empty when fine).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

Check = Callable[[list[dict[str, Any]]], list[str]]


def bands(rows: list[dict[str, Any]]) -> list[str]:
    """Piecewise bands ``lower``–``upper`` (shares, upper may be absent for the last band).

    Bands must start at 0, be contiguous (each lower = the previous upper) and not overlap;
    ``share`` must lie in [0, 1].
    """
    problems: list[str] = []
    expected = Decimal("0")
    for number, row in enumerate(rows, start=1):
        lower = Decimal(str(row.get("lower", "")))
        upper = row.get("upper")
        share = Decimal(str(row.get("share", "")))
        if lower != expected:
            kind = "重叠" if lower < expected else "留有空档"
            problems.append(f"第 {number} 档下限 {lower} 与上一档上限 {expected} {kind}")
        if not (Decimal(0) <= share <= Decimal(1)):
            problems.append(f"第 {number} 档比例 {share} 应在 0 到 1 之间")
        if upper is None:
            if number != len(rows):
                problems.append(f"第 {number} 档没有上限，只有最后一档可以不设上限")
            break
        upper = Decimal(str(upper))
        if upper <= lower:
            problems.append(f"第 {number} 档上限 {upper} 不大于下限 {lower}")
        expected = upper
    return problems


CHECKS: dict[str, Check] = {"bands": bands}
