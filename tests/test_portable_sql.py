"""Every batch SQL step must stay portable: it transpiles from DuckDB to Spark SQL.

This is the guard for the "set-based and portable" rule: a step that uses a construct
SQLGlot cannot express in Spark fails here, naming the file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlglot
from sqlglot.errors import ErrorLevel

SOURCE = Path(__file__).resolve().parents[1] / "src" / "dipdrg"
STEPS = sorted(p for p in SOURCE.rglob("*.sql") if "migrations" not in p.parts)


def test_there_are_sql_steps() -> None:
    assert STEPS, "no .sql step files found under src/dipdrg"


@pytest.mark.parametrize("path", STEPS, ids=lambda p: str(p.relative_to(SOURCE)))
def test_step_transpiles_to_spark(path: Path) -> None:
    # a few steps take a table name as a Python placeholder ({name} or {{name}})
    text = re.sub(r"\{\{?(\w+)\}?\}", r"\1", path.read_text(encoding="utf-8"))
    statements = [s for s in sqlglot.parse(text, read="duckdb") if s is not None]
    assert statements, f"{path} holds no SQL statement"
    for statement in statements:
        spark = statement.sql(dialect="spark", unsupported_level=ErrorLevel.RAISE)
        assert spark.strip()
