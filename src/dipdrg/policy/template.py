"""Write a commented policy template: every parameter, its default, unit and clause."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from dipdrg.policy.registry import parameters


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, Decimal):
        return f'"{value}"'
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            rows = ",\n  ".join(
                "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in row.items()) + " }"
                for row in value
            )
            return "[\n  " + rows + ",\n]"
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def render_template() -> str:
    """The template text: values are the national defaults, each with its documentation."""
    lines = [
        "# dipdrg 地区政策文件（TOML）。未写出的参数取国家默认值。",
        "# 每个参数可写成：键 = 值；或 键 = { value = 值, source = \"本地文件文号\" }；",
        "# 年内调整的参数可写成：键 = [ { from = 2026-07-01, value = 值 }, ... ]。",
        "",
    ]
    section = None
    for key, param in parameters().items():
        head, _, name = key.rpartition(".")
        if head != section:
            section = head
            lines += ["", f"[{head}]"]
        lines.append(f"# {param.description}")
        facts = []
        if param.unit:
            facts.append(f"单位：{param.unit}")
        if param.choices:
            names = param.extra.get("labels", {})
            facts.append("可选：" + " / ".join(f"{c}（{names[c]}）" if c in names else c for c in param.choices))
        if param.min is not None or param.max is not None:
            facts.append(f"范围：{param.min if param.min is not None else '-∞'} ~ {param.max if param.max is not None else '+∞'}")
        if param.clause:
            facts.append(f"依据：{param.clause}")
        if facts:
            lines.append("# " + "；".join(facts))
        lines.append(f"{name} = {_toml_value(param.default)}")
    return "\n".join(lines) + "\n"
