"""``dipdrg drg weights`` and ``dipdrg drg score``: RW from history, then per-case DRG units.

Plain functions registered on the ``dipdrg drg`` Typer app by ``drg/cli.py``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from dipdrg.console import console, err_console
from dipdrg.errors import UserError

WS = typer.Option(Path("."), "--workspace", "-w", envvar="DIPDRG_WORKSPACE", help="工作区目录")
POLICY = typer.Option(None, "--policy", help="地区政策文件（缺省为国家默认值）")
GROUP_RUN = typer.Option(None, "--group-run", help="DRG 分组运行编号（缺省为最近一次）")


def _years(text: str) -> list[int]:
    parts = [p.strip() for p in text.replace("，", ",").split(",") if p.strip()]
    if not parts or not all(p.isdigit() and len(p) == 4 for p in parts):
        raise UserError(f"测算年度 {text!r} 应写作逗号分隔的四位年份，如 2023,2024,2025", field="--years")
    return [int(p) for p in parts]


def weights_command(
    years: str = typer.Option(..., "--years", help="历史测算年度，逗号分隔（如 2023,2024,2025，按 1:2:7 加权）"),
    output: Path = typer.Option(..., "--output", "-o", help="输出权重表 CSV（同名 .xlsx 为中文表头版）"),
    workspace: Path = WS,
    policy: Optional[Path] = POLICY,
    group_run: Optional[str] = GROUP_RUN,
) -> None:
    """由历史数据测算各 DRG 组相对权重（RW = 组次均费用 / 地区次均费用，三年加权、剔除极值）。"""
    from dipdrg.drg.weights.build import STATUS_NAMES, WEIGHTS_STEPS, build_weights
    from dipdrg.drg.weights.weights_file import write_files
    from dipdrg.pay.progress import progress_steps
    from dipdrg.policy import load_policy
    from dipdrg.workspace import open_workspace

    pol = load_policy(policy)
    with open_workspace(workspace) as ws, progress_steps("DRG 权重测算", WEIGHTS_STEPS) as tick:
        result = build_weights(ws, pol, _years(years), group_run, tick)
    notes = [("权重测算运行", result.run_id), ("DRG 分组运行", result.group_run_id),
             ("年度权重", "，".join(f"{y} 年 {w}" for y, w in result.years.items())),
             ("地区次均费用 M（元）", f"{result.region_mean:,.2f}"), ("入组病例数", f"{result.region_cases:,}"),
             ("病例数不足阈值（例）", str(pol.get("drg.weights.min_cases"))),
             ("权重表 sha256", result.sha256)]
    notes += [(f"病例状态：{STATUS_NAMES.get(k, k)}", f"{v:,}") for k, v in sorted(result.status_counts.items())]
    csv_path, xlsx_path = write_files(output, result.rows, notes)
    console.print(f"权重测算完成（运行 {result.run_id}）：{len(result.rows):,} 个 DRG 组，"
                  f"地区次均费用 {result.region_mean:,.2f} 元，病例数不足 {result.low_count} 组")
    console.print(f"已写出 {csv_path} 与 {xlsx_path}")
    skipped = {k: v for k, v in result.status_counts.items() if k != "ok"}
    if skipped:
        err_console.print("[yellow]提示[/]：未纳入测算的病例 " + "，".join(
            f"{STATUS_NAMES.get(k, k)} {v:,} 例" for k, v in sorted(skipped.items())))


def score_command(
    weights: str = typer.Option(..., "--weights", help="权重测算运行编号，或权重文件（CSV/XLSX）"),
    workspace: Path = WS,
    policy: Optional[Path] = POLICY,
    group_run: Optional[str] = GROUP_RUN,
    year: Optional[int] = typer.Option(None, "--year", help="按预算测算费率的年度（缺省为政策参数 region.year）"),
    rate: Optional[str] = typer.Option(None, "--rate", help="直接指定费率（元/权重），优先于 drg.rate 与预算测算"),
) -> None:
    """计算每个病例的 DRG 权重、支付标准与高/低倍率（结果写入 drg_case_scores，供 settle --method drg 结算）。"""
    from dipdrg.drg.weights.score import SCORE_STEPS, score_cases
    from dipdrg.pay.progress import progress_steps
    from dipdrg.policy import load_policy
    from dipdrg.workspace import open_workspace

    try:
        value = Decimal(rate) if rate is not None else None
    except InvalidOperation:
        raise UserError(f"费率 {rate!r} 不是数值", field="--rate") from None
    pol = load_policy(policy)
    with open_workspace(workspace) as ws, progress_steps("DRG 病例权重", SCORE_STEPS) as tick:
        r = score_cases(ws, pol, weights, group_run=group_run, year=year, rate=value, tick=tick)
    table = Table("项目", "取值", title=f"DRG 病例权重（运行 {r.run_id}）")
    source = {"explicit": "命令行指定", "policy": "政策参数 drg.rate", "budget": f"{r.rate.year} 年预算测算"}
    rows = [("DRG 分组运行", r.group_run_id), ("权重来源", r.weights.source),
            ("病例数", f"{r.cases:,}"), ("入组病例数", f"{r.grouped:,}"),
            (f"费率（{source[r.rate.source]}）", str(r.rate.value))]
    if r.rate.budget is not None:
        rows += [("DRG 基金预算（元）", f"{r.rate.budget.amount:,.2f}"), ("基金支付比例", str(r.rate.fund_ratio)),
                 ("年度总权重", f"{r.rate.total_weight:,.4f}")]
    rows += [("病例权重合计", f"{r.total_units:,.4f}"),
             ("低倍率 / 高倍率 / 特例单议", " / ".join(str(r.outliers.get(k, 0)) for k in ("low", "high", "review")))]
    if r.missing_weights.get("adrg"):
        rows.append(("无权重、取同 ADRG 平均权重（例）", f"{r.missing_weights['adrg']:,}"))
    if r.missing_weights.get("exclude"):
        rows.append(("无权重、不纳入 DRG 付费（例）", f"{r.missing_weights['exclude']:,}"))
    for label, value in rows:
        table.add_row(label, value)
    console.print(table)
    if r.missing_weights.get("exclude"):
        err_console.print(f"[yellow]提示[/]：{r.missing_weights['exclude']:,} 例的 DRG 在权重表中没有相对权重，"
                          "按政策参数 drg.weights.missing = exclude 不纳入 DRG 付费（见 drg_case_scores.unpaid_reason）")
    if r.level_missing:
        err_console.print(f"[yellow]提示[/]：{r.level_missing} 例的医疗机构不在机构表中，级别系数按 1 计")
