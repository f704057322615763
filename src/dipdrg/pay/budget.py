"""The DIP or DRG fund budget for a year (区域总额预算, DIP 技术规范 §6.1; CHS-DRG 付费技术
规范: DRG 年度预算), by one of three methods:

- item   (按支出项目): fund expenditure budget − the items not paid by the method;
- ratio  (按比例):     fund expenditure budget × the method's share;
- growth (按增长率):   last year's inpatient fund expenditure × (1 + growth rate).

DIP reads ``settle.budget.*``; DRG its own ``drg.budget.*`` (a region settling by both needs
two budgets), sharing only the fund's total expenditure budget ``settle.budget.fund_total``.
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


# The policy keys of each method's budget: method, share, items outside, base, growth.
BUDGET_KEYS = {
    "dip": {"method": "settle.budget.method", "share": "settle.budget.dip_share",
            "items": "settle.budget.item_deductions", "base": "settle.budget.base_amount",
            "growth": "settle.budget.growth_rate"},
    "drg": {"method": "drg.budget.method", "share": "drg.budget.share",
            "items": "drg.budget.item_deductions", "base": "drg.budget.base_amount",
            "growth": "drg.budget.growth_rate"},
}
FUND_TOTAL = "settle.budget.fund_total"


def budget_parameters(policy: Policy, method: str) -> dict:
    """The policy values a settlement by ``method`` records: ``settle.*`` (and ``drg.budget.*``)."""
    used = policy.used("settle")
    if method == "drg":
        used.update(policy.used("drg.budget"))
    return used


@dataclass(frozen=True)
class Budget:
    """A year's DIP or DRG fund budget, the method that gave it and the inputs it used."""

    method: str
    amount: Decimal
    inputs: dict[str, str]


def budget_by_items(fund_total: Decimal, items: list[dict]) -> Decimal:
    """按支出项目: total fund budget minus every item outside the payment method."""
    return money(fund_total - sum((to_decimal(row["amount"]) for row in items), Decimal(0)))


def budget_by_ratio(fund_total: Decimal, share: Decimal) -> Decimal:
    """按比例: total fund budget × the method's share."""
    return money(fund_total * share)


def budget_by_growth(base: Decimal, growth_rate: Decimal) -> Decimal:
    """按增长率: last year's expenditure × (1 + growth rate)."""
    return money(base * (1 + growth_rate))


def fund_budget(con: duckdb.DuckDBPyConnection, policy: Policy, year: int, payment: str = "dip") -> Budget:
    """The year's fund budget of payment method ``payment`` (dip/drg); missing inputs are refused."""
    keys = BUDGET_KEYS[payment]
    name = payment.upper()
    method = policy.get(keys["method"])
    fund_total = policy.get(FUND_TOTAL)
    if method in ("item", "ratio") and fund_total <= 0:
        raise UserError(
            f"{name} 基金预算方法（{keys['method']}）为 {method}，须在政策文件中设置 {FUND_TOTAL}"
            "（统筹基金支出预算总额）",
            field=FUND_TOTAL,
        )
    if method == "item":
        items = policy.get(keys["items"])
        amount = budget_by_items(fund_total, items)
        inputs = {"fund_total": str(fund_total), "items": str(len(items))}
    elif method == "ratio":
        share = policy.get(keys["share"])
        amount = budget_by_ratio(fund_total, share)
        inputs = {"fund_total": str(fund_total), "share": str(share)}
    else:
        base = policy.get(keys["base"])
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
                    f"按增长率确定 {name} 基金预算需要上年度支出：工作区中没有 {year - 1} 年的病例，"
                    f"请在政策文件中设置 {keys['base']}",
                    field=keys["base"],
                )
        growth = policy.get(keys["growth"])
        amount = budget_by_growth(to_decimal(base), growth)
        inputs = {"base_amount": str(money(base)), "base_source": source, "growth_rate": str(growth)}
    if amount <= 0:
        prefix = keys["method"].rsplit(".", 1)[0]
        raise UserError(f"{name} 基金预算为 {amount} 元，不大于 0；请检查 {prefix} 参数", field=prefix)
    return Budget(method, amount, inputs)
