"""Chinese messages for command-line usage errors (missing option, bad value, unknown option).

Typer's own messages are English; users of dipdrg read Chinese, so the entry point turns each
usage error into one Chinese line plus the command's usage, and exits with status 2.
"""

from __future__ import annotations

import re

from typer._click import exceptions as click_errors  # Typer vendors its own Click

VALUE_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"Input should be a valid integer.*", "应为整数"),
    (r"Input should be a valid number.*", "应为数值"),
    (r"Input should be a valid boolean.*", "应为布尔值"),
    (r"Input should be a valid date.*", "应为日期（YYYY-MM-DD）"),
    (r"Input should be (.*)", "应为 {0}"),
    (r"'(.*)' is not a valid integer( range)?\.?", "“{0}” 不是有效的整数"),
    (r"'(.*)' is not a valid float( range)?\.?", "“{0}” 不是有效的数值"),
    (r"'(.*)' is not a valid boolean\.?", "“{0}” 不是有效的布尔值"),
    (r"'(.*)' is not one of (.*)\.", "“{0}” 不在可选值 {1} 之中"),
    (r"'(.*)' is not a valid choice.*", "“{0}” 不在可选值之中"),
    (r"Path '(.*)' does not exist\.?", "路径 {0} 不存在"),
    (r"File '(.*)' does not exist\.?", "文件 {0} 不存在"),
    (r"Directory '(.*)' does not exist\.?", "目录 {0} 不存在"),
)


def _hint(error: click_errors.UsageError) -> str:
    hint = getattr(error, "param_hint", None)
    param = getattr(error, "param", None)
    if hint is None and param is not None:
        opts = list(getattr(param, "opts", None) or [])
        is_option = getattr(param, "param_type_name", "") == "option"
        hint = "/".join(opts) if is_option and opts else str(getattr(param, "name", "") or "").upper()
    if isinstance(hint, (list, tuple)):
        hint = " / ".join(hint)
    return str(hint or "").replace("'", "")


def _value_message(text: str) -> str:
    for pattern, template in VALUE_PATTERNS:
        found = re.fullmatch(pattern, text.strip())
        if found:
            return template.format(*found.groups())
    return text


def usage_message_zh(error: click_errors.UsageError) -> str:
    """The Chinese text for one usage error (the original text if it cannot be translated)."""
    try:
        return _translate(error)
    except Exception:  # a translation must never hide the error itself
        return error.format_message()


def _translate(error: click_errors.UsageError) -> str:
    if isinstance(error, click_errors.MissingParameter):
        kind = "参数" if error.param_type == "argument" or (
            error.param is not None and error.param.param_type_name == "argument") else "选项"
        return f"缺少必需的{kind} {_hint(error)}"
    if isinstance(error, click_errors.NoSuchOption):
        text = f"没有选项 {error.option_name}"
        if error.possibilities:
            text += f"（是否想用：{'、'.join(sorted(error.possibilities))}）"
        return text
    if isinstance(error, click_errors.BadParameter):
        return f"{_hint(error)} 的取值无效：{_value_message(error.message)}"
    found = re.fullmatch(r"No such command '(.*)'\.?", error.message or "")
    if found:
        return f"没有命令 {found.group(1)}"
    found = re.fullmatch(r"Got unexpected extra arguments? \((.*)\)", error.message or "")
    if found:
        return f"多余的参数：{found.group(1)}"
    found = re.fullmatch(r"Option '(.*)' requires an argument\.?", error.message or "")
    if found:
        return f"选项 {found.group(1)} 需要一个值"
    return error.message or str(error)
