"""Fund payment ratio and point values (DESIGN.md §4.5, §4.6 "Point values", "Rounding").

- fund ratio (基金支付比例) = Σ fund paid / Σ total cost over the period's grouped cases;
- 结算点值 = (DIP fund budget / fund ratio) / total score of the year's grouped cases;
- regimes: fixed (the fixed value, or the budget point value), floating (the settlement point
  value), flexible (base share × budget point value + rest × settlement point value, e.g. 8:2).

The budget point value (预算点值) is the one the scoring run used (its formula lives with the
scores in ``dipdrg.dip``); a policy value overrides it. Each formula rounds once to 4 decimals
and uses the rounded results of the formulas it builds on.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import duckdb

from dipdrg.errors import UserError
from dipdrg.money import four
from dipdrg.pay.basis import Basis
from dipdrg.pay.budget import Budget
from dipdrg.pay.labels import labels
from dipdrg.pay.sqlstep import step
from dipdrg.policy import Policy


@dataclass(frozen=True)
class PeriodTotals:
    """Grouped cases of one period: count, units (score), total cost and fund paid."""

    period: str
    grouped_cases: int
    total_units: Decimal
    total_cost: Decimal
    total_fund: Decimal


@dataclass(frozen=True)
class PointValues:
    """The point value a period is paid with, and everything it was derived from."""

    period: str
    regime: str
    totals: PeriodTotals
    fund_ratio: Decimal
    budget_pv: Decimal | None
    applied_pv: Decimal
    budget: Budget | None = None
    settlement_pv: Decimal | None = None


def fund_ratio(total_fund: Decimal, total_cost: Decimal) -> Decimal:
    """基金支付比例 = Σ fund paid / Σ total cost (grouped cases), 4 decimals."""
    if total_cost <= 0:
        raise UserError("入组病例医疗费总额为 0，无法计算基金支付比例")
    return four(Decimal(total_fund) / Decimal(total_cost))


def settlement_point_value(budget: Decimal, ratio: Decimal, total_units: Decimal) -> Decimal:
    """结算点值 = (DIP fund budget / fund ratio) / total score, 4 decimals."""
    if ratio <= 0 or total_units <= 0:
        raise UserError("基金支付比例或总分值（DRG 为总权重）为 0，无法计算结算点值（DRG 为费率）")
    return four(Decimal(budget) / Decimal(ratio) / Decimal(total_units))


def flexible_point_value(budget_pv: Decimal, settlement_pv: Decimal, base_share: Decimal) -> Decimal:
    """弹性点值: the base share at the budget point value, the increment at the settlement one."""
    return four(base_share * budget_pv + (1 - base_share) * settlement_pv)


def budget_point_value(policy: Policy, basis: Basis) -> Decimal:
    """预算点值: the policy's value when set, else the one the scoring run used."""
    value = policy.get("settle.point_value.budget_value")
    if value > 0:
        return four(value)
    if basis.budget_pv is None:
        words = labels(basis.method)
        raise UserError(
            f"{words.score_run} {basis.run_id} 没有{words.budget_price}；"
            "请在政策文件中设置 settle.point_value.budget_value",
            field="settle.point_value.budget_value",
        )
    return four(basis.budget_pv)


def period_totals(con: duckdb.DuckDBPyConnection) -> list[PeriodTotals]:
    """Totals per period of ``tmp_settle_basis`` (grouped cases only)."""
    rows = step(con, "period_totals").fetchall()
    return [PeriodTotals(r[0], int(r[1]), Decimal(r[2]), Decimal(r[3]), Decimal(r[4])) for r in rows]


def annual_point_values(
    policy: Policy, basis: Basis, totals: PeriodTotals, budget: Budget
) -> PointValues:
    """The year's point value under the policy's regime."""
    ratio = fund_ratio(totals.total_fund, totals.total_cost)
    settle_pv = settlement_point_value(budget.amount, ratio, totals.total_units)
    regime = policy.get("settle.point_value.regime")
    try:
        budget_pv: Decimal | None = budget_point_value(policy, basis)
    except UserError:
        if regime != "floating":
            raise
        budget_pv = None
    fixed = policy.get("settle.point_value.fixed_value")
    if regime == "floating":
        applied = settle_pv
    elif regime == "fixed":
        applied = four(fixed) if fixed > 0 else budget_pv
    else:
        applied = flexible_point_value(budget_pv, settle_pv, policy.get("settle.point_value.base_share"))
    return PointValues(totals.period, regime, totals, ratio, budget_pv, applied, budget, settle_pv)


def monthly_point_values(policy: Policy, basis: Basis, totals: list[PeriodTotals]) -> list[PointValues]:
    """Each month is prepaid at the budget point value with that month's fund ratio."""
    needs_pv = policy.get("settle.monthly.basis") == "score"
    budget_pv = budget_point_value(policy, basis) if needs_pv and totals else None
    return [
        PointValues(t.period, "monthly", t, fund_ratio(t.total_fund, t.total_cost), budget_pv,
                    budget_pv if budget_pv is not None else Decimal(0))
        for t in totals
    ]


def write_params(con: duckdb.DuckDBPyConnection, values: list[PointValues]) -> None:
    """``tmp_settle_params``: the point value and fund ratio each period is paid with."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE tmp_settle_params ("
        " period VARCHAR PRIMARY KEY, point_value DECIMAL(18,4), fund_ratio DECIMAL(18,4))"
    )
    if values:
        con.executemany(
            "INSERT INTO tmp_settle_params VALUES (?, ?, ?)",
            [(v.period, v.applied_pv, v.fund_ratio) for v in values],
        )


def record(con: duckdb.DuckDBPyConnection, run_id: str, basis: Basis, values: list[PointValues]) -> None:
    """Store the point values of a run (``settle_point_values``)."""
    con.executemany(
        "INSERT INTO settle_point_values VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (run_id, basis.method, v.period, basis.run_id, v.regime,
             v.budget.method if v.budget else None, v.budget.amount if v.budget else None,
             v.totals.grouped_cases, v.totals.total_units, v.totals.total_cost,
             v.totals.total_fund, v.fund_ratio, v.budget_pv, v.settlement_pv, v.applied_pv,
             basis.undated_cases)
            for v in values
        ],
    )
