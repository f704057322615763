"""``dipdrg dip``: DIP catalog packs, grouping (workspace and file) and explanations.

Each command is a thin wrapper: it parses options and calls the module that does the work.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from dipdrg.console import console, err_console
from dipdrg.errors import UserError

app = typer.Typer(no_args_is_help=True, help="DIP 病种分组、目录测算与分值")

CatalogOption = typer.Option(..., "--catalog", "-c", help="病种库目录（国家分组方案包或地方病种库包）")
NationalOption = typer.Option(None, "--national", help="国家分组方案包：地方病种库分组时套用其不纳入分组诊断/手术清单")


def _catalog(path: Path, national: Path | None):
    from dipdrg.dip.pack import load_pack

    catalog = load_pack(path)
    if national is not None:
        base = load_pack(national)
        if not base.is_national:
            raise UserError("--national 应为国家分组方案包（kind = dip-national）", file=national)
        merged = catalog.with_exclusions(base)
        for warning in merged.warnings[len(catalog.warnings):]:
            err_console.print(f"[bold yellow]警告[/]：{warning}", highlight=False)
        catalog = merged
    return catalog


@app.command("import-pack")
def import_pack_command(
    src: Path = typer.Argument(..., help="来源文件：国家分组方案 JSON/XLSX，或地方病种库表 CSV/XLSX"),
    out: Path = typer.Argument(..., help="输出的病种库目录"),
    layout: str = typer.Option("", "--layout", help="来源格式：json | xlsx | local（默认按扩展名：.json→json，.xlsx→xlsx）"),
    pack_id: str = typer.Option("", "--id", help="病种库标识（默认取自来源）"),
    version: str = typer.Option("1", "--version", help="版本（地方病种库）"),
    region: str = typer.Option("", "--region", help="统筹区（地方病种库）"),
    code_list: list[Path] = typer.Option([], "--code-list", help="编码表 CSV（含 code 列），可多次给出；用于检查未知编码"),
    allow_unknown: bool = typer.Option(False, "--allow-unknown", help="未知编码只警告、不报错"),
) -> None:
    """导入病种库：国家 DIP 3.0 分组方案（JSON 或官方工作簿）或地方病种库表，生成并校验病种库包。"""
    from dipdrg.dip.pack import load_pack
    from dipdrg.dip.pack.codecheck import read_code_lists, unknown_codes

    kind = layout or {".json": "json", ".xlsx": "xlsx"}.get(src.suffix.lower(), "local")
    if kind == "json":
        from dipdrg.dip.pack.import_national import import_json

        import_json(src, out)
    elif kind == "xlsx":
        from dipdrg.dip.pack.import_xlsx import import_workbook

        import_workbook(src, out)
    elif kind == "local":
        from dipdrg.dip.pack.import_local import import_local

        import_local(src, out, pack_id=pack_id or src.stem, version=version, region=region)
    else:
        raise UserError(f"--layout 应为 json、xlsx 或 local，实际为 {layout}", field="--layout")
    catalog = load_pack(out)
    if code_list:
        problems = unknown_codes(catalog, *read_code_lists(code_list))
        if problems and not allow_unknown:
            import shutil

            shutil.rmtree(out)
            shown = "\n".join(problems[:20])
            raise UserError(f"发现 {len(problems)} 个未知编码（未生成病种库；确认无误可加 --allow-unknown）：\n{shown}", file=src)
        for line in problems[:20]:
            err_console.print(f"[yellow]警告[/]：{line}")
    for line in catalog.warnings[:20]:
        err_console.print(f"[yellow]提示[/]：{line}")
    console.print(f"已生成病种库 {out}（{catalog.kind}，{catalog.manifest.id} {catalog.manifest.version}）："
                  f"规则 {len(catalog.rules)} 条，综合病种 {len(catalog.comprehensive)} 个，"
                  f"不纳入分组诊断 {len(catalog.excluded_dx)} 个、手术 {len(catalog.excluded_proc)} 个；sha256 {catalog.sha256[:12]}…")


@app.command("group")
def group_command(
    workspace: Path = typer.Option(Path("."), "--workspace", "-w", envvar="DIPDRG_WORKSPACE", help="工作区目录"),
    catalog_path: Path = CatalogOption,
    national: Path | None = NationalOption,
) -> None:
    """对工作区全部病例进行 DIP 分组，保存结果并报告入组率（全市及分医疗机构）。"""
    from dipdrg.dip.group.workspace import group_steps, group_workspace
    from dipdrg.dip.progress import step_bar
    from dipdrg.workspace import open_workspace

    catalog = _catalog(catalog_path, national)
    with open_workspace(workspace) as ws, step_bar("DIP 分组", len(group_steps())) as on_step:
        result = group_workspace(ws, catalog, on_step)
    table = Table(title="DIP 入组率")
    for header in ("医疗机构", "名称", "病例数", "入组", "入组率", "核心病种", "综合病种", "基层病种", "未入组"):
        table.add_column(header, justify="right" if header not in ("医疗机构", "名称") else "left")
    for r in result.rates:
        table.add_row("合计" if r.is_total else r.fixmedins_code or "（无机构编码）", r.fixmedins_name or "", f"{r.cases:,}", f"{r.grouped:,}",
                      f"{r.rate * 100:.2f}%", f"{r.core:,}", f"{r.comprehensive:,}", f"{r.primary_care:,}", f"{r.ungrouped:,}")
    console.print(table)
    console.print(result.summary_zh())


@app.command("group-file")
def group_file_command(
    src: Path = typer.Argument(..., help="结算清单 CSV（UTF-8 或 GBK）或 Parquet（每行一例：病例编号、主要诊断、其他诊断、手术操作等）"),
    catalog_path: Path = CatalogOption,
    out: Path = typer.Option(..., "--out", "-o", help="输出 CSV：case_id, group_code, layer, status, reason（未入组原因代码）"),
    national: Path | None = NationalOption,
    proc_category: Path | None = typer.Option(None, "--proc-category", help="手术操作属性表 CSV（code, category），用于综合病种"),
) -> None:
    """不建工作区，直接对文件中的病例分组（结果按输入顺序输出）。"""
    from dipdrg.dip.group.filemode import group_file, read_proc_attr

    summary = group_file(src, _catalog(catalog_path, national), out, read_proc_attr(proc_category))
    rate = summary["grouped"] / summary["total"] * 100 if summary["total"] else 0
    console.print(f"已分组 {summary['total']:,} 例，入组 {summary['grouped']:,} 例（{rate:.2f}%），"
                  f"未入组 {summary['ungrouped']:,} 例；结果写入 {out}")


def _split(values: list[str]) -> list[str]:
    return [p.strip() for v in values for p in v.replace(",", "|").split("|") if p.strip()]


@app.command("explain")
def explain_command(
    catalog_path: Path = CatalogOption,
    pdx: str = typer.Option("", "--pdx", help="主要诊断编码"),
    sdx: list[str] = typer.Option([], "--sdx", help="其他诊断编码（可多次给出，或用 | 分隔）"),
    proc: list[str] = typer.Option([], "--proc", help="手术操作编码，主要手术在前（可多次给出，或用 | 分隔）"),
    age_days: int | None = typer.Option(None, "--age-days", help="天龄（不足 1 周岁）"),
    birth_weight: int | None = typer.Option(None, "--birth-weight", help="新生儿出生体重（克）"),
    national: Path | None = NationalOption,
    proc_category: Path | None = typer.Option(None, "--proc-category", help="手术操作属性表 CSV（code, category）"),
    workspace: Path | None = typer.Option(None, "--workspace", "-w", help="工作区：用其编码目录规范化编码并取手术操作属性"),
) -> None:
    """解释单个病例的分组：入组层级、规则行、匹配的编码，以及前面各层未匹配的原因。"""
    from dipdrg.dip.explain import group_case
    from dipdrg.dip.group.filemode import read_proc_attr

    case = {"pdx": pdx, "sdx": _split(sdx), "procedures": _split(proc), "age_days": age_days, "birth_weight": birth_weight}
    attr, index = read_proc_attr(proc_category), None
    if workspace is not None:
        from dipdrg.codes.index import CodeIndex
        from dipdrg.workspace import open_workspace

        with open_workspace(workspace) as ws:
            index = CodeIndex.from_workspace(ws)
            attr = dict(ws.con.execute(
                "SELECT code, category FROM codes WHERE kind = 'procedure' AND category IS NOT NULL").fetchall()) | attr
    explanation = group_case(_catalog(catalog_path, national), case, attr, index)
    for line in explanation.lines():
        console.print(line, highlight=False, markup=False)


# catalog building and scoring (dip/catalog, dip/score)
from dipdrg.dip.catalog.cli import build_catalog_command  # noqa: E402
from dipdrg.dip.score.cli import score_command  # noqa: E402

app.command("build-catalog")(build_catalog_command)
app.command("score")(score_command)
