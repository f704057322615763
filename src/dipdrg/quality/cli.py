"""``dipdrg quality``: run the settlement-list quality rules, write the report, list the rules."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from dipdrg.console import console
from dipdrg.quality.catalogue import SEVERITIES, load_rules

app = typer.Typer(no_args_is_help=True)

WORKSPACE = typer.Option(Path("."), "--workspace", "-w", envvar="DIPDRG_WORKSPACE", help="工作区目录")


def _percent(value) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


@app.command("run")
def run(
    workspace: Path = WORKSPACE,
    policy: Path = typer.Option(None, "--policy", "-p", help="地区政策文件（缺省为国家默认值）"),
) -> None:
    """对工作区内全部结算清单执行质控规则，结果写入质控明细。"""
    from dipdrg.policy import load_policy
    from dipdrg.quality.report import hospital_quality
    from dipdrg.quality.run import run_quality, run_summary
    from dipdrg.workspace import open_workspace

    rules = {r.id: r for r in load_rules()}
    with open_workspace(workspace) as ws:
        with console.status("正在执行质控规则……"):
            run_id = run_quality(ws, load_policy(policy))
        summary = run_summary(ws)
        total = hospital_quality(ws)[-1]
    console.print(f"质控完成：批次 {run_id}", soft_wrap=True)
    console.print(
        f"病例 {summary['cases']} 例；有错误 {summary['with_error']} 例，有警告 {summary['with_warning']} 例",
        soft_wrap=True,
    )
    console.print(
        f"完整度 {_percent(total.completeness)}，合格率 {_percent(total.pass_rate)}，"
        f"及时率 {_percent(total.timeliness)}",
        soft_wrap=True,
    )
    if summary["per_rule"]:
        table = Table("规则", "严重程度", "说明", "病例数")
        for rule_id, count in summary["per_rule"].items():
            rule = rules.get(rule_id)
            table.add_row(rule_id, SEVERITIES[rule.severity] if rule else "", rule.message if rule else "", str(count))
        console.print(table)


@app.command("report")
def report(
    workspace: Path = WORKSPACE,
    output: Path = typer.Option(None, "--output", "-o", help="XLSX 报告文件，如 质控报告.xlsx"),
    csv_dir: Path = typer.Option(None, "--csv", help="同时写出 CSV 文件的目录"),
) -> None:
    """最近一次质控的机构汇总（完整度、合格率、及时率）；-o/--csv 写出含规则分布与病例明细的报告。"""
    from dipdrg.quality.report import hospital_quality, write_report
    from dipdrg.workspace import open_workspace

    if output is None and csv_dir is None:
        with open_workspace(workspace) as ws:
            rows = hospital_quality(ws)
        table = Table("机构编码", "机构名称", "病例数", "错误", "警告", "完整度", "合格率", "及时率",
                      title="结算清单质控：机构汇总（写出文件请加 -o 报告.xlsx 或 --csv 目录）")
        for row in rows:
            table.add_row(row.code, row.name, f"{row.cases:,}", f"{row.errors:,}", f"{row.warnings:,}",
                          _percent(row.completeness), _percent(row.pass_rate), _percent(row.timeliness))
        console.print(table)
        return
    with open_workspace(workspace) as ws:
        result = write_report(ws, output, csv_dir)
    total = result["total"]
    if output is not None:
        console.print(f"已写出质控报告：{output}（{result['hospitals']} 家机构，{total.cases} 例病例）")
    if csv_dir is not None:
        console.print(f"已写出 CSV：{csv_dir}")
    if result["truncated"]:
        console.print("[yellow]注意[/]：病例明细超过 Excel 行数上限，XLSX 中只含前 1,048,575 行；完整明细请用 --csv 导出")


@app.command("rules")
def rules(basis: bool = typer.Option(False, "--basis", help="同时列出每条规则的依据与 SQL 文件")) -> None:
    """列出质控规则目录：编号、严重程度、维度、说明、字段（--basis 加列依据）。"""
    table = Table(show_lines=basis)
    for title in ("编号", "严重程度", "维度", "说明", "字段") + (("依据", "SQL 文件") if basis else ()):
        table.add_column(title, overflow="fold")
    for rule in load_rules():
        extra = (rule.basis, rule.sql_file) if basis else ()
        table.add_row(rule.id, SEVERITIES[rule.severity], rule.dimension, rule.message,
                      ", ".join(rule.fields), *extra)
    console.print(table)
