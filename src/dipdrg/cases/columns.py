"""Map a file's column headers to the canonical field names of ``fields.py``.

Headers arrive as English interface names, Chinese labels, with stray spaces or full-width
parentheses (``年龄（岁）``); list columns come joined (``其他诊断编码``) or numbered
(``其他诊断编码1..N``). Matching is on a normalised form so that every such spelling of one
label is the same column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from dipdrg.cases.fields import Field
from dipdrg.errors import UserError


def normalise_label(name: str) -> str:
    """NFKC (full-width → ASCII), no whitespace at all, ASCII lower case."""
    text = unicodedata.normalize("NFKC", str(name))
    return re.sub(r"\s+", "", text).lower()


@dataclass
class ColumnMap:
    """Which source column feeds which canonical field (names are the file's own)."""

    scalars: dict[str, str] = field(default_factory=dict)          # canonical -> source column
    joined: dict[str, str] = field(default_factory=dict)           # list key -> source column
    numbered: dict[str, list[str]] = field(default_factory=dict)   # list key -> columns by number
    ignored: list[str] = field(default_factory=list)

    def has(self, name: str) -> bool:
        return name in self.scalars or name in self.joined or name in self.numbered


def _lookup(fields: tuple[Field, ...], lists: dict[str, tuple[str, ...]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for f in fields:
        for label in (f.name, *f.labels):
            table.setdefault(normalise_label(label), f.name)
    for key, labels in lists.items():
        for label in (key, *labels):
            table.setdefault(normalise_label(label), key)
    return table


def map_columns(
    columns: list[str],
    fields: tuple[Field, ...],
    *,
    file: Path | str,
    lists: dict[str, tuple[str, ...]] | None = None,
    numbered: dict[str, tuple[str, ...]] | None = None,
) -> ColumnMap:
    """Assign every header to a field, a list or ``ignored``; refuse ambiguous headers."""
    lists = lists or {}
    numbered = numbered or {}
    scalar_names = {f.name for f in fields}
    lookup = _lookup(fields, lists)
    prefixes = sorted(
        ((normalise_label(p), key) for key, ps in numbered.items() for p in ps),
        key=lambda pair: -len(pair[0]),
    )
    result = ColumnMap()
    seen: dict[str, str] = {}
    numbers: dict[str, dict[int, str]] = {}

    def claim(target: str, column: str) -> None:
        if target in seen:
            raise UserError(
                f"列“{seen[target]}”与列“{column}”都对应字段 {target}，无法确定使用哪一列",
                file=file,
                field=column,
            )
        seen[target] = column

    for column in columns:
        label = normalise_label(column)
        target = lookup.get(label)
        if target is not None:
            claim(target, column)
            (result.scalars if target in scalar_names else result.joined)[target] = column
            continue
        for prefix, key in prefixes:
            match = re.fullmatch(re.escape(prefix) + r"_?(\d+)", label)
            if match:
                slot = numbers.setdefault(key, {})
                n = int(match.group(1))
                claim(f"{key}[{n}]", column)
                slot[n] = column
                break
        else:
            result.ignored.append(column)
    for key, slot in numbers.items():
        if key in result.joined:
            raise UserError(
                f"列表字段 {key} 同时以合并列“{result.joined[key]}”和编号列给出，请只保留一种",
                file=file,
                field=key,
            )
        result.numbered[key] = [slot[n] for n in sorted(slot)]
    return result


def require_columns(
    cmap: ColumnMap, names: list[str], *, file: Path | str, labels: dict[str, str]
) -> None:
    """Raise one Chinese error listing the required columns the file lacks."""
    missing = [n for n in names if not cmap.has(n)]
    if missing:
        shown = "、".join(f"{n}（{labels.get(n, n)}）" for n in missing)
        raise UserError(f"缺少必需的列：{shown}", file=file, field=missing[0])
