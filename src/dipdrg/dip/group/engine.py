"""Run the set-based grouping steps (``steps/*.sql``) on a DuckDB connection.

The caller provides four relations: ``dipg_in_case(setl_id, age_days, birth_weight)``,
``dipg_in_dx(setl_id, seq, code, raw)``, ``dipg_in_proc(setl_id, seq, code, raw)`` (seq 0 =
principal) and ``dipg_proc_attr(code, category)``. The result is the temp table
``dipg_result(setl_id, group_code, group_type, layer, rule_ref, status, reason, primary_care,
treatment)``. Workspace mode, file mode and the benchmark all go through :func:`run_steps`.
"""

from __future__ import annotations

from importlib import resources

import duckdb

from dipdrg.dip.group.tables import install, needs_dx_keys
from dipdrg.dip.pack.model import Catalog

RESULT = "dipg_result"


def step_files() -> list[tuple[str, str]]:
    folder = resources.files("dipdrg.dip.group").joinpath("steps")
    return sorted((p.name, p.read_text(encoding="utf-8")) for p in folder.iterdir() if p.name.endswith(".sql"))


def run_steps(con: duckdb.DuckDBPyConnection, catalog: Catalog) -> None:
    """Install the catalog tables and run every step in order."""
    install(con, catalog)
    con.execute("CREATE OR REPLACE TEMP TABLE dipg_settings AS SELECT CAST(? AS VARCHAR) AS pack_kind", [catalog.kind])
    skip_dx_keys = not needs_dx_keys(catalog)
    for name, sql in step_files():
        if skip_dx_keys and name.startswith("02_"):  # no rule reads other diagnoses
            con.execute("CREATE OR REPLACE TEMP TABLE dipg_case_dx (setl_id VARCHAR, role VARCHAR, dx_key VARCHAR)")
            continue
        con.execute(sql)


def drop_temps(con: duckdb.DuckDBPyConnection) -> None:
    """Remove the step tables (the connection may live on, e.g. a workspace)."""
    names = [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE temporary AND table_name LIKE 'dipg\\_%' ESCAPE '\\'"
    ).fetchall()]
    for name in names:
        con.execute(f"DROP TABLE IF EXISTS {name}")
    views = [r[0] for r in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE temporary AND view_name LIKE 'dipg\\_%' ESCAPE '\\'"
    ).fetchall()]
    for name in views:
        con.execute(f"DROP VIEW IF EXISTS {name}")
