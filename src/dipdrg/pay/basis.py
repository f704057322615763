"""The case payment basis: what a settlement pays for, whatever the payment method.

The engine settles *units* per case (a DIP case score, or a DRG weight × coefficient) at a
point value (DIP) or rate (DRG). A method adapter is one SQL step that fills
``tmp_settle_basis`` (method, setl_id, fixmedins_code, group_code, in_scope, units,
neutral_units, outlier, medfee_sumamt, hifp_pay, period) from its scoring table; everything
downstream is method-blind. Only DIP has an adapter today (``basis_dip.sql``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import duckdb

from dipdrg.errors import UserError
from dipdrg.pay.sqlstep import step


@dataclass(frozen=True)
class Basis:
    """A scoring run to settle: its method, run id, pack hash and the budget point value it used."""

    method: str
    run_id: str
    pack_sha256: str
    budget_pv: Decimal | None
    cases_sha256: str
    undated_cases: int
    warnings: tuple[str, ...] = field(default=())

    @property
    def adapter(self) -> str:
        return f"basis_{self.method}"


def _table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    row = con.execute(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = ?", [name]
    ).fetchone()
    return bool(row[0])


def dip_basis(con: duckdb.DuckDBPyConnection, score_run_id: str | None = None) -> Basis:
    """The DIP scoring run to settle (the latest one unless named), checked for completeness."""
    if not _table_exists(con, "dip_case_scores"):
        raise UserError("工作区中没有 DIP 分值结果（dip_case_scores）；请先完成 DIP 分组与分值测算")
    if score_run_id is None:
        row = con.execute(
            "SELECT s.run_id FROM (SELECT DISTINCT run_id FROM dip_case_scores) s"
            " LEFT JOIN runs r ON r.run_id = s.run_id"
            " ORDER BY r.started_at DESC NULLS LAST, s.run_id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            raise UserError("工作区中还没有 DIP 分值测算结果；请先运行 DIP 分值测算")
        score_run_id = row[0]
    params = {"basis_run_id": score_run_id}
    row = con.execute(
        "SELECT COUNT(*), string_agg(DISTINCT COALESCE(pack_sha256, ''), ','),"
        " COUNT(DISTINCT point_value), MAX(point_value)"
        " FROM dip_case_scores WHERE run_id = ?",
        [score_run_id],
    ).fetchone()
    if not row[0]:
        raise UserError(f"找不到 DIP 分值测算运行 {score_run_id}", field="score_run")
    pack = ",".join(sorted(row[1].split(","))) if row[1] else ""
    if row[2] > 1:
        raise UserError(f"分值测算运行 {score_run_id} 使用了多个预算点值，无法确定月度点值")
    missing, undated, no_money = step(con, "basis_dip_check", params).fetchone()[1:]
    if missing:
        raise UserError(
            f"分值测算运行 {score_run_id} 中有 {missing} 例在结算清单表（cases）中找不到；"
            "请重新导入结算清单或重新测算后再结算"
        )
    warnings = []
    if undated:
        warnings.append(f"{undated} 例既无结算日期也无出院日期，未计入任何结算期")
    if no_money:
        warnings.append(f"{no_money} 例入组病例缺少医疗费总额或统筹基金支付，按 0 计")
    cases_hash = step(con, "basis_dip_hash", params).fetchone()[0] or ""
    return Basis("dip", score_run_id, pack, row[3], cases_hash, int(undated), tuple(warnings))


def load_basis(
    con: duckdb.DuckDBPyConnection,
    basis: Basis,
    start: date,
    end: date,
    month_basis: str,
    granularity: str,
) -> None:
    """Fill ``tmp_settle_basis`` with the cases settled in [start, end), by year or by month."""
    step(
        con,
        basis.adapter,
        {
            "basis_run_id": basis.run_id,
            "date_from": start,
            "date_to": end,
            "month_basis": month_basis,
            "granularity": granularity,
        },
    )
