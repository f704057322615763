"""One fingerprint of the case data a run reads, recorded among the run's input hashes."""

from __future__ import annotations

import json

import duckdb

from dipdrg.hashing import text_sha256


def cases_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """sha256 of what the workspace's cases are made of.

    Cases only enter a workspace through imports and are never changed afterwards, so the
    imported files (their sha256, in import order), the number of cases and their total cost,
    and the code lists they were normalised against identify the case set without hashing
    millions of rows.
    """
    imports = con.execute(
        "SELECT import_id, sha256 FROM imports WHERE kind = 'settlement' ORDER BY import_id"
    ).fetchall()
    count, total = con.execute("SELECT COUNT(*), SUM(medfee_sumamt) FROM cases").fetchone()
    lists = con.execute("SELECT list_id, sha256 FROM code_lists ORDER BY list_id").fetchall()
    text = json.dumps({"imports": imports, "cases": count, "total": str(total), "code_lists": lists},
                      ensure_ascii=False, default=str)
    return text_sha256(text)
