"""One case as the CHS-DRG grouper sees it, and the normalisation of ALGORITHM.md §2.

The same rules are written in SQL for batches (``sql/file_input.sql``); the two are tested
against each other on every reference case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_INT = re.compile(r"[+-]?[0-9]+")
_SPLIT = re.compile(r"[,|]")
INT_MAX = 2**31 - 1


@dataclass(frozen=True)
class DrgCase:
    """Grouping inputs: diagnoses[0] is the principal one, procedures[0] the principal one."""

    gender: int | None
    age: int | None
    age_days: int | None = None
    birth_weight: int | None = None
    diagnoses: list[str] = field(default_factory=lambda: [""])
    procedures: list[str] = field(default_factory=list)


def parse_int(text: str | int | None) -> int | None:
    """A whole number written with digits (spaces around allowed); anything else is None.

    Mirrors the SQL ``CASE WHEN TRIM(x) SIMILAR TO '[+-]?[0-9]+' THEN TRY_CAST(...)``.
    """
    if text is None:
        return None
    if isinstance(text, int):
        return text
    value = text.strip(" ")
    if not _INT.fullmatch(value):
        return None
    number = int(value)
    return number if -INT_MAX - 1 <= number <= INT_MAX else None


def case_from_layout(
    *,
    gender: str | int | None,
    age: str | int | None,
    age_days: str | int | None = None,
    birth_weight: str | int | None = None,
    principal_dx: str | None = "",
    secondary_dx: str | list[str] | None = "",
    principal_proc: str | None = "",
    other_procs: str | list[str] | None = "",
) -> DrgCase:
    """Build a case from the reference layout (principal + '|'-joined others).

    The principal and the others are joined and split again on ',' or '|', as the oracle
    reads one list: an empty principal diagnosis stays '' (it matches nothing); an empty
    principal procedure with other procedures present stays '' at position 0; no
    procedures at all give [].
    """
    dx = _join(principal_dx, secondary_dx)
    proc = _join(principal_proc, other_procs)
    return DrgCase(
        gender=parse_int(gender),
        age=parse_int(age),
        age_days=parse_int(age_days),
        birth_weight=parse_int(birth_weight),
        diagnoses=_SPLIT.split(dx),
        procedures=_SPLIT.split(proc) if proc else [],
    )


def _join(principal: str | None, others: str | list[str] | None) -> str:
    rest = "|".join(others) if isinstance(others, list) else (others or "")
    return (principal or "") + ("|" + rest if rest else "")
