"""``dipdrg dip score``: case scores of a grouping run against a local catalog (mounted on dip/cli.py)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Optional

import typer

from dipdrg.console import console
from dipdrg.errors import UserError

OUTLIER_NAMES = {"low": "费用极低", "high": "费用极高", "review": "特例单议候选"}


def score_command(
    workspace: Path = typer.Option(Path("."), "--workspace", "-w", envvar="DIPDRG_WORKSPACE", help="工作区目录"),
    catalog: Path = typer.Option(..., "--catalog", "-c", help="本地病种库目录（dip build-catalog 的输出）"),
    group_run: Optional[str] = typer.Option(None, "--group-run", help="分组运行编号（默认最近一次 DIP 分组）"),
    policy: Optional[Path] = typer.Option(None, "--policy", "-p", help="地区政策参数文件（TOML）"),
    point_value: Optional[str] = typer.Option(None, "--point-value", help="点值（元/分，默认取病种库的预算点值）"),
) -> None:
    """计算病例分值：病种分值 × 等级系数 × 辅助分型系数，并按政策识别费用极低、极高病例。"""
    from dipdrg.dip.progress import step_bar
    from dipdrg.dip.score.score import SCORE_STEPS, score_cases
    from dipdrg.policy.loader import load_policy
    from dipdrg.workspace import open_workspace

    value = None
    if point_value is not None:
        try:
            value = Decimal(point_value)
        except InvalidOperation:
            raise UserError(f"点值应为数值，实际为“{point_value}”", field="--point-value") from None
        if not value.is_finite() or value <= 0:
            raise UserError(f"点值应为正数，实际为“{point_value}”", field="--point-value")
    rules = load_policy(policy)
    with open_workspace(workspace) as ws, step_bar("计算病例分值", len(SCORE_STEPS)) as on_step:
        result = score_cases(ws, catalog, rules, group_run=group_run, point_value=value, on_step=on_step)
    console.print(f"分值计算完成（运行 {result.run_id}，分组运行 {result.group_run_id}）")
    console.print(f"  病例 {result.cases:,} 例，入组 {result.grouped:,} 例，未入组 {result.cases - result.grouped:,} 例（不属 DIP 付费）")
    console.print(f"  点值 {result.point_value} 元/分；总分值 {result.total_score:,}")
    for key, name in OUTLIER_NAMES.items():
        if result.outliers.get(key):
            console.print(f"  {name} {result.outliers[key]:,} 例")
    if result.level_missing:
        console.print(f"[yellow]注意[/]：{result.level_missing:,} 例的医院等级在病种库中没有等级系数，按 1 计算")
