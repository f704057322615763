"""The set-based code path used by importers: one normalised row per DISTINCT raw value.

Millions of case rows carry only a few thousand distinct raw codes, so the batch path
normalises those distinct values with the same :func:`~dipdrg.codes.normalise.normalise` as
the per-case path, hands the result to DuckDB as an Arrow table, and the importer joins it.
"""

from __future__ import annotations

import re

import duckdb
import pyarrow as pa

from dipdrg.arrow import temp_table_from_arrow
from dipdrg.codes.index import CodeIndex
from dipdrg.codes.normalise import KINDS, dip_keys, normalise

__all__ = ["build_code_map", "dip_keys"]

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
COLUMNS = ("raw", "code", "status", "message", "key3", "key4")


def build_code_map(con: duckdb.DuckDBPyConnection, kind: str, raw_values_sql: str, table: str) -> None:
    """Create or replace TEMP ``table(raw, code, status, message, key3, key4)``.

    ``raw_values_sql`` is a SELECT returning one VARCHAR column of raw codes (NULLs and
    repeats allowed); the table gets one row per distinct non-null value, normalised against
    the code lists loaded in the same connection (status ``unchecked`` when none is loaded).
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    if not _IDENTIFIER.fullmatch(table):
        raise ValueError(f"not a plain table name: {table!r}")
    select = raw_values_sql.strip().rstrip(";")
    raws = [
        r[0]
        for r in con.execute(
            f"SELECT DISTINCT CAST(raw AS VARCHAR) FROM ({select}) AS v(raw) WHERE raw IS NOT NULL"
        ).fetchall()
    ]
    index = CodeIndex.from_connection(con).get(kind)
    results = [normalise(raw, kind, index) for raw in raws]
    arrow = pa.table(
        {name: pa.array([getattr(r, name) for r in results], pa.string()) for name in COLUMNS}
    )
    temp_table_from_arrow(con, table, arrow)
