"""Run the settlement's SQL steps (one ``.sql`` file per step, next to this module).

Steps take named parameters (``$name``); only the names a step uses are bound, so callers can
pass one shared dictionary. Results go to temporary tables (``tmp_settle_*``) that a run then
copies into its run-keyed tables, and that a what-if reads without writing anything.
"""

from __future__ import annotations

from typing import Any

import duckdb

from dipdrg.sqlfiles import run_sql


def step(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None) -> duckdb.DuckDBPyConnection:
    """Execute step ``name`` with the parameters it names; fetch from the returned connection."""
    return run_sql(con, "dipdrg.pay", f"{name}.sql", **(params or {}))


def persist(con: duckdb.DuckDBPyConnection, source: str, table: str, run_id: str) -> int:
    """Copy temporary table ``source`` into run table ``table`` under ``run_id``."""
    columns = [row[0] for row in con.execute(f"DESCRIBE {source}").fetchall()]
    names = ", ".join(columns)
    con.execute(f"INSERT INTO {table} (run_id, {names}) SELECT ?, {names} FROM {source}", [run_id])
    return int(con.execute(f"SELECT COUNT(*) FROM {source}").fetchone()[0])


def drop_temp(con: duckdb.DuckDBPyConnection) -> None:
    """Drop every ``tmp_settle_*`` table so a later computation starts clean."""
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables"
        " WHERE table_name LIKE 'tmp_settle_%' AND table_type = 'LOCAL TEMPORARY'"
    ).fetchall()
    for (name,) in rows:
        con.execute(f"DROP TABLE IF EXISTS {name}")
