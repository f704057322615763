"""``dipdrg policy``: write the commented template, check a regional file, show values."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from dipdrg.console import console
from dipdrg.errors import UserError
from dipdrg.policy import load_policy, parameters, render_template

app = typer.Typer(no_args_is_help=True)


@app.command("init")
def init(
    path: Path = typer.Argument(Path("policy.toml"), help="要写出的政策文件"),
    force: bool = typer.Option(False, "--force", help="覆盖已有文件"),
) -> None:
    """写出带注释的政策模板（全部参数取国家默认值）。"""
    if path.exists() and not force:
        raise UserError("文件已存在；如需覆盖请加 --force", file=path)
    path.write_text(render_template(), encoding="utf-8")
    console.print(f"已写出政策模板：{path}（共 {len(parameters())} 个参数）")


@app.command("check")
def check(path: Path = typer.Argument(..., help="地区政策文件")) -> None:
    """校验地区政策文件：未知参数、类型错误、超出范围。"""
    policy = load_policy(path)
    console.print(f"政策文件有效：{path}（本地设定 {len(policy.local)} 项，sha256 {policy.sha256[:12]}）")


@app.command("show")
def show(
    path: Path = typer.Argument(None, help="地区政策文件（缺省为国家默认值）"),
    prefix: str = typer.Option("", "--prefix", help="只显示此前缀下的参数，如 dip."),
) -> None:
    """列出生效的参数值、单位与依据。"""
    policy = load_policy(path)
    table = Table("参数", "取值", "单位", "说明", "依据")
    for key, param in parameters().items():
        if key.startswith(prefix):
            table.add_row(key, str(policy.get(key)), param.unit, param.description, policy.source(key))
    console.print(table)
