"""The budget point value (预算点值), the ONE implementation (settlement imports it).

DIP 技术规范（2020）§6 / DESIGN §4.5, §4.6 "Point values":

    budget PV = Σ_y w_y · cost_y / Σ_y w_y · score_y

over the history years y, where cost_y is the total cost and score_y = Σ RW of that year's
grouped (DIP) cases; ungrouped cases are outside DIP. A year with no grouped case drops out of
both sums (the weights renormalise implicitly). Rounded half up to 4 decimals, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Iterable

from dipdrg.errors import UserError
from dipdrg.money import four, to_decimal


@dataclass(frozen=True)
class YearTotal:
    """One history year: its weight, total cost and total score of its grouped cases."""

    year: int
    weight: Decimal
    cost: Decimal
    score: Decimal


def budget_point_value(years: Iterable[YearTotal]) -> Decimal:
    """Σ w·cost / Σ w·score over the years with cases, 4 decimals ROUND_HALF_UP."""
    numerator = Decimal(0)
    denominator = Decimal(0)
    for item in years:
        score = to_decimal(item.score)
        if score == 0:
            continue
        weight = to_decimal(item.weight)
        numerator += weight * to_decimal(item.cost)
        denominator += weight * score
    if denominator <= 0:
        raise UserError("无法计算预算点值：历史年度入组病例的加权总分值为 0")
    with localcontext() as ctx:
        ctx.prec = 60
        return four(numerator / denominator)
