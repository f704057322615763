"""Accounting shared by the importers: the ``imports`` row and its invariant.

rows_read = loaded + quarantined + duplicates for every imported file; an import that would
break it is an internal error and rolls back. A file whose sha256 is already recorded is
skipped before any write (re-import changes nothing, not even the run log).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from dipdrg.errors import UserError


@dataclass
class ImportResult:
    """The account of one imported file (mirrors its ``imports`` row)."""

    import_id: str
    kind: str
    file: Path
    format: str
    rows_read: int = 0
    loaded: int = 0
    quarantined: int = 0
    duplicates: int = 0
    skipped: bool = False
    encoding: str = "utf-8"
    ignored_columns: list[str] = field(default_factory=list)


def check_file(path: Path) -> None:
    """Missing paths and directories are user errors before anything is opened."""
    if not path.is_file():
        raise UserError("文件不存在" if not path.exists() else "不是文件（可能是目录）", file=path)


def drop_temp(con: duckdb.DuckDBPyConnection) -> None:
    """Drop this import's TEMP views and tables (names start with imp_)."""
    for (name,) in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE temporary AND starts_with(view_name, 'imp_')"
    ).fetchall():
        con.execute(f'DROP VIEW IF EXISTS "{name}"')
    for (name,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE temporary AND starts_with(table_name, 'imp_')"
    ).fetchall():
        con.execute(f'DROP TABLE IF EXISTS "{name}"')


def already_imported(con: duckdb.DuckDBPyConnection, kind: str, sha: str) -> str | None:
    row = con.execute(
        "SELECT import_id FROM imports WHERE kind = ? AND sha256 = ? ORDER BY imported_at LIMIT 1",
        [kind, sha],
    ).fetchone()
    return row[0] if row else None


def count_of(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return int(con.execute(sql).fetchone()[0])


def record_import(con: duckdb.DuckDBPyConnection, result: ImportResult, sha: str) -> None:
    if result.rows_read != result.loaded + result.quarantined + result.duplicates:
        raise RuntimeError(
            f"导入计数不平衡：{result.file} 读入 {result.rows_read} ≠ 载入 {result.loaded} + "
            f"隔离 {result.quarantined} + 重复 {result.duplicates}"
        )
    con.execute(
        "INSERT INTO imports VALUES (?, ?, ?, ?, ?, current_timestamp, ?, ?, ?, ?)",
        [result.import_id, result.kind, str(result.file), sha, result.format,
         result.rows_read, result.loaded, result.quarantined, result.duplicates],
    )
