"""The ``dipdrg`` command: one sub-command group per layer of the pipeline.

Each layer keeps its commands in its own ``cli.py`` (``dipdrg.codes.cli`` …); this module only
assembles them and turns :class:`~dipdrg.errors.UserError` into a Chinese message and a
non-zero exit instead of a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from dipdrg import __version__
from dipdrg.console import console, err_console
from dipdrg.errors import UserError

app = typer.Typer(
    name="dipdrg",
    help="DIP（按病种分值付费）与 CHS-DRG 分组、测算、结算与监管引擎",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

WorkspaceOption = typer.Option(
    Path("."), "--workspace", "-w", envvar="DIPDRG_WORKSPACE", help="工作区目录"
)


@app.command("init")
def init_command(directory: Path = typer.Argument(..., help="新工作区目录")) -> None:
    """创建工作区（一个 DuckDB 文件）；已存在时打开并按需升级结构。"""
    from dipdrg.workspace import init_workspace

    with init_workspace(directory) as ws:
        console.print(f"工作区已就绪：{ws.path}（结构版本 {ws.schema_version()}）")


@app.command("version")
def version_command() -> None:
    """显示版本。"""
    console.print(f"dipdrg {__version__}")


def _register() -> None:
    """Attach each layer's command group (imported here to keep start-up cheap per layer)."""
    from dipdrg.cases.cli import app as import_app
    from dipdrg.codes.cli import app as codes_app
    from dipdrg.policy.cli import app as policy_app
    from dipdrg.quality.cli import app as quality_app

    app.add_typer(codes_app, name="codes", help="编码标准：加载 ICD-10/ICD-9-CM-3 医保版、映射表，规范化编码")
    app.add_typer(import_app, name="import", help="导入结算清单与医疗机构名录")
    app.add_typer(quality_app, name="quality", help="结算清单质控")
    app.add_typer(policy_app, name="policy", help="地区政策参数文件")
    for module, name, text in (
        ("dipdrg.synth.cli", "synth", "生成合成示范地区数据"),
        ("dipdrg.dip.cli", "dip", "DIP 病种分组、目录测算与分值"),
        ("dipdrg.drg.cli", "drg", "CHS-DRG 分组、权重与支付"),
        ("dipdrg.pay.cli", "settle", "点值、结算、特例单议与清算"),
        ("dipdrg.demo", "demo", "示范：在合成地区上运行完整流程"),
    ):
        try:
            sub = __import__(module, fromlist=["app"]).app
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        if isinstance(sub, typer.Typer):
            app.add_typer(sub, name=name, help=text)
        else:
            app.command(name, help=text)(sub)


_register()


OS_ERRORS_ZH: dict[type, str] = {
    FileNotFoundError: "文件或目录不存在",
    FileExistsError: "已存在同名文件，无法创建目录",
    NotADirectoryError: "路径中有一段不是目录",
    IsADirectoryError: "这是一个目录，不是文件",
    PermissionError: "没有读写权限",
}


def _os_error_zh(exc: OSError) -> str:
    """One Chinese line for a file-system error the user caused (bad output path, no rights …)."""
    reason = next((text for kind, text in OS_ERRORS_ZH.items() if isinstance(exc, kind)), None)
    where = exc.filename or ""
    return f"{reason or '文件读写失败'}：{where}（技术细节：{exc.strerror or exc}）"


def main() -> None:
    """Console entry point: every user or usage error ends in one Chinese line, never a traceback.

    Errors the user can cause are :class:`UserError` (exit 1), usage errors (exit 2) and
    file-system errors such as an unwritable output path (exit 1). Anything else is a defect:
    it is reported in Chinese with exit 3, and the traceback is shown with ``DIPDRG_DEBUG=1``.
    """
    import os

    from typer._click import exceptions as click_errors

    from dipdrg.usage import usage_message_zh

    try:
        code = typer.main.get_command(app).main(standalone_mode=False, prog_name="dipdrg")
    except UserError as exc:
        err_console.print(f"[bold red]错误[/]：{exc.render()}", soft_wrap=True)
        sys.exit(1)
    except click_errors.NoArgsIsHelpError as exc:
        err_console.print(exc.ctx.get_help() if exc.ctx else str(exc))
        sys.exit(0)
    except click_errors.UsageError as exc:
        if exc.ctx is not None:
            err_console.print(exc.ctx.get_usage())
            err_console.print(f"运行 [bold]{exc.ctx.command_path} --help[/] 查看说明。")
        err_console.print(f"[bold red]用法错误[/]：{usage_message_zh(exc)}", soft_wrap=True)
        sys.exit(2)
    except (KeyboardInterrupt, typer.Abort):
        err_console.print("已取消（未完成的运行不会留下结果）")
        sys.exit(130)
    except OSError as exc:
        err_console.print(f"[bold red]错误[/]：{_os_error_zh(exc)}", soft_wrap=True)
        sys.exit(1)
    except Exception as exc:  # a defect: say so in Chinese, keep the traceback for debugging
        if os.environ.get("DIPDRG_DEBUG"):
            raise
        err_console.print(
            f"[bold red]内部错误[/]：{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            "（这是 dipdrg 的缺陷，请连同命令与输入文件报告；设置环境变量 DIPDRG_DEBUG=1 可显示详细信息）",
            soft_wrap=True,
        )
        sys.exit(3)
    sys.exit(code if isinstance(code, int) else 0)
