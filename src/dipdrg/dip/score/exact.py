"""Exact decimal division for the DIP SQL steps (see ``exact.sql`` for the method).

DuckDB evaluates ``DECIMAL / DECIMAL`` in DOUBLE; scores, ratios and point values must be
rounded half up from the exact quotient (DESIGN §4.6 "Rounding"), so every step divides with
``dip_div2`` / ``dip_div4`` / ``dip_div12`` installed here as temporary macros.
"""

from __future__ import annotations

from importlib import resources

import duckdb


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Define the temporary division macros on this connection (idempotent)."""
    con.execute(resources.files("dipdrg.dip.score").joinpath("exact.sql").read_text(encoding="utf-8"))
