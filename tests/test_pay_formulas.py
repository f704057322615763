"""Budget, fund ratio and point-value formulas, hand-computed to the last digit."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dipdrg.errors import UserError
from dipdrg.pay.budget import budget_by_growth, budget_by_items, budget_by_ratio, fund_budget
from dipdrg.pay.point_value import flexible_point_value, fund_ratio, settlement_point_value
from dipdrg.policy import load_policy
from test_pay_data import insert_region


def test_fund_ratio_rounds_half_up_to_four_places() -> None:
    # 11660 / 16050 = 0.726479…  → 0.7265
    assert fund_ratio(D("11660.00"), D("16050.00")) == D("0.7265")
    # 1 / 8 = 0.125 exactly; 0.12345 would be a tie → up
    assert fund_ratio(D("2469.00"), D("20000.00")) == D("0.1235")


def test_settlement_point_value_uses_the_rounded_ratio() -> None:
    # budget 11330.00, ratio 0.7265 (rounded), total score 1080.6234:
    # 11330 / 0.7265 = 15595.32002…; / 1080.6234 = 14.431780… → 14.4318
    assert settlement_point_value(D("11330.00"), D("0.7265"), D("1080.6234")) == D("14.4318")
    # with the unrounded ratio 11660/16050 = 0.72647975… it would be 14.432183… → 14.4322
    assert settlement_point_value(D("11330.00"), fund_ratio(D("11660"), D("16050")), D("1080.6234")) \
        == D("14.4318")


def test_flexible_point_value_eight_to_two() -> None:
    # 0.8 × 10.0000 + 0.2 × 16.0000 = 11.2000 ; 0.8 × 9.8765 + 0.2 × 12.3457 = 10.37034 → 10.3703
    assert flexible_point_value(D("10.0000"), D("16.0000"), D("0.8")) == D("11.2000")
    assert flexible_point_value(D("9.8765"), D("12.3457"), D("0.8")) == D("10.3703")


def test_budget_methods() -> None:
    # 按支出项目: 1,000,000.00 − 120,000.50 − 30,000 = 849,999.50
    items = [{"name": "门诊统筹", "amount": "120000.50"}, {"name": "异地就医", "amount": "30000"}]
    assert budget_by_items(D("1000000"), items) == D("849999.50")
    # 按比例: 1,234,567.89 × 0.6 = 740,740.734 → 740,740.73
    assert budget_by_ratio(D("1234567.89"), D("0.6")) == D("740740.73")
    # 按增长率: 8,000.00 × 1.03 = 8,240.00 ; 333.33 × 1.045 = 348.33  (348.32985)
    assert budget_by_growth(D("8000.00"), D("0.03")) == D("8240.00")
    assert budget_by_growth(D("333.33"), D("0.045")) == D("348.33")


def test_growth_budget_takes_last_year_from_the_workspace(workspace, tmp_path: Path) -> None:
    insert_region(workspace.con)
    # default method growth 3 %, base = 2025 fund paid of case c0 = 8000.00 → 8240.00
    budget = fund_budget(workspace.con, load_policy(None), 2026)
    assert (budget.method, budget.amount) == ("growth", D("8240.00"))
    with pytest.raises(UserError, match="没有 2024 年的病例"):
        fund_budget(workspace.con, load_policy(None), 2025)


def test_item_and_ratio_budgets_need_the_fund_total(workspace) -> None:
    path = Path(workspace.path) / "p.toml"
    path.write_text('[settle.budget]\nmethod = "ratio"\n', encoding="utf-8")
    with pytest.raises(UserError, match="settle.budget.fund_total"):
        fund_budget(workspace.con, load_policy(path), 2026)


def test_drg_has_its_own_budget(workspace) -> None:
    """DIP reads settle.budget.*, DRG drg.budget.*; only the fund total is shared."""
    insert_region(workspace.con)
    path = Path(workspace.path) / "p.toml"
    path.write_text('[settle.budget]\nmethod = "ratio"\nfund_total = "100000"\ndip_share = "0.55"\n'
                    '[drg.budget]\nmethod = "item"\nitem_deductions = [ { name = "门诊统筹", amount = "30000" },'
                    ' { name = "DIP 住院", amount = "55000" } ]\n', encoding="utf-8")
    policy = load_policy(path)
    # DIP: 100,000 × 0.55 = 55,000.00; DRG: 100,000 − 30,000 − 55,000 = 15,000.00
    assert fund_budget(workspace.con, policy, 2026, "dip").amount == D("55000.00")
    drg = fund_budget(workspace.con, policy, 2026, "drg")
    assert (drg.method, drg.amount) == ("item", D("15000.00"))
    # DRG growth by default, from last year's fund paid (c0 8000.00) with its own rate: 8000 × 1.10
    path.write_text('[drg.budget]\ngrowth_rate = "0.10"\n', encoding="utf-8")
    assert fund_budget(workspace.con, load_policy(path), 2026, "drg").amount == D("8800.00")
    path.write_text('[drg.budget]\nmethod = "ratio"\nshare = "0"\n[settle.budget]\nfund_total = "1"\n', encoding="utf-8")
    with pytest.raises(UserError, match="DRG 基金预算为 0.00 元.*drg.budget"):
        fund_budget(workspace.con, load_policy(path), 2026, "drg")


@given(st.integers(1, 10**9), st.integers(1, 10**9))
def test_fund_ratio_is_exact_decimal(fund: int, cost: int) -> None:
    ratio = fund_ratio(D(fund) / 100, D(cost) / 100)
    # |ratio − fund/cost| ≤ 0.00005 (half a unit of the 4th decimal), computed in integers
    assert abs(ratio * 10000 * cost - fund * 10000) * 2 <= cost
