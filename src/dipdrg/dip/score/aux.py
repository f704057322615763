"""Auxiliary subtypes of cases (辅助分型, DESIGN §4.3), shared by the catalog build and scoring.

The subtype definitions live once, in ``aux_subtypes.sql``; the severity list of secondary
diagnoses (重度 / 中度) is the project-written data file ``severity_dx.csv``.
"""

from __future__ import annotations

import csv
from importlib import resources

import duckdb

from dipdrg.sqlfiles import run_sql


def load_severity_list(con: duckdb.DuckDBPyConnection) -> None:
    """Load the packaged 重度/中度 secondary-diagnosis list into ``aux_severity_dx``."""
    text = resources.files("dipdrg.dip.score").joinpath("severity_dx.csv").read_text(encoding="utf-8")
    rows = [(r["prefix"], r["level"]) for r in csv.DictReader(text.splitlines())]
    con.execute("CREATE OR REPLACE TEMP TABLE aux_severity_dx (prefix VARCHAR, level VARCHAR)")
    con.executemany("INSERT INTO aux_severity_dx VALUES (?, ?)", rows)


def case_subtypes(con: duckdb.DuckDBPyConnection, scope_sql: str, severity_los_days: int) -> None:
    """Create ``aux_case_subtypes`` for the cases selected by ``scope_sql`` (a SELECT of setl_id)."""
    con.execute(f"CREATE OR REPLACE TEMP VIEW aux_scope AS {scope_sql}")
    load_severity_list(con)
    run_sql(con, "dipdrg.dip.score", "aux_subtypes.sql", severity_los_days=severity_los_days)
