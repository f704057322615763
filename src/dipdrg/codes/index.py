"""In-memory code index for the per-case path and for normalising distinct raw values.

Built from a workspace connection (or from files through an in-memory workspace), it holds per
kind the set of listed codes, a sorted tuple for heading (prefix) look-ups, the dagger part of
every dagger/asterisk pair, the 国临版→医保版 crosswalk and the procedure attributes.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from dipdrg.codes.normalise import KINDS, Normalised, normalise, written_form


@dataclass(frozen=True)
class KindIndex:
    """Everything the normaliser needs for one kind (diagnosis or procedure)."""

    kind: str
    codes: frozenset[str]
    ordered: tuple[str, ...]
    pairs: dict[str, list[str]]  # dagger part -> listed pairs with that dagger part
    crosswalk: dict[str, str]  # 国临版 source -> 医保版 target
    categories: dict[str, str] = field(default_factory=dict)  # procedure -> 手术/介入治疗/...

    @classmethod
    def build(
        cls, kind: str, codes: list[str], crosswalk: dict[str, str], categories: dict[str, str]
    ) -> "KindIndex":
        pairs: dict[str, list[str]] = {}
        for code in codes:
            if "+" in code:
                pairs.setdefault(code.split("+", 1)[0], []).append(code)
        for listed in pairs.values():
            listed.sort()
        # crosswalk sources are looked up by their repaired writing, as inputs are; two
        # sources that read alike but map apart are dropped rather than guessed between
        keyed: dict[str, str] = {}
        clashing: set[str] = set()
        for source, target in crosswalk.items():
            key = written_form(source, kind)
            if keyed.setdefault(key, target) != target:
                clashing.add(key)
        for key in clashing:
            del keyed[key]
        return cls(kind, frozenset(codes), tuple(sorted(codes)), pairs, keyed, categories)

    def children(self, prefix: str) -> list[str]:
        """Listed codes that strictly extend ``prefix`` (a heading has at least one)."""
        start = bisect_left(self.ordered, prefix)
        end = bisect_left(self.ordered, prefix + "\U0010ffff", start)
        return [code for code in self.ordered[start:end] if code != prefix]


@dataclass(frozen=True)
class CodeIndex:
    """The loaded code standards; a kind with no list loaded maps to None."""

    kinds: dict[str, KindIndex | None]

    def get(self, kind: str) -> KindIndex | None:
        return self.kinds.get(kind)

    def normalise(self, raw: str | None, kind: str) -> Normalised:
        """Normalise one code against this index (status ``unchecked`` when no list is loaded)."""
        return normalise(raw, kind, self.kinds.get(kind))

    def category(self, code: str) -> str | None:
        """Procedure attribute (手术/介入治疗/治疗性操作/诊断性操作), None when not known."""
        procedures = self.kinds.get("procedure")
        return procedures.categories.get(code) if procedures else None

    @classmethod
    def from_connection(cls, con: duckdb.DuckDBPyConnection) -> "CodeIndex":
        kinds: dict[str, KindIndex | None] = {}
        for kind in KINDS:
            kinds[kind] = _kind_from_connection(con, kind)
        return cls(kinds)

    @classmethod
    def from_workspace(cls, ws) -> "CodeIndex":
        return cls.from_connection(ws.con)

    @classmethod
    def from_files(cls, **files: Path | str | None) -> "CodeIndex":
        """Load files (keywords as :func:`dipdrg.codes.lists.load_files`) into a scratch workspace."""
        from dipdrg.codes.lists import load_files, scratch_workspace

        with scratch_workspace() as ws:
            load_files(ws, **files)
            return cls.from_workspace(ws)


def _kind_from_connection(con: duckdb.DuckDBPyConnection, kind: str) -> KindIndex | None:
    rows = con.execute(
        "SELECT code, category FROM codes WHERE kind = ?", [kind]
    ).fetchall()
    if not rows:
        return None
    codes = [code for code, _ in rows]
    categories = {code: category for code, category in rows if category is not None}
    crosswalk = dict(
        con.execute(
            "SELECT source_code, target_code FROM code_crosswalk WHERE kind = ?", [kind]
        ).fetchall()
    )
    return KindIndex.build(kind, codes, crosswalk, categories)
