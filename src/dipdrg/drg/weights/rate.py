"""The DRG rate (费率): yuan per unit of weight (CHS-DRG 分组与付费技术规范; DESIGN §5).

    rate = (DRG fund budget / fund payment ratio) / total weight of the year

The budget is the DRG fund budget of the settlement engine (``drg.budget.*``, separate from the
DIP budget ``settle.budget.*``; ``dipdrg.pay.budget.fund_budget(..., "drg")``);
the fund ratio (Σ fund paid / Σ total cost of the year's grouped cases) and the division are the
engine's own formulas (``dipdrg.pay.point_value.fund_ratio`` / ``settlement_point_value``), so the
DRG rate and the DIP settlement point value are one formula. Dividing the fund budget by the fund
ratio puts the rate in total-cost terms: the payment standard RW × coefficient × rate is then
comparable with a case's total cost (the outlier multiples compare the two), and the engine
applies the fund ratio afterwards exactly as for DIP. The total weight is Σ round(RW ×
coefficient, 4) before outliers (the outlier rule depends on the rate, so it cannot feed it).
A fixed rate (``drg.rate`` > 0, or an explicit value) replaces the computation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import duckdb

from dipdrg.errors import UserError
from dipdrg.money import four
from dipdrg.pay.budget import Budget, fund_budget
from dipdrg.pay.point_value import fund_ratio, settlement_point_value
from dipdrg.policy.loader import Policy
from dipdrg.sqlfiles import run_sql

PKG = "dipdrg.drg.weights"


@dataclass(frozen=True)
class Rate:
    """The rate a scoring run used and what it came from."""

    value: Decimal
    source: str                      # explicit / policy / budget
    year: int | None = None
    budget: Budget | None = None
    cases: int = 0
    total_weight: Decimal | None = None
    fund_ratio: Decimal | None = None


def year_totals(con: duckdb.DuckDBPyConnection, year: int) -> tuple[int, Decimal, Decimal, Decimal]:
    """Cases, total weight, total cost and fund paid of the year's grouped cases (``drgs_cases``)."""
    run_sql(con, PKG, "06_rate_totals.sql", date_from=date(year, 1, 1), date_to=date(year + 1, 1, 1))
    cases, weight, cost, fund = con.fetchone()
    return int(cases), Decimal(weight), Decimal(cost), Decimal(fund)


def choose_rate(con: duckdb.DuckDBPyConnection, policy: Policy, year: int, explicit: Decimal | None) -> Rate:
    """The explicit rate, else the policy's fixed ``drg.rate``, else the year's budget rate."""
    if explicit is not None:
        if explicit <= 0:
            raise UserError(f"费率 {explicit} 应大于 0", field="--rate")
        return Rate(four(explicit), "explicit")
    fixed = policy.get("drg.rate")
    if fixed > 0:
        return Rate(four(fixed), "policy")
    cases, weight, cost, fund = year_totals(con, year)
    if not cases:
        raise UserError(f"{year} 年没有已入组且有权重的病例，无法按预算测算费率；"
                        "请用 --year 指定年度，或用 --rate / 政策参数 drg.rate 给出固定费率", field="--year")
    budget = fund_budget(con, policy, year, "drg")
    ratio = fund_ratio(fund, cost)
    return Rate(settlement_point_value(budget.amount, ratio, weight), "budget", year, budget, cases, weight, ratio)
