"""Moving Arrow tables built in Python (per-case results, spreadsheet rows) into DuckDB."""

from __future__ import annotations

import duckdb
import pyarrow as pa


def temp_table_from_arrow(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    """Copy ``table`` into the TEMP table ``name`` (replacing it).

    The Arrow data is registered only for the copy, so later steps read a real DuckDB table
    that lives as long as the connection, not a view over Python memory.
    """
    view = f"_{name}_arrow"
    con.register(view, table)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {view}")
    finally:
        con.unregister(view)
