"""The parameter registry, read from ``defaults/*.toml``.

Each parameter is a TOML table named by its dotted key::

    [quality.upload_deadline_days]
    type = "int"            # int | decimal | str | bool | date | choice | list | table
    value = 7               # the national default (decimals are written as strings)
    unit = "天"
    description = "出院后上传结算清单的时限"
    clause = "医保结算清单填写规范（医保办发〔2020〕20号）"
    min = 0                 # optional bounds for int/decimal
    max = 365
    choices = ["a", "b"]    # for type = "choice"
    item = "str"            # element type for type = "list"
    check = "bands"         # for type = "table": a named check in checks.py
    labels = { a = "甲" }   # for type = "choice": Chinese names shown in reports

Adding a parameter is adding a table to a defaults file; no code changes.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

TYPES = {"int", "decimal", "str", "bool", "date", "choice", "list", "table"}


@dataclass(frozen=True)
class Parameter:
    """One policy parameter: its key, type, default and documentation."""

    key: str
    type: str
    default: Any
    unit: str = ""
    description: str = ""
    clause: str = ""
    min: Any = None
    max: Any = None
    choices: tuple[str, ...] = ()
    item: str = "str"
    check: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _flatten(prefix: str, table: dict[str, Any], out: dict[str, Parameter], source: str) -> None:
    if "type" in table and "value" in table and not isinstance(table["type"], dict):
        spec = dict(table)
        if spec["type"] not in TYPES:
            raise ValueError(f"{source}: 参数 {prefix} 的类型 {spec['type']} 未知")
        out[prefix] = Parameter(
            key=prefix,
            type=spec.pop("type"),
            default=spec.pop("value"),
            unit=spec.pop("unit", ""),
            description=spec.pop("description", ""),
            clause=spec.pop("clause", ""),
            min=spec.pop("min", None),
            max=spec.pop("max", None),
            choices=tuple(spec.pop("choices", ())),
            item=spec.pop("item", "str"),
            check=spec.pop("check", None),
            extra=spec,
        )
        return
    for name, value in table.items():
        if not isinstance(value, dict):
            raise ValueError(f"{source}: {prefix}.{name} 不是参数定义表")
        _flatten(f"{prefix}.{name}" if prefix else name, value, out, source)


def choice_label(key: str, value: str) -> str:
    """The Chinese name of a choice value (``labels = {…}`` in the defaults file), else the value."""
    param = parameters().get(key)
    names = param.extra.get("labels", {}) if param else {}
    return str(names.get(value, value))


@lru_cache(maxsize=1)
def parameters() -> dict[str, Parameter]:
    """All known parameters by dotted key, in file order (region first)."""
    out: dict[str, Parameter] = {}
    folder = resources.files("dipdrg.policy").joinpath("defaults")
    files = sorted(
        (f for f in folder.iterdir() if f.name.endswith(".toml")),
        key=lambda f: (f.name != "region.toml", f.name),
    )
    for entry in files:
        _flatten("", tomllib.loads(entry.read_text(encoding="utf-8")), out, entry.name)
    return out
