"""Run one SQL step file of a package, binding only the ``$name`` parameters it uses.

Steps are plain ``.sql`` files beside the Python that runs them (one rule per file, with the
clause in its header); keeping the binding here lets every step name its parameters freely.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import duckdb

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@lru_cache(maxsize=None)
def step_text(package: str, name: str) -> str:
    """The SQL text of a step (cached: steps are package data)."""
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


def run_step(con: duckdb.DuckDBPyConnection, package: str, name: str, **params: Any) -> None:
    """Execute ``package/name`` with the named parameters it references (missing ones fail)."""
    sql = step_text(package, name)
    code = "\n".join(line.split("--", 1)[0] for line in sql.splitlines())
    wanted = set(_PARAM.findall(code))
    missing = wanted - params.keys()
    if missing:
        raise KeyError(f"{name}: missing SQL parameters {sorted(missing)}")
    con.execute(sql, {k: params[k] for k in wanted} if wanted else None)
