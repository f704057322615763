"""Open, create and migrate a workspace.

A workspace is a directory with one DuckDB file (``dipdrg.duckdb``). Its schema is the
ordered list of SQL files in ``migrations/`` (``NNNN_name.sql``); the number of the last one
applied is the schema version. Opening an older workspace applies the missing migrations in
one transaction; opening a newer one is refused with a message saying to upgrade dipdrg.
"""

from __future__ import annotations

import json
import uuid
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator

import duckdb

from dipdrg.errors import UserError, detail
from dipdrg.sqlfiles import sql_folder

DB_FILE = "dipdrg.duckdb"


def _migrations() -> list[tuple[int, str, str]]:
    """(number, name, sql) of every packaged migration, in order."""
    return sorted((int(name[:4]), name, sql) for name, sql in sql_folder("dipdrg.workspace", "migrations")
                  if name[:4].isdigit())


SCHEMA_VERSION = _migrations()[-1][0]


class Workspace:
    """A connection to a workspace's DuckDB file plus helpers for atomic work."""

    def __init__(self, path: Path, con: duckdb.DuckDBPyConnection) -> None:
        self.path = path
        self.con = con

    # -- schema -------------------------------------------------------------------------
    def schema_version(self) -> int:
        row = self.con.execute(
            "SELECT value FROM dipdrg_meta WHERE key = 'schema_version'"
        ).fetchone()
        return int(row[0]) if row else 0

    def _migrate(self) -> list[str]:
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise UserError(
                f"工作区的结构版本为 {current}，高于本程序支持的 {SCHEMA_VERSION}；"
                "请升级 dipdrg（pip install -U dipdrg）后再打开",
                file=self.path,
            )
        applied = []
        pending = [m for m in _migrations() if m[0] > current]
        if not pending:
            return applied
        with self.transaction():
            for number, name, sql in pending:
                self.con.execute(sql)
                applied.append(name)
                self.con.execute(
                    "INSERT OR REPLACE INTO dipdrg_meta VALUES ('schema_version', ?)",
                    [str(number)],
                )
        return applied

    # -- transactions and runs ----------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All-or-nothing block: on any exception the workspace is left as before."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        else:
            self.con.execute("COMMIT")

    @contextmanager
    def run(
        self,
        kind: str,
        inputs: dict[str, str] | None = None,
        parameters: dict[str, Any] | None = None,
    ) -> Iterator[str]:
        """Record a run (its input hashes and parameters) and do its work atomically.

        Yields the run id. The run row and everything written inside the block are
        committed together; a failure leaves no trace, not even the run row.
        """
        run_id = f"{kind}-{datetime.now().strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
        with self.transaction() as con:
            con.execute(
                "INSERT INTO runs (run_id, kind, started_at, inputs, parameters)"
                " VALUES (?, ?, current_timestamp, ?, ?)",
                [
                    run_id,
                    kind,
                    json.dumps(inputs or {}, ensure_ascii=False, sort_keys=True),
                    json.dumps(parameters or {}, ensure_ascii=False, sort_keys=True, default=str),
                ],
            )
            yield run_id
            con.execute(
                "UPDATE runs SET finished_at = current_timestamp WHERE run_id = ?", [run_id]
            )

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def init_workspace(path: str | Path) -> Workspace:
    """Create a new workspace directory (or open the existing one unchanged)."""
    directory = Path(path)
    directory.mkdir(parents=True, exist_ok=True)
    return open_workspace(directory, create=True)


def open_workspace(path: str | Path, *, create: bool = False) -> Workspace:
    """Open a workspace, migrating an older schema; refuse a missing one unless ``create``."""
    directory = Path(path)
    db_path = directory / DB_FILE
    if not db_path.exists() and not create:
        raise UserError(
            f"找不到工作区（缺少 {DB_FILE}）；请先运行 dipdrg init {directory}", file=directory
        )
    try:
        con = duckdb.connect(str(db_path))
    except duckdb.Error as exc:  # locked by another process, corrupt file, ...
        raise UserError(f"无法打开工作区数据库（{detail(exc)}）", file=db_path) from exc
    con.execute("SET enable_progress_bar = false")  # our own Rich bars report progress
    con.execute(
        "CREATE TABLE IF NOT EXISTS dipdrg_meta (key VARCHAR PRIMARY KEY, value VARCHAR)"
    )
    ws = Workspace(directory, con)
    ws._migrate()
    return ws
