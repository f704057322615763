"""Run bookkeeping shared by every settlement run: input hashes and period parsing."""

from __future__ import annotations

from datetime import date

import duckdb

from dipdrg.errors import UserError
from dipdrg.pay.basis import Basis
from dipdrg.pay.sqlstep import step
from dipdrg.policy import Policy


def run_inputs(con: duckdb.DuckDBPyConnection, basis: Basis, policy: Policy) -> dict[str, str]:
    """What a settlement depends on: scoring run, pack, policy values, cases, special cases."""
    approved, special_hash = step(con, "special_hash", {"method": basis.method}).fetchone()
    return {
        "score_run": basis.run_id,
        "pack": basis.pack_sha256,
        "policy": policy.values_hash(),
        "cases": basis.cases_sha256,
        "special_cases": f"{approved}:{special_hash}",
    }


def parse_month(text: str) -> tuple[int, int]:
    """``YYYY-MM`` → (year, month), refused in Chinese otherwise."""
    parts = text.strip().split("-")
    if len(parts) == 2 and len(parts[0]) == 4 and parts[0].isdigit() and parts[1].isdigit():
        year, month = int(parts[0]), int(parts[1])
        if 1 <= month <= 12:
            return year, month
    raise UserError(f"月份 {text!r} 应写作 YYYY-MM，如 2026-03", field="month")


def month_label(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def month_start(year: int, month: int) -> date:
    return date(year, month, 1)


def next_month_start(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1)
