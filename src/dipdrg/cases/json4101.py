"""Nested JSON in the shape of the national upload interface 4101 (结算清单信息上传).

One record per settlement: ``{"setlinfo": {...}, "diseinfo": [...], "oprninfo": [...],
"iteminfo": [{"med_chrgitm": "01", "amt": ...}], "icuinfo": [...]}``, optionally wrapped in
the request envelope ``{"input": {...}}``; a record without ``setlinfo`` is read as a flat
settlement row. The file is a JSON array or JSON lines. Flattening is set-based (DuckDB JSON
functions and UNNEST); nothing loops over records in Python.

Produces ``<table>`` (source_row + one VARCHAR column per setlinfo key + ``fee_*`` from
iteminfo + ICU total from icuinfo), ``<table>_dx`` and ``<table>_op`` (source_row, item_no +
one column per key of the list items) and ``<table>_rejects`` for lines that are not JSON.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from dipdrg.cases.fields import FEE_ITEMS
from dipdrg.cases.readers import Source, quote_ident, sql_literal
from dipdrg.errors import UserError, detail


def _load_records(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> None:
    """``<table>_obj(source_row, rec JSON)`` plus rejects for lines that are not valid JSON."""
    head = path.open("rb").read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table}_rejects "
        "(source_row BIGINT, rule_id VARCHAR, message VARCHAR, raw VARCHAR)"
    )
    if head.startswith(b"["):
        try:
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE {table}_json AS SELECT json AS rec "
                f"FROM read_json_objects({sql_literal(path)}, format = 'array', "
                "maximum_object_size = 134217728)"
            )
        except duckdb.Error as exc:
            raise UserError(f"JSON 数组格式错误，无法读取（{detail(exc)}）", file=path) from exc
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table}_obj AS "
            f"SELECT row_number() OVER (ORDER BY rowid) AS source_row, coalesce(rec -> 'input', rec) AS rec FROM {table}_json"
        )
        con.execute(f"DROP TABLE {table}_json")
        return
    # JSON lines: read each line as text so a broken line is a reject, not a lost record.
    con.execute(f"DROP TABLE IF EXISTS {table}_rj; DROP TABLE IF EXISTS {table}_rjs")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table}_lines AS SELECT line FROM read_csv("
        f"{sql_literal(path)}, columns = {{'line': 'VARCHAR'}}, header = false, delim = chr(1), "
        f"quote = '', escape = '', store_rejects = true, ignore_errors = true, "
        f"rejects_table = '{table}_rj', rejects_scan = '{table}_rjs')"
    )
    con.execute(f"""
        INSERT INTO {table}_rejects
        SELECT CAST(line AS BIGINT), 'IMP-012', '含有无法解码的字节（编码错误）',
               json_object('line', csv_line)
        FROM {table}_rj
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table}_lines_n AS
        WITH acc AS (SELECT row_number() OVER (ORDER BY rowid) AS k, line FROM {table}_lines),
             gaps AS (SELECT source_row - row_number() OVER (ORDER BY source_row) AS g
                      FROM {table}_rejects)
        SELECT k + (SELECT count(*) FROM gaps WHERE gaps.g < acc.k) AS source_row, line FROM acc
    """)
    con.execute(f"""
        INSERT INTO {table}_rejects
        SELECT source_row, 'IMP-011', '不是完整的 JSON 记录（可能被截断）', json_object('line', line)
        FROM {table}_lines_n WHERE NOT json_valid(line)
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table}_obj AS
        SELECT source_row, coalesce(CAST(line AS JSON) -> 'input', CAST(line AS JSON)) AS rec
        FROM {table}_lines_n WHERE json_valid(line)
    """)
    for suffix in ("_lines", "_lines_n", "_rj", "_rjs"):
        con.execute(f"DROP TABLE {table}{suffix}")


def _keys(con: duckdb.DuckDBPyConnection, expr: str, source: str) -> list[str]:
    """Distinct keys of the JSON objects ``expr`` over ``source`` ."""
    rows = con.execute(
        f"SELECT k FROM (SELECT unnest(json_keys({expr})) AS k FROM {source} "
        f"WHERE json_type({expr}) = 'OBJECT') GROUP BY k ORDER BY k"
    ).fetchall()
    return [k for (k,) in rows]


def _list_table(con: duckdb.DuckDBPyConnection, table: str, name: str, list_key: str) -> list[str]:
    """Unnest one list of every record into ``<table>_<name>`` with its position."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table}_{name}_items AS
        SELECT source_row, unnest(items) AS item, generate_subscripts(items, 1) AS item_no
        FROM (SELECT source_row, CAST(rec -> '{list_key}' AS JSON[]) AS items FROM {table}_obj
              WHERE json_type(rec -> '{list_key}') = 'ARRAY')
    """)
    keys = _keys(con, "item", f"{table}_{name}_items")
    cols = "".join(f", item ->> {sql_literal(k)} AS {quote_ident(k)}" for k in keys)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table}_{name} AS "
        f"SELECT source_row, item_no{cols} FROM {table}_{name}_items"
    )
    con.execute(f"DROP TABLE {table}_{name}_items")
    return keys


def read_json4101(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> Source:
    """Flatten 4101 records into a settlement table and two list tables."""
    _load_records(con, path, table)
    setl = "coalesce(rec -> 'setlinfo', rec)"
    keys = [k for k in _keys(con, setl, f"{table}_obj")
            if k not in ("diseinfo", "oprninfo", "iteminfo", "icuinfo", "payinfo")]
    _list_table(con, table, "dx", "diseinfo")
    _list_table(con, table, "op", "oprninfo")
    item_keys = _list_table(con, table, "fee", "iteminfo")
    icu_keys = _list_table(con, table, "icu", "icuinfo")

    columns = list(keys)
    select = ["o.source_row"] + [f"{setl} ->> {sql_literal(k)} AS {quote_ident(k)}" for k in keys]
    joins = []
    added = [(code, col) for code, col, _ in FEE_ITEMS if col not in keys]
    if {"med_chrgitm", "amt"} <= set(item_keys) and added:
        # One amount per fee item; an item listed twice is summed (exact DECIMAL), and a
        # non-numeric amount is passed on as text so that the typing step quarantines it.
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE {table}_fee_item AS
            SELECT source_row, lpad(trim(med_chrgitm), 2, '0') AS item,
                   CASE WHEN count(amt) = 1 THEN min(amt)
                        WHEN count(imp_dec(amt)) = count(amt) THEN CAST(sum(imp_dec(amt)) AS VARCHAR)
                        ELSE string_agg(amt, '+') END AS amt
            FROM {table}_fee GROUP BY source_row, lpad(trim(med_chrgitm), 2, '0')
        """)
        pivot = ", ".join(f"max(CASE WHEN item = '{code}' THEN amt END) AS {col}" for code, col in added)
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table}_fees AS "
            f"SELECT source_row, {pivot} FROM {table}_fee_item GROUP BY source_row"
        )
        select += [f"f.{col}" for _, col in added]
        columns += [col for _, col in added]
        joins.append(f"LEFT JOIN {table}_fees f ON f.source_row = o.source_row")
    if "scs_cutd_sum_dura" in icu_keys and not {"scs_cutd_sum_dura", "icu_minutes"} & set(keys):
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE {table}_icu_sum AS
            SELECT source_row,
                   CASE WHEN count(scs_cutd_sum_dura) = 1 THEN min(scs_cutd_sum_dura)
                        WHEN count(imp_minutes(imp_text(scs_cutd_sum_dura))) = count(scs_cutd_sum_dura)
                        THEN CAST(sum(imp_minutes(imp_text(scs_cutd_sum_dura))) AS VARCHAR)
                        ELSE string_agg(scs_cutd_sum_dura, '+') END AS icu_minutes
            FROM {table}_icu GROUP BY source_row
        """)
        select.append("i.icu_minutes")
        columns.append("icu_minutes")
        joins.append(f"LEFT JOIN {table}_icu_sum i ON i.source_row = o.source_row")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {', '.join(select)} "
        f"FROM {table}_obj o {' '.join(joins)}"
    )
    rows = con.execute(
        f"SELECT (SELECT count(*) FROM {table}) + (SELECT count(*) FROM {table}_rejects)"
    ).fetchone()[0]
    return Source(path, table, "json", columns, rows,
                  extra={"diagnoses": f"{table}_dx", "procedures": f"{table}_op",
                         "raw": f"{table}_obj"})
