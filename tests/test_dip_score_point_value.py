"""The budget point value formula (DESIGN §4.6 "Point values")."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from dipdrg.dip.score.point_value import YearTotal, budget_point_value
from dipdrg.errors import UserError


def test_weighted_cost_over_weighted_score() -> None:
    years = [YearTotal(2023, D(1), D("1000000"), D("80000")), YearTotal(2024, D(2), D("1200000"), D("90000")),
             YearTotal(2025, D(7), D("1500000"), D("100000"))]
    # (1·1e6 + 2·1.2e6 + 7·1.5e6) / (1·8e4 + 2·9e4 + 7·1e5) = 13,900,000 / 960,000 = 14.479166…
    assert budget_point_value(years) == D("14.4792")


def test_a_year_without_cases_drops_out() -> None:
    years = [YearTotal(2023, D(1), D("1000"), D("100")), YearTotal(2024, D(2), D("0"), D("0")),
             YearTotal(2025, D(7), D("3000"), D("200"))]
    # (1·1000 + 7·3000) / (1·100 + 7·200) = 22000 / 1500 = 14.666…
    assert budget_point_value(years) == D("14.6667")


def test_half_up_rounding_of_the_quotient() -> None:
    # 1 · 1.00005 / 1 → 1.0001 (half up), never float
    assert budget_point_value([YearTotal(2025, D(1), D("1.00005"), D("1"))]) == D("1.0001")
    with pytest.raises(UserError, match="预算点值"):
        budget_point_value([YearTotal(2025, D(1), D("5"), D("0"))])
