"""Run the settlement's SQL steps (one ``.sql`` file per step, next to this module).

Steps take named parameters (``$name``); only the names a step uses are bound, so callers can
pass one shared dictionary. Results go to temporary tables (``tmp_settle_*``) that a run then
copies into its run-keyed tables, and that a what-if reads without writing anything.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import duckdb

_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")


@lru_cache(maxsize=None)
def _sql(name: str) -> str:
    return resources.files("dipdrg.pay").joinpath(f"{name}.sql").read_text(encoding="utf-8")


def step(
    con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None
) -> duckdb.DuckDBPyConnection:
    """Execute step ``name`` (one statement) with the parameters it names; fetch from the result."""
    sql = _sql(name)
    wanted = set(_PARAM.findall(_strip_comments(sql)))
    missing = wanted - set(params or {})
    if missing:
        raise KeyError(f"SQL 步骤 {name} 缺少参数：{', '.join(sorted(missing))}")
    return con.execute(sql, {k: v for k, v in (params or {}).items() if k in wanted} or None)


def _strip_comments(sql: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines())


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
