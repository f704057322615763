"""Money invariants of the generator, for any totals and shares (property tests)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dipdrg.synth.fees import cents_to_decimal, fee_breakdown, fund_split
from dipdrg.synth.tables import load_parameters

PARAMS = load_parameters()
totals = st.lists(st.integers(min_value=1, max_value=10**10), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(totals, st.floats(0, 0.9), st.floats(0, 0.9), st.booleans(), st.integers(0, 2**32 - 1))
def test_fee_items_always_sum_exactly_and_are_never_negative(cents, drug, material, tcm, seed):
    total = np.array(cents, dtype=np.int64)
    n = len(total)
    fees = fee_breakdown(PARAMS, total, np.full(n, drug), np.full(n, material), np.full(n, True),
                         np.full(n, tcm), np.random.default_rng(seed))
    assert fees.shape == (n, 14)
    assert (fees.sum(1) == total).all()
    assert (fees >= 0).all()


@settings(max_examples=60, deadline=None)
@given(totals, st.integers(1, 3), st.booleans(), st.integers(0, 2**32 - 1))
def test_fund_split_adds_up_and_residents_have_no_account(cents, level, employee, seed):
    total = np.array(cents, dtype=np.int64)
    n = len(total)
    parts = fund_split(PARAMS, total, np.full(n, level), np.full(n, employee), np.random.default_rng(seed))
    assert (parts["hifp_pay"] + parts["psn_selfpay"] + parts["psn_ownpay"] == total).all()
    assert (parts["acct_pay"] + parts["psn_cashpay"] == parts["psn_selfpay"] + parts["psn_ownpay"]).all()
    assert all((v >= 0).all() for v in parts.values())
    if not employee:
        assert (parts["acct_pay"] == 0).all()


@given(st.lists(st.integers(min_value=-(10**15), max_value=10**15), max_size=30))
def test_cents_become_exact_decimals(cents):
    from decimal import Decimal

    assert cents_to_decimal(np.array(cents, dtype=np.int64)).to_pylist() == [Decimal(c) / 100 for c in cents]
