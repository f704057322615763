"""Exact decimal division for the DIP SQL steps (see ``exact.sql`` for the method).

DuckDB evaluates ``DECIMAL / DECIMAL`` in DOUBLE; scores, ratios and point values must be
rounded half up from the exact quotient (DESIGN §4.6 "Rounding"), so every step divides with
``dip_div4`` / ``dip_qint`` / ``dip_div4_int``, installed here as temporary macros together with
the outlier rules of ``outlier.sql`` (shared by DIP case scores and DRG case units).
"""

from __future__ import annotations

import duckdb

from dipdrg.sqlfiles import run_sql


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Define the temporary division macros on this connection (idempotent)."""
    for name in ("exact.sql", "outlier.sql"):
        run_sql(con, "dipdrg.dip.score", name)
