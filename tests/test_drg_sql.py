"""The grouper's SQL steps stay in the portable subset: they transpile to Spark and PostgreSQL."""

from __future__ import annotations

from importlib import resources

import pytest
import sqlglot

STEPS = sorted(p.name for p in resources.files("dipdrg.drg").joinpath("sql").iterdir()
               if p.name.endswith(".sql"))


def test_every_step_has_a_header_comment():
    assert len(STEPS) >= 9
    for name in STEPS:
        text = resources.files("dipdrg.drg").joinpath("sql", name).read_text(encoding="utf-8")
        assert text.startswith("-- "), name


@pytest.mark.parametrize("dialect", ["spark", "postgres"])
@pytest.mark.parametrize("name", STEPS)
def test_step_transpiles(name, dialect):
    text = resources.files("dipdrg.drg").joinpath("sql", name).read_text(encoding="utf-8")
    out = sqlglot.transpile(text, read="duckdb", write=dialect,
                            unsupported_level=sqlglot.ErrorLevel.RAISE)
    assert out and all(statement.strip() for statement in out)
