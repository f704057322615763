"""``dipdrg codes …``: load code standards, normalise codes, show what is loaded."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from dipdrg.console import console

app = typer.Typer(no_args_is_help=True, help="编码标准：加载目录与映射表，规范化编码")

KIND_HELP = "编码类别：diagnosis（诊断，ICD-10 医保版）或 procedure（手术操作，ICD-9-CM-3 医保版）"


def _workspace(path: Path):
    from dipdrg.workspace import open_workspace

    return open_workspace(path)


@app.command("load")
def load_command(
    workspace: Path = typer.Option(..., "--workspace", "-w", envvar="DIPDRG_WORKSPACE", help="工作区目录"),
    diagnoses: Optional[Path] = typer.Option(None, "--diagnoses", help="ICD-10 医保版诊断编码目录（CSV/XLSX）"),
    procedures: Optional[Path] = typer.Option(None, "--procedures", help="ICD-9-CM-3 医保版手术操作编码目录"),
    dx_crosswalk: Optional[Path] = typer.Option(None, "--dx-crosswalk", help="诊断 国临版→医保版 映射表"),
    proc_crosswalk: Optional[Path] = typer.Option(None, "--proc-crosswalk", help="手术操作 国临版→医保版 映射表"),
    categories: Optional[Path] = typer.Option(None, "--categories", help="手术操作属性表（手术/介入治疗/治疗性操作/诊断性操作）"),
    version: str = typer.Option("2.0", "--version", help="目录版本"),
    code_column: Optional[str] = typer.Option(None, "--code-column", help="编码列名（默认 code）"),
    name_column: Optional[str] = typer.Option(None, "--name-column", help="名称列名（默认 name）"),
    source_column: Optional[str] = typer.Option(None, "--source-column", help="映射表国临版编码列名（默认 source_code）"),
    target_column: Optional[str] = typer.Option(None, "--target-column", help="映射表医保版编码列名（默认 target_code）"),
    category_column: Optional[str] = typer.Option(None, "--category-column", help="手术操作属性列名（默认 category）"),
) -> None:
    """加载编码目录、映射表与手术操作属性（同一次加载全部成功或全部不生效）。"""
    from dipdrg.codes.lists import Columns, load_files
    from dipdrg.errors import UserError

    files = dict(
        diagnoses=diagnoses, procedures=procedures, dx_crosswalk=dx_crosswalk,
        proc_crosswalk=proc_crosswalk, categories=categories,
    )
    if all(v is None for v in files.values()):
        raise UserError("未指定要加载的文件（--diagnoses/--procedures/--dx-crosswalk/--proc-crosswalk/--categories）")
    columns = Columns(code_column, name_column, source_column, target_column, category_column)
    with _workspace(workspace) as ws:
        reports = load_files(ws, version=version, columns=columns, **files)
    for report in reports:
        console.print(f"[bold]{report.list_id}[/]（{report.file}）：读取 {report.rows} 行，现有 {report.loaded} 条")
        for problem in report.problems:
            console.print(f"  [yellow]问题[/] {problem.render()}")


@app.command("normalise")
def normalise_command(
    codes: list[str] = typer.Argument(..., help="待规范化的编码（可多个）"),
    kind: str = typer.Option("diagnosis", "--kind", "-k", help=KIND_HELP),
    workspace: Optional[Path] = typer.Option(None, "--workspace", "-w", envvar="DIPDRG_WORKSPACE", help="工作区目录（不指定则只规范书写、不校验目录）"),
) -> None:
    """规范化编码并给出 DIP 三位/四位键。"""
    from dipdrg.codes.index import CodeIndex
    from dipdrg.codes.normalise import KINDS
    from dipdrg.errors import UserError

    if kind not in KINDS:
        raise UserError(f"--kind 应为 diagnosis 或 procedure，而不是 {kind}", field="--kind")
    if workspace is None:
        index = CodeIndex({k: None for k in KINDS})
    else:
        with _workspace(workspace) as ws:
            index = CodeIndex.from_workspace(ws)
    table = Table("原始编码", "规范编码", "状态", "三位键", "四位键", "说明")
    for raw in codes:
        r = index.normalise(raw, kind)
        table.add_row(raw, r.code or "", r.status, r.key3 or "", r.key4 or "", r.message)
    console.print(table)


@app.command("show")
def show_command(
    workspace: Path = typer.Option(..., "--workspace", "-w", envvar="DIPDRG_WORKSPACE", help="工作区目录"),
) -> None:
    """列出已加载的编码目录、映射表与属性表（条数与 sha256）。"""
    from dipdrg.codes.lists import loaded_lists

    with _workspace(workspace) as ws:
        rows = loaded_lists(ws)
    if not rows:
        console.print("尚未加载任何编码目录；请运行 dipdrg codes load")
        return
    table = Table("目录", "类别", "版本", "条数", "sha256", "来源文件", "加载时间")
    for list_id, kind, version, count, sha, source, loaded_at in rows:
        table.add_row(list_id, kind, version, str(count), sha, source, str(loaded_at)[:19])
    console.print(table)
