"""Load and validate a regional policy file (TOML) over the national defaults.

A regional file names parameters by section and key::

    [region]
    code = "demo"
    [quality]
    upload_deadline_days = 5                                  # plain value
    [dip.catalog]
    threshold = { value = 20, source = "某市医保局〔2025〕12号" }  # value with its local document
    [pay]
    budget_growth = [ { from = 2026-01-01, value = "0.05" },   # a value that changes from a date
                      { from = 2026-07-01, value = "0.06" } ]

Every problem (unknown key, wrong type, out of range) is reported in Chinese, all at once.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from dipdrg.errors import UserError
from dipdrg.hashing import text_sha256
from dipdrg.policy.checks import CHECKS
from dipdrg.policy.registry import Parameter, parameters

TYPE_NAMES = {
    "int": "整数", "decimal": "数值", "str": "文本", "bool": "布尔值（true/false）",
    "date": "日期", "choice": "选项", "list": "列表", "table": "表格",
}


@dataclass(frozen=True)
class Setting:
    """A value in force from a date (``None`` = always), with the document that set it."""

    value: Any
    since: date | None = None
    source: str = ""


def _coerce(param: Parameter, raw: Any, item_type: str | None = None) -> Any:
    """Convert a TOML value to the parameter's Python type or raise ValueError (Chinese)."""
    kind = item_type or param.type
    if kind == "int":
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ValueError(f"应为{TYPE_NAMES['int']}，实际为 {raw!r}")
        return raw
    if kind == "decimal":
        if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
            raise ValueError(f"应为{TYPE_NAMES['decimal']}，实际为 {raw!r}")
        try:
            return Decimal(str(raw))
        except InvalidOperation:
            raise ValueError(f"应为{TYPE_NAMES['decimal']}，实际为 {raw!r}") from None
    if kind == "bool":
        if not isinstance(raw, bool):
            raise ValueError(f"应为{TYPE_NAMES['bool']}，实际为 {raw!r}")
        return raw
    if kind == "date":
        if isinstance(raw, date):
            return raw
        try:
            return date.fromisoformat(str(raw))
        except ValueError:
            raise ValueError(f"应为日期（YYYY-MM-DD），实际为 {raw!r}") from None
    if kind in ("str", "choice"):
        if not isinstance(raw, str):
            raise ValueError(f"应为{TYPE_NAMES['str']}，实际为 {raw!r}")
        if kind == "choice" and raw not in param.choices:
            raise ValueError(f"应为 {'/'.join(param.choices)} 之一，实际为 {raw!r}")
        return raw
    if kind == "list":
        if not isinstance(raw, list):
            raise ValueError(f"应为{TYPE_NAMES['list']}，实际为 {raw!r}")
        return [_coerce(param, x, param.item) for x in raw]
    if kind == "table":
        if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
            raise ValueError("应为表格（由若干 {…} 行组成的数组）")
        problems = CHECKS[param.check](raw) if param.check else []
        if problems:
            raise ValueError("；".join(problems))
        return raw
    raise ValueError(f"未知类型 {kind}")


def _check_range(param: Parameter, value: Any) -> None:
    if param.type == "list" and param.item in ("int", "decimal"):
        for item in value:
            _check_number(param, item)
        return
    if param.type in ("int", "decimal"):
        _check_number(param, value)


def _check_number(param: Parameter, value: Any) -> None:
    low = Decimal(str(param.min)) if param.min is not None else None
    high = Decimal(str(param.max)) if param.max is not None else None
    if low is not None and Decimal(value) < low:
        raise ValueError(f"取值 {value} 小于下限 {param.min}")
    if high is not None and Decimal(value) > high:
        raise ValueError(f"取值 {value} 大于上限 {param.max}")


def _settings(param: Parameter, raw: Any) -> list[Setting]:
    """Parse a plain value, ``{value, source, from}`` or a list of dated settings."""
    entries = raw if (isinstance(raw, list) and raw and isinstance(raw[0], dict)
                      and "value" in raw[0] and param.type != "table") else [raw]
    out = []
    for entry in entries:
        if isinstance(entry, dict) and "value" in entry and param.type != "table":
            unknown = set(entry) - {"value", "source", "from"}
            if unknown:
                raise ValueError(f"不认识的属性 {', '.join(sorted(unknown))}（可用 value/source/from）")
            value, source, since = entry["value"], str(entry.get("source", "")), entry.get("from")
        else:
            value, source, since = entry, "", None
        coerced = _coerce(param, value)
        _check_range(param, coerced)
        since_date = _coerce(param, since, "date") if since is not None else None
        out.append(Setting(coerced, since_date, source))
    return sorted(out, key=lambda s: s.since or date.min)


def _walk(prefix: str, table: dict[str, Any], known: dict[str, Parameter], found: dict, problems: list[str]) -> None:
    for name, raw in table.items():
        key = f"{prefix}.{name}" if prefix else name
        if key in known:
            try:
                found[key] = _settings(known[key], raw)
            except ValueError as exc:
                problems.append(f"参数 {key}：{exc}")
        elif isinstance(raw, dict) and any(k.startswith(key + ".") for k in known):
            _walk(key, raw, known, found, problems)
        else:
            problems.append(f"未知参数 {key}（请对照 dipdrg policy init 生成的模板检查拼写）")


@dataclass
class Policy:
    """The parameters in force for one region: national defaults plus local settings."""

    local: dict[str, list[Setting]] = field(default_factory=dict)
    source_file: str | None = None
    sha256: str = ""

    def get(self, key: str, on: date | None = None) -> Any:
        """The value of ``key`` (on a date, when it changes over the year)."""
        params = parameters()
        if key not in params:
            raise KeyError(f"未知参数 {key}")
        settings = self.local.get(key)
        if not settings:
            return _coerce(params[key], params[key].default)
        chosen = settings[0]
        for setting in settings:
            if setting.since is None or on is None or setting.since <= on:
                chosen = setting
        return chosen.value

    def __getitem__(self, key: str) -> Any:
        return self.get(key)

    def source(self, key: str) -> str:
        """Where the value in force comes from: the local document or the national clause."""
        settings = self.local.get(key)
        if settings:
            return settings[-1].source or f"地方政策文件 {self.source_file or ''}".strip()
        return parameters()[key].clause

    def used(self, prefix: str = "") -> dict[str, Any]:
        """Every value (with its source) under ``prefix``, for recording in a run."""
        out = {}
        for key in parameters():
            if key.startswith(prefix):
                out[key] = {"value": _jsonable(self.get(key)), "source": self.source(key)}
        return out

    def values_hash(self) -> str:
        """sha256 of every value in force: two policies with equal values hash equal."""
        text = json.dumps(self.used(), ensure_ascii=False, sort_keys=True)
        return text_sha256(text)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def _toml_error(exc: tomllib.TOMLDecodeError, file: Path) -> UserError:
    """A Chinese message with the line and column of a TOML syntax error."""
    found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
    detail = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
    if found:
        return UserError(f"TOML 格式错误（第 {found.group(2)} 列附近；解析器提示：{detail}）",
                         file=file, row=int(found.group(1)))
    return UserError(f"TOML 格式错误（解析器提示：{detail}）", file=file)


def load_policy(path: str | Path | None = None) -> Policy:
    """Read a regional policy file; ``None`` gives the national defaults."""
    if path is None:
        return Policy()
    file = Path(path)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise UserError("政策文件不存在", file=file) from None
    except OSError as exc:
        raise UserError(f"无法读取政策文件（{exc.strerror}）", file=file) from exc
    try:
        table = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise UserError("政策文件必须是 UTF-8 编码", file=file) from None
    except tomllib.TOMLDecodeError as exc:
        raise _toml_error(exc, file) from None
    found: dict[str, list[Setting]] = {}
    problems: list[str] = []
    _walk("", table, parameters(), found, problems)
    if problems:
        raise UserError("政策文件有误：\n  " + "\n  ".join(problems), file=file)
    return Policy(found, str(file), hashlib.sha256(data).hexdigest())


def with_overrides(policy: Policy, overrides: dict[str, Any]) -> Policy:
    """A copy of ``policy`` with some values replaced (for what-if), validated like a file.

    ``overrides`` maps dotted keys to raw values (as TOML would give them); every problem is
    reported in Chinese, all at once.
    """
    known = parameters()
    local = dict(policy.local)
    problems: list[str] = []
    for key, raw in overrides.items():
        if key not in known:
            problems.append(f"未知参数 {key}")
            continue
        try:
            local[key] = _settings(known[key], raw)
        except ValueError as exc:
            problems.append(f"参数 {key}：{exc}")
    if problems:
        raise UserError("参数设置有误：\n  " + "\n  ".join(problems))
    changed = json.dumps({k: str(v) for k, v in sorted(overrides.items())}, ensure_ascii=False)
    digest = text_sha256(policy.sha256 + changed)
    return Policy(local, policy.source_file, digest)
