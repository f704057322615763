"""SQL files shipped inside the package: read them and run them with named parameters.

Each layer keeps its ``.sql`` files beside the Python that runs them (one step per file). A
step names its inputs as ``$name`` parameters; :func:`run_sql` binds to each statement only the
names it uses, so a caller may pass one shared set of values, and a name the file uses but the
caller did not give is a programming error (``KeyError``), never a silent NULL. A file may hold
several statements; DuckDB binds parameters to one statement at a time, so such a file is
split with DuckDB's own parser (string literals and comments containing ``;`` stay intact).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping

import duckdb

_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@lru_cache(maxsize=None)
def sql_text(package: str, name: str) -> str:
    """The text of ``name`` (a path such as ``sql/step.sql``) in ``package``; cached, as package
    data does not change while the program runs."""
    return resources.files(package).joinpath(*name.split("/")).read_text(encoding="utf-8")


def sql_folder(package: str, folder: str) -> list[tuple[str, str]]:
    """(file name, text) of every ``.sql`` file in ``package/folder``, sorted by name: the order
    of numbered steps."""
    directory = resources.files(package).joinpath(*folder.split("/"))
    return sorted((entry.name, entry.read_text(encoding="utf-8"))
                  for entry in directory.iterdir() if entry.name.endswith(".sql"))


def strip_comments(sql: str) -> str:
    """SQL without ``--`` comments (the project's SQL puts no ``--`` inside string literals)."""
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines())


def sql_parameters(sql: str) -> set[str]:
    """Names of the ``$name`` parameters ``sql`` uses outside comments."""
    return set(_PARAMETER.findall(strip_comments(sql)))


def execute(con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any] | None = None,
            label: str = "SQL") -> duckdb.DuckDBPyConnection:
    """Run ``sql`` (one or more statements) with the ``$name`` values it uses from ``params``;
    return the connection, positioned on the result of the last statement."""
    params = params or {}
    wanted = sql_parameters(sql)
    missing = wanted - params.keys()
    if missing:
        raise KeyError(f"{label} 缺少参数：{', '.join(sorted(missing))}")
    if not wanted:
        return con.execute(sql)
    result = con
    for statement in con.extract_statements(sql):
        used = sql_parameters(statement.query)
        result = con.execute(statement.query, {k: params[k] for k in used} if used else None)
    return result


def run_sql(con: duckdb.DuckDBPyConnection, package: str, name: str, /,
            **params: Any) -> duckdb.DuckDBPyConnection:
    """Run the packaged file ``package/name`` (see :func:`execute`); ``params`` are its ``$name``
    values (extra ones are ignored)."""
    return execute(con, sql_text(package, name), params, f"SQL 文件 {package}/{name}")
