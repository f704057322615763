"""Special-case review (特例单议, DESIGN.md §4.4): 申请 → 审核 → 批准 / 驳回.

A request names one grouped case of a DIP or DRG scoring run; every transition is a row of
``special_case_trail`` (who, when, why). Approvals are capped at a share of the region's
cases of the method and year (5 ‰ of DIP cases, 5 % of DRG cases: settle.special_case.cap_ratio_*). An approved case is paid by item (its billed fund
amount) or at an adjusted standard; the settlement reads the approvals when it runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from dipdrg.errors import UserError
from dipdrg.money import money
from dipdrg.pay.basis import basis_case, load_basis, method_basis
from dipdrg.pay.labels import labels
from dipdrg.pay.sqlstep import drop_temp, step
from dipdrg.policy import Policy
from dipdrg.workspace import Workspace

STATES = {"applied": "申请", "audited": "审核", "approved": "批准", "rejected": "驳回"}
# Allowed transitions: from state -> the states it may move to.
TRANSITIONS = {None: {"applied"}, "applied": {"audited"}, "audited": {"approved", "rejected"}}
TRAIL_HEADERS = ["申请编号", "结算ID", "医疗机构", "序号", "原状态", "新状态", "操作人", "操作时间", "意见/理由"]


@dataclass(frozen=True)
class Request:
    request_id: str
    method: str
    setl_id: str
    fixmedins_code: str
    year: int
    state: str
    reason_type: str
    reason: str
    pay_mode: str | None
    adjusted_amount: Decimal | None


def _request(con: duckdb.DuckDBPyConnection, request_id: str) -> Request:
    row = con.execute(
        "SELECT request_id, method, setl_id, fixmedins_code, year, state, reason_type, reason, pay_mode,"
        " adjusted_amount FROM special_case_requests WHERE request_id = ?", [request_id]
    ).fetchone()
    if row is None:
        raise UserError(f"找不到特例单议申请 {request_id}", field="request_id")
    return Request(*row)


def _check_transition(current: str | None, target: str, request_id: str = "") -> None:
    if target not in TRANSITIONS.get(current, set()):
        now = STATES.get(current, "无") if current else "无"
        allowed = "、".join(STATES[s] for s in sorted(TRANSITIONS.get(current, set()))) or "无（已办结）"
        raise UserError(
            f"特例单议申请 {request_id} 当前状态为「{now}」，不能转为「{STATES[target]}」；可转为：{allowed}",
            field="state",
        )


def _trail(con, request_id: str, from_state: str | None, to_state: str, actor: str, at: datetime, note: str) -> None:
    seq = con.execute(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM special_case_trail WHERE request_id = ?", [request_id]
    ).fetchone()[0]
    con.execute("INSERT INTO special_case_trail VALUES (?, ?, ?, ?, ?, ?, ?)",
                [request_id, seq, from_state, to_state, actor, at, note])


def _actor(actor: str) -> str:
    if not actor or not actor.strip():
        raise UserError("必须注明操作人", field="actor")
    return actor.strip()


def apply(
    ws: Workspace, policy: Policy, setl_id: str, reason_type: str, reason: str, actor: str,
    at: datetime | None = None, score_run_id: str | None = None, method: str = "dip",
) -> str:
    """申请: open a request for a grouped case; one open or approved request per case."""
    actor, at = _actor(actor), at or datetime.now()
    reasons = policy.get("settle.special_case.reasons")
    if reason_type not in reasons:
        raise UserError(f"理由类别「{reason_type}」不在可选范围内：{'、'.join(reasons)}", field="reason_type")
    if not reason.strip():
        raise UserError("必须填写申请理由", field="reason")
    con = ws.con
    words = labels(method)
    basis = method_basis(con, method, score_run_id)
    row = basis_case(con, basis, setl_id)
    if row is None:
        raise UserError(f"病例 {setl_id} 不在 {words.score_run} {basis.run_id} 中", field="setl_id")
    if row[1] is None:
        raise UserError(f"病例 {setl_id} 未入组（不属于 {words.name} 结算范围），不能申请特例单议", field="setl_id")
    settled, discharged = row[2], row[3]
    dated = (discharged or settled) if policy.get("settle.month_basis") == "discharge" else (settled or discharged)
    if dated is None:
        raise UserError(f"病例 {setl_id} 没有结算日期或出院日期，无法确定结算年度", field="setl_id")
    with ws.transaction():
        open_request = con.execute(
            "SELECT request_id, state FROM special_case_requests"
            " WHERE setl_id = ? AND method = ? AND state <> 'rejected'", [setl_id, method]
        ).fetchone()
        if open_request:
            raise UserError(
                f"病例 {setl_id} 已有特例单议申请 {open_request[0]}（状态「{STATES[open_request[1]]}」）",
                field="setl_id",
            )
        _check_transition(None, "applied")
        number = con.execute(
            "SELECT COUNT(*) + 1 FROM special_case_requests WHERE year = ? AND method = ?",
            [dated.year, method],
        ).fetchone()[0]
        request_id = f"TL-{method.upper()}-{dated.year}-{number:05d}"
        con.execute(
            "INSERT INTO special_case_requests VALUES (?, ?, ?, ?, ?, 'applied', ?, ?, NULL, NULL, ?, ?, ?)",
            [request_id, method, setl_id, row[0], dated.year, reason_type, reason.strip(), actor, at, at],
        )
        _trail(con, request_id, None, "applied", actor, at, f"{reason_type}：{reason.strip()}")
    return request_id


def audit(ws: Workspace, request_id: str, actor: str, note: str, at: datetime | None = None) -> None:
    """审核: the insurer's auditor has examined the request (申请 → 审核)."""
    _move(ws, request_id, "audited", actor, note, at)


def reject(ws: Workspace, request_id: str, actor: str, note: str, at: datetime | None = None) -> None:
    """驳回: the case is paid at its normal standard (审核 → 驳回)."""
    if not note.strip():
        raise UserError("驳回必须注明理由", field="note")
    _move(ws, request_id, "rejected", actor, note, at)


def approve(
    ws: Workspace, policy: Policy, request_id: str, actor: str, note: str,
    pay_mode: str | None = None, adjusted_amount: Decimal | None = None,
    at: datetime | None = None, score_run_id: str | None = None,
) -> None:
    """批准 (审核 → 批准) within the cap; paid by item or at an adjusted standard."""
    mode = pay_mode or policy.get("settle.special_case.pay_mode")
    if mode not in ("item", "adjusted"):
        raise UserError(f"支付方式 {mode!r} 应为 item（按项目）或 adjusted（调整支付标准）", field="pay_mode")
    if mode == "adjusted" and (adjusted_amount is None or Decimal(adjusted_amount) <= 0):
        raise UserError("按调整支付标准批准时必须给出大于 0 的调整后支付标准（元）", field="amount")
    amount = money(adjusted_amount) if mode == "adjusted" else None
    con = ws.con
    request = _request(con, request_id)
    _check_transition(request.state, "approved", request_id)
    allowed, approved, cases = approval_room(ws, policy, request.year, score_run_id, request.method)
    if approved + 1 > allowed:
        raise UserError(
            f"{request.year} 年特例单议已批准 {approved} 例，达到上限 {allowed} 例"
            f"（本统筹区 {labels(request.method).name} 病例 {cases} 例 × {_cap_text(policy, request.method)}），不能再批准",
            field=f"settle.special_case.cap_ratio_{request.method}",
        )
    _move(ws, request_id, "approved", actor, note, at, mode, amount)


def _cap_ratio(policy: Policy, method: str) -> Decimal:
    return policy.get(f"settle.special_case.cap_ratio_{method}")


def _cap_text(policy: Policy, method: str) -> str:
    """The cap as written in the rules: per mille for DIP (5‰), per cent for DRG (5%)."""
    ratio = _cap_ratio(policy, method)
    if method == "dip":
        return f"{(ratio * 1000).normalize():f}‰"
    return f"{(ratio * 100).normalize():f}%"


def approval_room(
    ws: Workspace, policy: Policy, year: int, score_run_id: str | None = None, method: str = "dip"
) -> tuple[int, int, int]:
    """(cap, approvals so far, region's cases of the method and year): cap = ⌊ratio × cases⌋."""
    con = ws.con
    basis = method_basis(con, method, score_run_id)
    try:
        load_basis(con, basis, date(year, 1, 1), date(year + 1, 1, 1), policy.get("settle.month_basis"), "year")
        cases, approved = step(con, "special_cap", {"method": method, "year": year}).fetchone()
    finally:
        drop_temp(con)
    return math.floor(_cap_ratio(policy, method) * cases), int(approved), int(cases)


def _move(
    ws: Workspace, request_id: str, target: str, actor: str, note: str, at: datetime | None,
    pay_mode: str | None = None, adjusted_amount: Decimal | None = None,
) -> None:
    actor, at = _actor(actor), at or datetime.now()
    with ws.transaction() as con:
        request = _request(con, request_id)
        _check_transition(request.state, target, request_id)
        con.execute(
            "UPDATE special_case_requests SET state = ?, pay_mode = ?, adjusted_amount = ?, updated_at = ?"
            " WHERE request_id = ?", [target, pay_mode, adjusted_amount, at, request_id],
        )
        detail = note.strip()
        if target == "approved":
            way = "按项目付费" if pay_mode == "item" else f"调整支付标准 {adjusted_amount} 元"
            detail = f"{way}；{detail}" if detail else way
        _trail(con, request_id, request.state, target, actor, at, detail)


def list_requests(ws: Workspace, state: str | None = None) -> list[tuple]:
    """Requests (id, case, hospital, year, state label, reason type, pay mode, amount)."""
    rows = ws.con.execute(
        "SELECT request_id, setl_id, fixmedins_code, year, state, reason_type, pay_mode, adjusted_amount"
        " FROM special_case_requests WHERE ? IS NULL OR state = ? ORDER BY request_id", [state, state]
    ).fetchall()
    return [(r[0], r[1], r[2], r[3], STATES[r[4]], r[5], r[6], r[7]) for r in rows]


def trail_rows(ws: Workspace) -> list[tuple]:
    """The whole decision trail in order, with Chinese state names."""
    rows = ws.con.execute(
        "SELECT t.request_id, r.setl_id, r.fixmedins_code, t.seq, t.from_state, t.to_state, t.actor,"
        " t.acted_at, t.note FROM special_case_trail t JOIN special_case_requests r USING (request_id)"
        " ORDER BY t.request_id, t.seq"
    ).fetchall()
    return [(r[0], r[1], r[2], r[3], STATES.get(r[4], "") if r[4] else "", STATES[r[5]], r[6],
             r[7].strftime("%Y-%m-%d %H:%M:%S"), r[8]) for r in rows]


def export_trail(ws: Workspace, path: Path) -> int:
    """Write the trail as CSV or XLSX (by the file's suffix); returns the number of rows."""
    from dipdrg.pay.statements import write_xlsx_table
    from dipdrg.report.csv import write_csv

    rows = trail_rows(ws)
    if path.suffix.lower() == ".xlsx":
        write_xlsx_table(path, "特例单议记录", TRAIL_HEADERS, rows, {})
    elif path.suffix.lower() == ".csv":
        write_csv(path, TRAIL_HEADERS, rows)
    else:
        raise UserError("导出文件须以 .csv 或 .xlsx 结尾", file=path)
    return len(rows)
