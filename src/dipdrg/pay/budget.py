"""The DIP fund budget for a year (区域总额预算, DIP 技术规范 §6.1), by one of three methods.

- item   (按支出项目): fund expenditure budget − the items not paid by DIP;
- ratio  (按比例):     fund expenditure budget × DIP share;
- growth (按增长率):   last year's inpatient fund expenditure × (1 + growth rate).

Each result is money rounded once (DESIGN.md §4.6 "Rounding").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import duckdb

from dipdrg.errors import UserError
from dipdrg.money import money, to_decimal
from dipdrg.pay.sqlstep import step
from dipdrg.policy import Policy


@dataclass(frozen=True)
class Budget:
    """A year's DIP fund budget, the method that gave it and the inputs it used."""

    method: str
    amount: Decimal
    inputs: dict[str, str]


def budget_by_items(fund_total: Decimal, items: list[dict]) -> Decimal:
    """按支出项目: total fund budget minus every item outside DIP."""
    return money(fund_total - sum((to_decimal(row["amount"]) for row in items), Decimal(0)))


def budget_by_ratio(fund_total: Decimal, dip_share: Decimal) -> Decimal:
    """按比例: total fund budget × the DIP share."""
    return money(fund_total * dip_share)


def budget_by_growth(base: Decimal, growth_rate: Decimal) -> Decimal:
    """按增长率: last year's expenditure × (1 + growth rate)."""
    return money(base * (1 + growth_rate))


def fund_budget(con: duckdb.DuckDBPyConnection, policy: Policy, year: int) -> Budget:
    """The year's DIP fund budget under the policy's method; missing inputs are refused."""
    method = policy.get("settle.budget.method")
    fund_total = policy.get("settle.budget.fund_total")
    if method in ("item", "ratio") and fund_total <= 0:
        raise UserError(
            f"基金预算方法为 {method}，须在政策文件中设置 settle.budget.fund_total（统筹基金支出预算总额）",
            field="settle.budget.fund_total",
        )
    if method == "item":
        items = policy.get("settle.budget.item_deductions")
        amount = budget_by_items(fund_total, items)
        inputs = {"fund_total": str(fund_total), "items": str(len(items))}
    elif method == "ratio":
        share = policy.get("settle.budget.dip_share")
        amount = budget_by_ratio(fund_total, share)
        inputs = {"fund_total": str(fund_total), "dip_share": str(share)}
    else:
        base = policy.get("settle.budget.base_amount")
        source = "policy"
        if base == 0:
            count, base = step(con, "budget_prior_fund", {
                "date_from": date(year - 1, 1, 1),
                "date_to": date(year, 1, 1),
                "month_basis": policy.get("settle.month_basis"),
            }).fetchone()
            source = f"{year - 1} 年 {count} 例住院病例"
            if not count:
                raise UserError(
                    f"按增长率确定预算需要上年度支出：工作区中没有 {year - 1} 年的病例，"
                    "请在政策文件中设置 settle.budget.base_amount",
                    field="settle.budget.base_amount",
                )
        growth = policy.get("settle.budget.growth_rate")
        amount = budget_by_growth(to_decimal(base), growth)
        inputs = {"base_amount": str(money(base)), "base_source": source, "growth_rate": str(growth)}
    if amount <= 0:
        raise UserError(f"DIP 基金预算为 {amount} 元，不大于 0；请检查 settle.budget 参数")
    return Budget(method, amount, inputs)
