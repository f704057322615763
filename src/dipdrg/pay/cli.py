"""``dipdrg settle …``: point values, monthly prepayment, annual clearance, simulated payment,
statements, what-if, and the special-case review workflow."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from dipdrg.console import console, err_console
from dipdrg.errors import UserError
from dipdrg.policy.registry import choice_label

app = typer.Typer(no_args_is_help=True, help="点值、结算、特例单议与清算")
review_app = typer.Typer(no_args_is_help=True, help="特例单议：申请 → 审核 → 批准/驳回")
app.add_typer(review_app, name="review", help="特例单议：申请、审核、批准、驳回、查询、导出")

WS = typer.Option(Path("."), "--workspace", "-w", envvar="DIPDRG_WORKSPACE", help="工作区目录")
POLICY = typer.Option(None, "--policy", help="地区政策文件（缺省为国家默认值）")
SCORE_RUN = typer.Option(None, "--score-run", help="分值测算（DIP）或病例权重（DRG）运行编号（缺省为最近一次）")
YEAR = typer.Option(None, "--year", help="结算年度（缺省为政策参数 region.year）")
ACTOR = typer.Option(..., "--by", help="操作人")
METHOD = typer.Option("dip", "--method", help="付费方式：dip（病种分值 × 点值）或 drg（病例权重 × 费率）")


def _open(path: Path):
    from dipdrg.workspace import open_workspace

    return open_workspace(path)


def _policy(path: Optional[Path]):
    from dipdrg.policy import load_policy

    return load_policy(path)


def _year(policy, year: Optional[int]) -> int:
    return year if year is not None else int(policy.get("region.year"))


def _money(value) -> str:
    return f"{value:,.2f}"


def _words(method: str):
    from dipdrg.pay.labels import labels

    return labels(method)


def _warn(basis) -> None:
    for warning in basis.warnings:
        err_console.print(f"[yellow]提示[/]：{warning}")


@app.command("point-value")
def point_value_command(workspace: Path = WS, policy: Optional[Path] = POLICY,
                        year: Optional[int] = YEAR, score_run: Optional[str] = SCORE_RUN,
                        method: str = METHOD) -> None:
    """计算基金预算、基金支付比例、预算点值与结算点值（DRG 为费率）。"""
    from dipdrg.pay.clearance import point_value_run

    pol = _policy(policy)
    words = _words(method)
    with _open(workspace) as ws:
        run_id, v = point_value_run(ws, pol, _year(pol, year), score_run, method)
    table = Table("项目", "取值", title=f"{v.period} 年{words.price}（运行 {run_id}）")
    for label, value in (
        ("预算方法", choice_label("settle.budget.method", v.budget.method)), (f"{words.budget}（元）", _money(v.budget.amount)),
        ("入组病例数", f"{v.totals.grouped_cases:,}"), (words.total_units, f"{v.totals.total_units:,.4f}"),
        ("医疗费总额（元）", _money(v.totals.total_cost)), ("统筹基金支付（元）", _money(v.totals.total_fund)),
        ("基金支付比例", str(v.fund_ratio)), (words.budget_price, str(v.budget_pv or "—")),
        (words.settlement_price, str(v.settlement_pv)), (f"{words.applied_price}（{choice_label('settle.point_value.regime', v.regime)}）", str(v.applied_pv)),
    ):
        table.add_row(label, value)
    console.print(table)


@app.command("monthly")
def monthly_command(
    month: list[str] = typer.Option(None, "--month", help="预付月份 YYYY-MM（可多次给出）"),
    year: Optional[int] = typer.Option(None, "--year", help="一次计算该年全部 12 个月（未给 --month 时缺省为政策参数 region.year）"),
    workspace: Path = WS, policy: Optional[Path] = POLICY, score_run: Optional[str] = SCORE_RUN,
    method: str = METHOD,
) -> None:
    """月度预付：按月计算各医疗机构预付金额（预留质量保证金、扣减审核扣款）。"""
    from dipdrg.pay.monthly import MONTH_STEPS, settle_months
    from dipdrg.pay.progress import progress_steps
    from dipdrg.pay.runs import month_label

    pol = _policy(policy)
    words = _words(method)
    if year is None and not month:
        year = _year(pol, None)
    months = list(month or []) + ([month_label(year, m) for m in range(1, 13)] if year else [])
    with _open(workspace) as ws, progress_steps(f"月度预付（{len(months)} 个月）", MONTH_STEPS + 1) as tick:
        result = settle_months(ws, pol, months, score_run, method, tick)
        _warn(result.basis)
        rows = ws.con.execute(
            "SELECT period, COUNT(*), SUM(dip_cases), SUM(gross_due), SUM(reserve), SUM(deductions),"
            " SUM(payable) FROM settle_monthly WHERE run_id = ? GROUP BY period ORDER BY period",
            [result.run_id]).fetchall()
    table = Table("月份", "机构数", words.cases, "预付基数", "质量保证金", "审核扣款", "本月预付",
                  title=f"月度预付（{words.name}，运行 {result.run_id}）")
    for r in rows:
        table.add_row(r[0], str(r[1]), f"{r[2]:,}", *(_money(x) for x in r[3:]))
    console.print(table)


@app.command("annual")
def annual_command(workspace: Path = WS, policy: Optional[Path] = POLICY, year: Optional[int] = YEAR,
                   score_run: Optional[str] = SCORE_RUN, method: str = METHOD) -> None:
    """年度清算：结算点值（DRG 为费率）、考核系数、审核扣款、结余留用/超支分担、减已预付。"""
    from dipdrg.pay.clearance import STORE_STEPS, YEAR_STEPS, settle_year
    from dipdrg.pay.progress import progress_steps

    pol = _policy(policy)
    words = _words(method)
    with _open(workspace) as ws, progress_steps("年度清算", YEAR_STEPS + STORE_STEPS) as tick:
        result = settle_year(ws, pol, _year(pol, year), score_run, method, tick)
        _warn(result.basis)
        rows = ws.con.execute(
            "SELECT a.fixmedins_code, COALESCE(h.fixmedins_name, ''), a.due, a.billed_fund, a.balance,"
            " a.shared_amount, a.settled_amount, a.monthly_paid, a.final_amount FROM settle_annual a"
            " LEFT JOIN hospitals h USING (fixmedins_code) WHERE a.run_id = ? ORDER BY 1",
            [result.run_id]).fetchall()
    v = result.point_values
    table = Table("机构", "名称", "年度应付", "按项目统筹", "结余(+)/超支(-)", "留用/分担", "清算总额",
                  "已预付", "清算应拨付",
                  title=f"{v.period} 年度清算（{words.name}）：{words.settlement_price} {v.settlement_pv}，"
                        f"{words.applied_price} {v.applied_pv}，基金支付比例 {v.fund_ratio}（运行 {result.run_id}）")
    for r in rows:
        table.add_row(r[0], r[1], *(_money(x) for x in r[2:]))
    console.print(table)


@app.command("simulate")
def simulate_command(workspace: Path = WS, policy: Optional[Path] = POLICY, year: Optional[int] = YEAR,
                     score_run: Optional[str] = SCORE_RUN, method: str = METHOD,
                     output: Optional[Path] = typer.Option(
                         None, "--output", "-o", help="另存为 XLSX（分机构、分病种两张表，含差额与原因）")) -> None:
    """模拟付费：同一年度按 DIP（或 DRG）与按项目付费对比（分机构、分病种，列出差异原因）。"""
    from dipdrg.pay.clearance import YEAR_STEPS
    from dipdrg.pay.progress import progress_steps
    from dipdrg.pay.simulate import SIMULATE_STEPS, simulate
    from dipdrg.pay.simulation_report import simulation_tables, write_simulation
    from dipdrg.pay.statements import statement_stamp

    pol = _policy(policy)
    words = _words(method)
    settle_year_ = _year(pol, year)
    if output is not None and output.suffix.lower() != ".xlsx":
        raise UserError("模拟付费结果须另存为 .xlsx 文件", file=output)
    with _open(workspace) as ws:
        with progress_steps("模拟付费", YEAR_STEPS + SIMULATE_STEPS) as tick:
            run_id = simulate(ws, pol, settle_year_, score_run, method, tick)
        tables = simulation_tables(ws.con, run_id, method)
        if output is not None:
            output.parent.mkdir(parents=True, exist_ok=True)
            write_simulation(ws.con, run_id, method, output, statement_stamp(settle_year_))
    headers, rows, _ = tables["模拟付费（机构）"]
    table = Table("机构", "名称", "按项目付费", f"{words.name} 清算", "差额", "主要原因",
                  title=f"模拟付费：{words.name} 与按项目付费（运行 {run_id}）")
    for r in rows:
        table.add_row(r[0], r[1], _money(r[3]), _money(r[5]), _money(r[6]), r[-1])
    console.print(table)
    group_headers, group_rows, _ = tables[f"模拟付费（{words.name}组）"]
    top = sorted(group_rows, key=lambda r: abs(r[4]), reverse=True)[:10]
    table = Table(*group_headers[:5], group_headers[-1], title=f"差额最大的 {len(top)} 个{words.name}组（共 {len(group_rows)} 组）")
    for r in top:
        table.add_row(r[0], f"{r[1]:,}", _money(r[2]), _money(r[3]), _money(r[4]), r[-1])
    console.print(table)
    if output is not None:
        console.print(f"已另存为 {output}")


@app.command("statements")
def statements_command(output: Path = typer.Option(..., "--output", "-o", help="输出目录"),
                       workspace: Path = WS, policy: Optional[Path] = POLICY,
                       year: Optional[int] = YEAR, method: str = METHOD) -> None:
    """输出结算单：各医疗机构月度与年度结算单、地区汇总（XLSX 与 CSV）、病例明细（CSV）；有模拟付费时一并输出。"""
    from dipdrg.pay.progress import progress_steps
    from dipdrg.pay.statements import statement_steps, write_statements

    pol = _policy(policy)
    settle_year_ = _year(pol, year)
    with _open(workspace) as ws:
        hospitals = ws.con.execute(
            "SELECT COUNT(DISTINCT fixmedins_code) FROM settle_annual WHERE method = ? AND period = ?",
            [method, str(settle_year_)]).fetchone()[0]
        with progress_steps("生成结算单", statement_steps(hospitals)) as tick:
            result = write_statements(ws, settle_year_, output, method, tick)
    console.print(f"已写出 {len(result.files)} 个文件到 {result.directory}")


@app.command("what-if")
def what_if_command(
    assignments: list[str] = typer.Option(..., "--set", help="要调整的参数，如 settle.reserve_ratio=0.03（可多次）"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="另存为 XLSX"),
    workspace: Path = WS, policy: Optional[Path] = POLICY, year: Optional[int] = YEAR,
    score_run: Optional[str] = SCORE_RUN, method: str = METHOD,
    pack: Optional[Path] = typer.Option(None, "--pack", help="调整 dip.outlier.* 时：该分值测算所用的本地病种库目录"),
) -> None:
    """参数测算（协商谈判）：调整结算参数（settle.*，DRG 另有 drg.budget.*）或病例分值参数
    （DIP：dip.outlier.*；DRG：drg.outlier.*、drg.coefficient.*、drg.rate、drg.weights.missing，将重新计算病例分值），
    对比各医疗机构支付的变化（不写入工作区）。"""
    from dipdrg.pay.statements import write_xlsx_table
    from dipdrg.pay.whatif import HEADERS, parse_assignments, what_if

    pol = _policy(policy)
    with _open(workspace) as ws:
        rows = what_if(ws, pol, parse_assignments(assignments), _year(pol, year), score_run, method, pack)
    table = Table(*HEADERS[:1], *HEADERS[4:], title="参数测算：" + "；".join(assignments))
    for r in rows:
        table.add_row(r[0], *(_money(x) for x in r[4:]))
    console.print(table)
    if output:
        write_xlsx_table(output, "参数测算", HEADERS, rows, {h: "money" for h in HEADERS[2:]})
        console.print(f"已另存为 {output}")


# -- special-case review -------------------------------------------------------------------

@review_app.command("apply")
def review_apply(setl_id: str = typer.Argument(..., help="结算ID"),
                 reason_type: str = typer.Option(..., "--type", help="理由类别，如 高倍率、超长住院、新药新技术"),
                 reason: str = typer.Option(..., "--reason", help="申请理由"),
                 actor: str = ACTOR, workspace: Path = WS, policy: Optional[Path] = POLICY,
                 score_run: Optional[str] = SCORE_RUN, method: str = METHOD) -> None:
    """申请特例单议（DIP 病例或 DRG 病例）。"""
    from dipdrg.pay.review import apply

    with _open(workspace) as ws:
        request_id = apply(ws, _policy(policy), setl_id, reason_type, reason, actor, score_run_id=score_run,
                           method=method)
    console.print(f"已受理特例单议申请 {request_id}（状态：申请）")


@review_app.command("audit")
def review_audit(request_id: str = typer.Argument(..., help="申请编号"), actor: str = ACTOR,
                 note: str = typer.Option("", "--note", help="审核意见"), workspace: Path = WS) -> None:
    """审核（申请 → 审核）。"""
    from dipdrg.pay.review import audit

    with _open(workspace) as ws:
        audit(ws, request_id, actor, note)
    console.print(f"{request_id}：已审核")


@review_app.command("approve")
def review_approve(request_id: str = typer.Argument(..., help="申请编号"), actor: str = ACTOR,
                   mode: Optional[str] = typer.Option(None, "--mode", help="item 按项目 / adjusted 调整支付标准"),
                   amount: Optional[str] = typer.Option(None, "--amount", help="调整后的支付标准（元）"),
                   note: str = typer.Option("", "--note", help="批准意见"),
                   workspace: Path = WS, policy: Optional[Path] = POLICY,
                   score_run: Optional[str] = SCORE_RUN) -> None:
    """批准（审核 → 批准），受上限约束（DIP 5‰、DRG 5%）。"""
    from dipdrg.pay.review import approve

    try:
        value = Decimal(amount) if amount is not None else None
    except InvalidOperation:
        raise UserError(f"金额 {amount!r} 不是数值", field="amount") from None
    with _open(workspace) as ws:
        approve(ws, _policy(policy), request_id, actor, note, mode, value, score_run_id=score_run)
    console.print(f"{request_id}：已批准")


@review_app.command("reject")
def review_reject(request_id: str = typer.Argument(..., help="申请编号"), actor: str = ACTOR,
                  note: str = typer.Option(..., "--note", help="驳回理由"), workspace: Path = WS) -> None:
    """驳回（审核 → 驳回），病例按正常标准支付。"""
    from dipdrg.pay.review import reject

    with _open(workspace) as ws:
        reject(ws, request_id, actor, note)
    console.print(f"{request_id}：已驳回")


@review_app.command("list")
def review_list(state: Optional[str] = typer.Option(None, "--state", help="applied/audited/approved/rejected"),
                workspace: Path = WS) -> None:
    """列出特例单议申请。"""
    from dipdrg.pay.review import list_requests

    with _open(workspace) as ws:
        rows = list_requests(ws, state)
    table = Table("申请编号", "结算ID", "机构", "年度", "状态", "理由类别", "支付方式", "调整标准")
    for r in rows:
        table.add_row(*("" if x is None else str(x) for x in r))
    console.print(table)


@review_app.command("export")
def review_export(output: Path = typer.Option(..., "--output", "-o", help="导出文件（.csv 或 .xlsx）"),
                  workspace: Path = WS) -> None:
    """导出特例单议全过程记录（申请、审核、批准/驳回，谁、何时、理由）。"""
    from dipdrg.pay.review import export_trail

    with _open(workspace) as ws:
        count = export_trail(ws, output)
    console.print(f"已导出 {count} 条记录到 {output}")
