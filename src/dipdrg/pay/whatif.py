"""What-if for negotiation (协商谈判): change policy parameters and see each hospital's
payment before and after, computed inside a transaction that is always rolled back — the
workspace is left exactly as it was.

Both sides are computed from scratch with the same data (twelve monthly prepayments and the
annual clearance), so the difference is due to the changed parameters alone. Settlement
parameters (``settle.*``, and ``drg.budget.*`` for DRG) act on the settlement directly.
Case-scoring parameters (DIP ``dip.outlier.*``; DRG ``drg.outlier.*``, ``drg.coefficient.*``,
``drg.rate``, ``drg.weights.missing``) change the case units, so then both sides are re-scored
by the scoring layer's own function (``dipdrg.dip.score.score.score_cases`` with the catalog
pack, ``dipdrg.drg.weights.score.score_cases`` with the weights the scoring run used), inside
the same rolled-back transaction. Any other parameter (catalog build, weights measurement,
quality, region) cannot act on a settlement and is refused, naming the prefixes that can.
"""

from __future__ import annotations

import tomllib
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

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

# Prefixes the what-if applies, per method: (settlement prefixes, re-scoring prefixes).
SETTLEMENT_PREFIXES = {"dip": ("settle.",), "drg": ("settle.", "drg.budget.")}
SCORING_PREFIXES = {"dip": ("dip.outlier.",),
                    "drg": ("drg.outlier.", "drg.coefficient.", "drg.rate", "drg.weights.missing")}


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


def _matches(key: str, prefixes: tuple[str, ...]) -> bool:
    return any(key == p or key.startswith(p if p.endswith(".") else p + ".") for p in prefixes)


def needs_rescoring(overrides: dict[str, Any], method: str) -> bool:
    """True when a key changes case units; any key the what-if cannot apply is refused."""
    settle, scoring = SETTLEMENT_PREFIXES[method], SCORING_PREFIXES[method]
    refused = [k for k in overrides if not _matches(k, settle) and not _matches(k, scoring)]
    if refused:
        supported = "、".join(p + ("*" if p.endswith(".") else "") for p in settle + scoring)
        raise UserError(
            f"参数测算（{method.upper()}）不能应用参数 {'、'.join(refused)}：它不影响本次结算的病例分值或结算金额"
            f"（如病种库/权重测算、质量、地区参数，须重新测算后再结算）。可调整的参数：{supported}",
            field="--set",
        )
    return any(_matches(k, scoring) for k in overrides)


class _Inside(Workspace):
    """The workspace seen from inside the what-if's transaction: runs and transactions nest in
    it (their writes are rolled back with everything else)."""

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        yield self.con


def _rescore(ws: Workspace, policy: Policy, basis: Basis, year: int, pack: Path | None) -> Basis:
    """Score the cases of ``basis``'s scoring run again under ``policy``; the new run's basis."""
    con = ws.con
    inside = _Inside(ws.path, con)
    if basis.method == "dip":
        from dipdrg.dip.score.score import score_cases as score_dip

        if pack is None:
            raise UserError("调整 dip.outlier.* 须重新计算病例分值：请用 --pack 给出该分值测算所用的本地病种库目录",
                            field="--pack")
        group_run = con.execute("SELECT MIN(group_run_id) FROM dip_case_scores WHERE run_id = ?",
                                [basis.run_id]).fetchone()[0]
        run_id = score_dip(inside, pack, policy, group_run=group_run, point_value=basis.budget_pv).run_id
    else:
        from dipdrg.drg.weights.score import rescore_run

        run_id = rescore_run(inside, policy, basis.run_id, year)
    new = method_basis(con, basis.method, run_id)
    if new.pack_sha256 != basis.pack_sha256:
        raise UserError(f"--pack 给出的病种库与分值测算运行 {basis.run_id} 所用的不一致，无法比较", field="--pack")
    return new


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
    method: str = "dip", pack: Path | None = None,
) -> list[tuple]:
    """Rows of HEADERS, one per hospital, ordered by code; nothing is written.

    ``pack`` is the DIP catalog pack of the scoring run, needed only to re-score DIP cases.
    """
    if method not in SETTLEMENT_PREFIXES:
        raise UserError(f"未知的付费方式 {method!r}（可用 dip 或 drg）", field="--method")
    rescore = needs_rescoring(overrides, method)
    changed = with_overrides(policy, overrides)
    con = ws.con
    con.execute("BEGIN TRANSACTION")
    try:
        basis = method_basis(con, method, score_run_id)
        before_basis, after_basis = basis, basis
        if rescore:
            before_basis = _rescore(ws, policy, basis, year, pack)
            after_basis = _rescore(ws, changed, basis, year, pack)
        before = _outcomes(con, policy, before_basis, year)
        after = _outcomes(con, changed, after_basis, year)
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
