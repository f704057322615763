"""What-if for negotiation (协商谈判): change policy parameters and see each hospital's
payment before and after, computed in temporary tables inside a transaction that is always
rolled back — the workspace is left exactly as it was.

Both sides are computed from scratch with the same data (twelve monthly prepayments and the
annual clearance), so the difference is due to the changed parameters alone.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import duckdb

from dipdrg.errors import UserError
from dipdrg.pay.basis import Basis, method_basis
from dipdrg.pay.clearance import compute_year
from dipdrg.pay.monthly import compute_months
from dipdrg.pay.runs import month_label
from dipdrg.pay.sqlstep import drop_temp
from dipdrg.policy import Policy
from dipdrg.policy.loader import with_overrides
from dipdrg.workspace import Workspace

HEADERS = ["医疗机构编码", "医疗机构名称", "月度预付合计(前)", "月度预付合计(后)", "年度清算总额(前)",
           "年度清算总额(后)", "年度清算总额差额", "清算应拨付(前)", "清算应拨付(后)", "清算应拨付差额"]


@dataclass(frozen=True)
class Outcome:
    """One hospital's yearly figures under one policy."""

    name: str
    monthly_paid: Decimal
    settled: Decimal
    final: Decimal


def parse_assignments(items: list[str]) -> dict[str, Any]:
    """``key=value`` pairs; values are read as TOML (numbers, strings, tables), else as text."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise UserError(f"--set 应写作 参数=取值，如 settle.reserve_ratio=0.03；实际为 {item!r}")
        try:
            value = tomllib.loads(f"v = {text.strip()}")["v"]
        except tomllib.TOMLDecodeError:
            value = text.strip()
        out[key.strip()] = value
    return out


def _outcomes(con: duckdb.DuckDBPyConnection, policy: Policy, basis: Basis, year: int) -> dict[str, Outcome]:
    compute_months(con, policy, basis, [month_label(year, m) for m in range(1, 13)])
    con.execute("CREATE OR REPLACE TEMP TABLE tmp_settle_monthly_all AS SELECT * FROM tmp_settle_monthly")
    compute_year(con, policy, basis, year, monthly_source="temp")
    rows = con.execute(
        "SELECT a.fixmedins_code, COALESCE(h.fixmedins_name, ''), a.monthly_paid, a.settled_amount,"
        " a.final_amount FROM tmp_settle_annual a"
        " LEFT JOIN hospitals h ON h.fixmedins_code = a.fixmedins_code"
    ).fetchall()
    return {r[0]: Outcome(r[1], r[2], r[3], r[4]) for r in rows}


def what_if(
    ws: Workspace, policy: Policy, overrides: dict[str, Any], year: int, score_run_id: str | None = None,
    method: str = "dip",
) -> list[tuple]:
    """Rows of HEADERS, one per hospital, ordered by code; nothing is written."""
    changed = with_overrides(policy, overrides)
    con = ws.con
    con.execute("BEGIN TRANSACTION")
    try:
        basis = method_basis(con, method, score_run_id)
        before = _outcomes(con, policy, basis, year)
        after = _outcomes(con, changed, basis, year)
    finally:
        con.execute("ROLLBACK")
        drop_temp(con)
    zero = Outcome("", Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))
    rows = []
    for code in sorted(set(before) | set(after)):
        b, a = before.get(code, zero), after.get(code, zero)
        rows.append((code, a.name or b.name, b.monthly_paid, a.monthly_paid, b.settled, a.settled,
                     a.settled - b.settled, b.final, a.final, a.final - b.final))
    return rows
