"""``dipdrg drg``: import scheme packs, group a workspace or a file, explain one case."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from dipdrg.console import console

app = typer.Typer(no_args_is_help=True, help="CHS-DRG 分组：方案包导入、批量分组、单病例解释")

PackOption = typer.Option(..., "--pack", help="DRG 方案包目录（含 manifest.toml）")


STATUS_ZH = {"SUCCESS": "入组", "FAIL": "未能入组", "CHECK_FAILED": "数据校验未通过"}


def _summary_text(summary) -> str:
    parts = "，".join(f"{STATUS_ZH.get(k, k)}（{k}）{v:,}" for k, v in sorted(summary.by_status.items()))
    return f"共 {summary.total:,} 例：{parts}"


@app.command("import-pack")
def import_pack_command(
    src: Path = typer.Argument(..., help="方案表格目录（chs-drg-1.1 的表格布局）"),
    out: Path = typer.Argument(..., help="输出的方案包目录"),
    version: str = typer.Option("1.1", "--version", help="方案版本号"),
    pack_id: str = typer.Option("chs-drg", "--id", help="方案包标识"),
    fmt: str = typer.Option("csv", "--format", help="表格格式：csv 或 parquet"),
    fall_through: bool = typer.Option(
        True, "--fall-through/--no-fall-through",
        help="MDC 入组条件成立但无 ADRG 匹配时是否继续尝试后续 MDC（OpenDRG 为是）"),
    code_mapping: bool = typer.Option(False, "--code-mapping", help="分组前按映射表转换编码"),
    dx_map: Optional[Path] = typer.Option(None, "--dx-map", help="诊断编码映射表（source_code,target_code）"),
    proc_map: Optional[Path] = typer.Option(None, "--proc-map", help="手术操作编码映射表"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的输出目录"),
) -> None:
    """把方案表格导入为经过校验的 DRG 方案包。"""
    from dipdrg.drg.importer import import_pack
    from dipdrg.drg.pack import load_pack

    path = import_pack(src, out, version=version, pack_id=pack_id, fmt=fmt,
                       fall_through=fall_through, code_mapping=code_mapping,
                       dx_map=dx_map, proc_map=proc_map, force=force)
    pack = load_pack(path)
    counts = "，".join(f"{k} {v.num_rows:,} 行" for k, v in pack.tables.items())
    console.print(f"方案包已写入 {path}（{pack.id} {pack.version}，sha256 {pack.sha256[:12]}…）")
    console.print(counts)


@app.command("check-pack")
def check_pack_command(pack: Path = typer.Argument(..., help="DRG 方案包目录")) -> None:
    """校验方案包（哈希、列、引用、规则词汇）并显示概要。"""
    from dipdrg.drg.pack import load_pack

    loaded = load_pack(pack)
    console.print(f"{loaded.id} {loaded.version}：校验通过（sha256 {loaded.sha256}）")
    console.print("行为开关：" + "，".join(f"{k}={v}" for k, v in loaded.switches.items()))


@app.command("group")
def group_command(
    workspace: Path = typer.Option(Path("."), "--workspace", "-w", envvar="DIPDRG_WORKSPACE",
                                   help="工作区目录"),
    pack: Path = PackOption,
) -> None:
    """对工作区内全部结算清单进行 DRG 分组（结果写入 drg_case_groups）。"""
    from dipdrg.drg.batch import group_workspace
    from dipdrg.drg.pack import load_pack
    from dipdrg.workspace import open_workspace

    loaded = load_pack(pack)
    with open_workspace(workspace) as ws:
        summary = group_workspace(ws, loaded)
    console.print(f"分组完成（运行 {summary.run_id}）：{_summary_text(summary)}")


@app.command("group-file")
def group_file_command(
    in_path: Path = typer.Argument(..., help="病例文件（CSV/Parquet，参考病例布局或结算清单列名）"),
    pack: Path = PackOption,
    out: Path = typer.Option(..., "--out", "-o", help="输出 CSV：case_id, mdc, adrg, drg, status, reason"),
) -> None:
    """不建工作区，直接对病例文件分组，按输入顺序输出。"""
    from dipdrg.drg.batch import group_file
    from dipdrg.drg.pack import load_pack

    summary = group_file(in_path, load_pack(pack), out)
    console.print(f"已写入 {out}：{_summary_text(summary)}")


@app.command("explain")
def explain_command(
    pack: Path = PackOption,
    pdx: str = typer.Option("", "--pdx", help="主要诊断编码"),
    sdx: list[str] = typer.Option([], "--sdx", help="其他诊断编码（可重复，或用 | 分隔）"),
    proc: list[str] = typer.Option([], "--proc", help="手术操作编码，第一个为主要手术（可重复，或用 | 分隔）"),
    age: Optional[str] = typer.Option(None, "--age", help="年龄（岁）"),
    gender: Optional[str] = typer.Option(None, "--gender", help="性别：1 男，2 女"),
    age_days: Optional[str] = typer.Option(None, "--age-days", help="不足1周岁的年龄（天）"),
    birth_weight: Optional[str] = typer.Option(None, "--birth-weight", help="新生儿出生体重（克）"),
) -> None:
    """单病例分组并解释 MDC → ADRG → DRG 每一步的依据。"""
    from dipdrg.drg.case import case_from_layout
    from dipdrg.drg.explain import explain_case
    from dipdrg.drg.pack import load_pack

    procs = "|".join(proc)
    case = case_from_layout(gender=gender, age=age, age_days=age_days, birth_weight=birth_weight,
                            principal_dx=pdx, secondary_dx="|".join(sdx),
                            principal_proc=procs, other_procs="")
    for line in explain_case(load_pack(pack), case).lines():
        console.print(line, markup=False, highlight=False)


from dipdrg.drg.weights.cli import score_command, weights_command  # noqa: E402

app.command("weights")(weights_command)
app.command("score")(score_command)
