"""The case payment basis: what a settlement pays for, whatever the payment method.

The engine settles *units* per case (a DIP case score, or a DRG weight × coefficient) at a
point value (DIP) or rate (DRG). A method adapter is one SQL step that fills
``tmp_settle_basis`` (method, setl_id, fixmedins_code, group_code, in_scope, units,
neutral_units, outlier, medfee_sumamt, hifp_pay, period) from its scoring table; everything
downstream is method-blind. Adapters: ``basis_dip.sql`` (DIP case scores at the point value)
and ``basis_drg.sql`` (DRG case units at the rate 费率); the same cases can be settled by both,
as two runs that each record their method.
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


METHODS = ("dip", "drg")


@dataclass(frozen=True)
class _Source:
    """Where a method's case units live and how its messages name them."""

    table: str
    group_expr: str           # the case's group if paid by the method (NULL = outside it), over alias s
    rate_column: str          # the budget point value (DIP) or rate (DRG) each case was priced at
    extra_hash: str           # a further input hash column folded into the pack hash ('' for none)
    none_yet: str
    not_found: str
    run_label: str
    rate_label: str


_SOURCES = {
    "dip": _Source("dip_case_scores", "s.group_code", "point_value", "",
                   "工作区中还没有 DIP 分值测算结果；请先运行 DIP 分值测算",
                   "找不到 DIP 分值测算运行", "分值测算运行", "预算点值"),
    "drg": _Source("drg_case_scores", "CASE WHEN s.case_units IS NOT NULL THEN s.drg END", "rate", "weights_sha256",
                   "工作区中还没有 DRG 病例权重结果；请先运行 dipdrg drg score",
                   "找不到 DRG 病例权重运行", "DRG 病例权重运行", "费率"),
}


def _method_basis(con: duckdb.DuckDBPyConnection, method: str, score_run_id: str | None) -> Basis:
    """The scoring run of ``method`` to settle (the latest unless named), checked for completeness."""
    src = _SOURCES[method]
    if not _table_exists(con, src.table):
        raise UserError(f"工作区中没有 {method.upper()} 结果表（{src.table}）；请先完成分组与测算")
    if score_run_id is None:
        row = con.execute(
            f"SELECT s.run_id FROM (SELECT DISTINCT run_id FROM {src.table}) s"
            " LEFT JOIN runs r ON r.run_id = s.run_id"
            " ORDER BY r.started_at DESC NULLS LAST, s.run_id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            raise UserError(src.none_yet)
        score_run_id = row[0]
    params = {"basis_run_id": score_run_id}
    extra = f"string_agg(DISTINCT COALESCE({src.extra_hash}, ''), ',')" if src.extra_hash else "''"
    row = con.execute(
        "SELECT COUNT(*), string_agg(DISTINCT COALESCE(pack_sha256, ''), ','),"
        f" COUNT(DISTINCT {src.rate_column}), MAX({src.rate_column}), {extra}"
        f" FROM {src.table} WHERE run_id = ?",
        [score_run_id],
    ).fetchone()
    if not row[0]:
        raise UserError(f"{src.not_found} {score_run_id}", field="score_run")
    pack = ",".join(sorted(row[1].split(","))) if row[1] else ""
    if row[4]:
        pack = f"{pack};weights:{row[4]}"
    if row[2] > 1:
        raise UserError(f"{src.run_label} {score_run_id} 使用了多个{src.rate_label}，无法确定月度{src.rate_label}")
    missing, undated, no_money = step(con, f"basis_{method}_check", params).fetchone()[1:]
    if missing:
        raise UserError(
            f"{src.run_label} {score_run_id} 中有 {missing} 例在结算清单表（cases）中找不到；"
            "请重新导入结算清单或重新测算后再结算"
        )
    warnings = []
    if undated:
        warnings.append(f"{undated} 例既无结算日期也无出院日期，未计入任何结算期")
    if no_money:
        warnings.append(f"{no_money} 例入组病例缺少医疗费总额或统筹基金支付，按 0 计")
    cases_hash = step(con, f"basis_{method}_hash", params).fetchone()[0] or ""
    return Basis(method, score_run_id, pack, row[3], cases_hash, int(undated), tuple(warnings))


def basis_case(con: duckdb.DuckDBPyConnection, basis: Basis, setl_id: str) -> tuple | None:
    """One case of a scoring run (single-case path of the review workflow):
    (hospital, group or None, settlement date, discharge date), or None when not in the run."""
    src = _SOURCES[basis.method]
    return con.execute(
        f"SELECT s.fixmedins_code, {src.group_expr}, c.setl_end_date, CAST(c.dscg_time AS DATE)"
        f" FROM {src.table} s JOIN cases c ON c.setl_id = s.setl_id"
        " WHERE s.run_id = ? AND s.setl_id = ?", [basis.run_id, setl_id]
    ).fetchone()


def method_basis(con: duckdb.DuckDBPyConnection, method: str, score_run_id: str | None = None) -> Basis:
    """The basis of payment method ``method`` (``dip`` or ``drg``)."""
    if method not in METHODS:
        raise UserError(f"未知的付费方式 {method!r}（可用 dip 或 drg）", field="--method")
    return _method_basis(con, method, score_run_id)


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
