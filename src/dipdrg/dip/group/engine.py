"""Run the set-based grouping steps (``steps/*.sql``) on a DuckDB connection.

The caller provides four relations: ``dipg_in_case(setl_id, age_days, birth_weight)``,
``dipg_in_dx(setl_id, seq, code, raw)``, ``dipg_in_proc(setl_id, seq, code, raw)`` (seq 0 =
principal) and ``dipg_proc_attr(code, category)``. The result is the temp table
``dipg_result(setl_id, group_code, group_type, layer, rule_ref, status, reason, primary_care,
treatment)``. Workspace mode, file mode and the benchmark all go through :func:`run_steps`.
"""

from __future__ import annotations

import duckdb

from dipdrg.dip.group.tables import install, needs_dx_keys
from dipdrg.dip.pack.model import Catalog
from dipdrg.dip.progress import OnStep, no_steps
from dipdrg.sqlfiles import sql_folder

RESULT = "dipg_result"
STEP_NAMES = {
    "01": "主要诊断", "02": "诊断键", "03": "有效手术操作", "04": "病例要素", "05": "候选病种",
    "06": "匹配规则", "07": "选定核心病种", "08": "分组结果",
}


def step_files() -> list[tuple[str, str]]:
    """(name, SQL) of the grouping steps, in order."""
    return sql_folder("dipdrg.dip.group", "steps")


def run_named_steps(con: duckdb.DuckDBPyConnection, catalog: Catalog, prefixes: tuple[str, ...]) -> None:
    """Install ``catalog`` and run only the steps whose file names start with ``prefixes``.

    The catalog build uses this to apply a national pack's exclusion lists to the history
    with the grouper's own steps (01 principal dx, 03 effective procedures, 04 case facts),
    so the exclusion rules exist once. The caller provides the ``dipg_in_*`` relations.
    """
    install(con, catalog)
    for name, sql in step_files():
        if name.startswith(prefixes):
            con.execute(sql)


def run_steps(con: duckdb.DuckDBPyConnection, catalog: Catalog, on_step: OnStep = no_steps) -> None:
    """Install the catalog tables and run every step in order (``on_step`` names each one)."""
    install(con, catalog)
    con.execute("CREATE OR REPLACE TEMP TABLE dipg_settings AS SELECT CAST(? AS VARCHAR) AS pack_kind", [catalog.kind])
    skip_dx_keys = not needs_dx_keys(catalog)
    for name, sql in step_files():
        on_step(STEP_NAMES.get(name[:2], name))
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
