"""Run the import's SQL steps (``sql/*.sql``), filling ``{{placeholders}}`` generated from
the field registry (column lists, typing expressions); one file = one step."""

from __future__ import annotations

from importlib import resources

import duckdb


def load_sql(name: str, **values: str) -> str:
    """The text of step ``name`` with every ``{{key}}`` replaced; a missing value is a bug."""
    text = resources.files("dipdrg.cases").joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    if "{{" in text:
        start = text.index("{{")
        raise KeyError(f"step {name}: no value for {text[start:text.index('}}', start) + 2]}")
    return text


def run_step(con: duckdb.DuckDBPyConnection, name: str, **values: str) -> None:
    """Execute one step (it may hold several statements)."""
    con.execute(load_sql(name, **values))
