"""``dipdrg dip build-catalog``: build a local catalog pack from history (mounted on dip/cli.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from dipdrg.console import console, err_console
from dipdrg.errors import UserError


def parse_years(text: str) -> list[int]:
    """``2023,2024,2025`` → [2023, 2024, 2025] (Chinese error on anything else)."""
    try:
        years = [int(part) for part in text.replace("，", ",").split(",") if part.strip()]
    except ValueError:
        raise UserError(f"测算年度应为逗号分隔的年份（如 2023,2024,2025），实际为“{text}”", field="--years") from None
    if not years or any(y < 1990 or y > 2100 for y in years):
        raise UserError(f"测算年度应为逗号分隔的年份（如 2023,2024,2025），实际为“{text}”", field="--years")
    return years


def build_catalog_command(
    workspace: Path = typer.Option(Path("."), "--workspace", "-w", envvar="DIPDRG_WORKSPACE", help="工作区目录"),
    years: str = typer.Option(..., "--years", help="测算使用的历史年度，逗号分隔，如 2023,2024,2025"),
    output: Path = typer.Option(..., "--output", "-o", help="输出的本地病种库目录（须为新目录）"),
    policy: Optional[Path] = typer.Option(None, "--policy", "-p", help="地区政策参数文件（TOML）"),
    previous: Optional[Path] = typer.Option(None, "--previous", help="上一版本地病种库目录，用于对比变化"),
    report: Optional[Path] = typer.Option(None, "--report", help="测算报告 XLSX 文件"),
    pack_id: Optional[str] = typer.Option(None, "--id", help="病种库编号（默认 <地区>-dip-local-<年度>）"),
    version: Optional[str] = typer.Option(None, "--version", help="病种库版本（默认生成时间）"),
    national: Optional[Path] = typer.Option(None, "--national", help="国家分组方案包：测算时套用其不纳入分组诊断、不纳入分组手术清单"),
) -> None:
    """从历史结算清单测算本地病种库：核心与综合病种、分值、等级系数、辅助分型和预算点值。"""
    from dipdrg.dip.catalog.build import BUILD_STEPS, build_catalog
    from dipdrg.dip.pack import load_pack
    from dipdrg.dip.progress import step_bar
    from dipdrg.policy.loader import load_policy
    from dipdrg.workspace import open_workspace

    rules = load_policy(policy)
    base = load_pack(national) if national is not None else None
    with open_workspace(workspace) as ws, step_bar("测算病种库", len(BUILD_STEPS)) as on_step:
        result = build_catalog(ws, parse_years(years), rules, output, previous=previous, report=report,
                               pack_id=pack_id, version=version, national=base, on_step=on_step)
    for warning in result.warnings:
        err_console.print(f"[bold yellow]警告[/]：{warning}", highlight=False)
    console.print(result.figures["summary"])
    console.print(f"病种库已写入 {result.pack_dir}" + (f"；测算报告 {report}" if report else ""))
