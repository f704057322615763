"""``dipdrg import``: settlement lists, the hospital registry, quarantine export, status."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from dipdrg.console import console, progress

app = typer.Typer(no_args_is_help=True)

WS = typer.Option(Path("."), "--workspace", "-w", envvar="DIPDRG_WORKSPACE", help="工作区目录")
FMT = typer.Option("auto", "--format", help="文件格式：auto|csv|xlsx|parquet|json")
ENC = typer.Option("auto", "--encoding", help="CSV 编码：auto|utf-8|gbk")
SHEET = typer.Option(None, "--sheet", help="XLSX 工作表名（缺省为第一个）")


def _show(results) -> None:
    table = Table(title="导入结果")
    for header in ("文件", "类型", "格式", "读入", "载入", "隔离", "重复", "导入批次"):
        table.add_column(header)
    for r in results:
        if r.skipped:
            table.add_row(str(r.file), r.kind, "-", "-", "-", "-", "-", f"已导入过，跳过（{r.import_id}）")
        else:
            table.add_row(str(r.file), r.kind, r.format, str(r.rows_read), str(r.loaded),
                          str(r.quarantined), str(r.duplicates), r.import_id)
    console.print(table)
    for r in results:
        if r.ignored_columns:
            console.print(f"[yellow]提示[/]：{r.file} 中未识别的列已忽略：{'、'.join(r.ignored_columns)}")
    if any(r.quarantined for r in results):
        console.print("有被隔离的行；用 [bold]dipdrg import quarantine -o 隔离清单.xlsx[/] 导出查看原因")


@app.command("settlements")
def settlements(
    files: list[Path] = typer.Argument(..., help="结算清单文件（CSV/XLSX/Parquet/JSON）"),
    workspace: Path = WS,
    diagnoses: Optional[Path] = typer.Option(None, "--diagnoses", help="单独的诊断表（按结算ID关联）"),
    procedures: Optional[Path] = typer.Option(None, "--procedures", help="单独的手术操作表（按结算ID关联）"),
    fmt: str = FMT,
    encoding: str = ENC,
    sheet: Optional[str] = SHEET,
    hospital: Optional[str] = typer.Option(None, "--hospital", help="文件无医疗机构列时使用的机构编码"),
    allow_missing: bool = typer.Option(False, "--allow-missing", help="允许缺少性别/入出院时间/总费用列（以空值载入，由质控报告）"),
) -> None:
    """导入结算清单：每一行或载入、或隔离（附规则与原因）、或记为重复；失败时工作区不变。"""
    from dipdrg.cases.settlements import import_settlements
    from dipdrg.workspace import open_workspace

    with open_workspace(workspace) as ws, progress() as bar:
        ws.con.execute("PRAGMA disable_progress_bar")   # the Rich bar below reports progress
        task = bar.add_task("导入结算清单", total=None)
        results = import_settlements(
            ws, files, diagnoses=diagnoses, procedures=procedures, fmt=fmt, encoding=encoding,
            sheet=sheet, hospital=hospital, allow_missing=allow_missing,
            progress=lambda text: bar.update(task, description=text, advance=1),
        )
    _show(results)


@app.command("hospitals")
def hospitals(
    file: Path = typer.Argument(..., help="定点医疗机构名录文件"),
    workspace: Path = WS,
    fmt: str = FMT,
    encoding: str = ENC,
    sheet: Optional[str] = SHEET,
) -> None:
    """导入定点医疗机构名录（编号、名称、级别、类型、区县）。"""
    from dipdrg.cases.hospitals import import_hospitals
    from dipdrg.workspace import open_workspace

    with open_workspace(workspace) as ws:
        ws.con.execute("PRAGMA disable_progress_bar")
        result = import_hospitals(ws, file, fmt=fmt, encoding=encoding, sheet=sheet)
    _show([result])


@app.command("quarantine")
def quarantine(
    workspace: Path = WS,
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="导出到 .csv 或 .xlsx"),
    import_id: Optional[str] = typer.Option(None, "--import", help="只看某个导入批次"),
) -> None:
    """查看或导出被隔离的行（规则编号、字段、原因、原始内容）。"""
    from dipdrg.cases.export import export_quarantine, quarantine_rows
    from dipdrg.workspace import open_workspace

    with open_workspace(workspace) as ws:
        if output is not None:
            n = export_quarantine(ws.con, output, import_id)
            console.print(f"已导出 {n} 行隔离记录：{output}")
            return
        rows = quarantine_rows(ws.con, import_id)
    table = Table(title=f"隔离清单（共 {len(rows)} 行，显示前 50 行）")
    for header in ("文件", "行号", "结算ID", "规则", "字段", "问题"):
        table.add_column(header)
    for r in rows[:50]:
        table.add_row(str(r[1]), str(r[2]), r[3] or "", r[4], r[6] or "", r[7])
    console.print(table)


@app.command("status")
def status(workspace: Path = WS) -> None:
    """导入台账：每个文件读入、载入、隔离、重复的行数，及工作区中的病例数。"""
    from dipdrg.cases.export import IMPORT_HEADERS, import_log
    from dipdrg.workspace import open_workspace

    with open_workspace(workspace) as ws:
        rows = import_log(ws.con)
        cases = ws.con.execute("SELECT count(*) FROM cases").fetchone()[0]
        hospitals_n = ws.con.execute("SELECT count(*) FROM hospitals").fetchone()[0]
    table = Table(title="导入台账")
    for header in IMPORT_HEADERS:
        table.add_column(header)
    for r in rows:
        table.add_row(r[0], r[1], str(r[2]), r[3], str(r[4])[:19], *(str(v) for v in r[5:]))
    console.print(table)
    console.print(f"工作区共有结算清单 {cases} 份，医疗机构 {hospitals_n} 家")
