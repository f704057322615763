"""Exact rounding for money, scores and ratios (DESIGN.md §4.6 "Rounding").

Decimal with ROUND_HALF_UP, once at the end of each formula: money to 2 decimals; scores,
coefficients, point values and ratios to 4. A formula that uses another's result uses its
rounded value. Never float.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
FOUR = Decimal("0.0001")


def to_decimal(value: object) -> Decimal:
    """Convert without passing through binary floating point."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value))


def money(value: object) -> Decimal:
    """Round an amount of yuan to the cent, half up."""
    return to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def four(value: object) -> Decimal:
    """Round a score, coefficient, point value or ratio to 4 decimals, half up."""
    return to_decimal(value).quantize(FOUR, rounding=ROUND_HALF_UP)
