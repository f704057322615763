"""Run the import's SQL steps (``sql/*.sql``), filling ``{{placeholders}}`` generated from
the field registry (column lists, typing expressions); one file = one step."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import duckdb

from dipdrg.sqlfiles import sql_text


def load_sql(name: str, **values: str) -> str:
    """The text of step ``name`` with every ``{{key}}`` replaced; a missing value is a bug."""
    text = sql_text("dipdrg.cases", f"sql/{name}.sql")
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    if "{{" in text:
        start = text.index("{{")
        raise KeyError(f"step {name}: no value for {text[start:text.index('}}', start) + 2]}")
    return text


def run_step(con: duckdb.DuckDBPyConnection, name: str, **values: str) -> None:
    """Execute one step (it may hold several statements; values are SQL text, not parameters)."""
    con.execute(load_sql(name, **values))


@contextmanager
def unordered_inserts(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Let bulk INSERTs into the workspace tables run on all threads.

    Stored rows carry source_row and are always read with ORDER BY or by key, so their physical
    order does not matter; keeping it would serialise the write. Reading a file still keeps
    insertion order (the CSV reader numbers rows by it), hence the setting is restored after.
    """
    (previous,) = con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()
    con.execute("SET preserve_insertion_order = false")
    try:
        yield
    finally:
        con.execute(f"SET preserve_insertion_order = {'true' if previous else 'false'}")
