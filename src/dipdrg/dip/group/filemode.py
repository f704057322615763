"""File mode: group a flat settlement-list CSV or Parquet file without a workspace
(``dipdrg dip group-file``).

The file is read with Arrow (CSV) or the case importer's Parquet reader (order kept),
exploded by ``file_steps/01_file_input.sql`` and grouped by the same steps as a workspace, on
an in-memory DuckDB. Output: one row per input row, in input order: ``case_id, group_code,
layer, status, reason`` (reason = the ungrouped reason code of ``reasons.REASONS``, empty when
grouped).
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from dipdrg.cases.fields import FIELD_BY_NAME, LIST_FIELDS
from dipdrg.codes.batch import build_code_map
from dipdrg.dip.group.engine import run_steps
from dipdrg.dip.pack.model import Catalog
from dipdrg.errors import UserError
from dipdrg.sqlfiles import run_sql

ALIASES: dict[str, tuple[str, ...]] = {
    "setl_id": ("setl_id", "case_id", *FIELD_BY_NAME["setl_id"].labels, "病例编号", "病例号", "病案号"),
    "pdx": ("main_diag_code", *LIST_FIELDS["main_diag_code"]),
    "sdx": ("other_diag_codes", *LIST_FIELDS["other_diag_codes"]),
    "procs": ("oprn_codes", *LIST_FIELDS["oprn_codes"]),
    "main_proc": ("main_oprn_code", *LIST_FIELDS["main_oprn_code"]),
    "other_procs": ("other_oprn_codes", *LIST_FIELDS["other_oprn_codes"]),
    "age_days": ("nwb_age", *FIELD_BY_NAME["nwb_age"].labels),
    "birth_weight": ("nwb_bir_wt", *FIELD_BY_NAME["nwb_bir_wt"].labels),
}
OUTPUT_COLUMNS = ("case_id", "group_code", "layer", "status", "reason")  # reason: 未入组原因代码


def _column(names: list[str], wanted: str) -> str | None:
    for alias in ALIASES[wanted]:
        if alias in names:
            return alias
    return None


def _lists(table: pa.Table, column: str | None) -> pa.Array:
    """A list column with ',' also accepted as separator; missing column -> nulls."""
    if column is None:
        return pa.nulls(table.num_rows, pa.string())
    values = pc.replace_substring(table[column].combine_chunks(), ",", "|")
    values = pc.replace_substring(values, "，", "|")
    return pc.if_else(pc.equal(pc.utf8_trim_whitespace(values), ""), pa.scalar(None, pa.string()), values)


def _bad_row(path: Path, encoding: str, header: list[str]) -> UserError | None:
    """Re-parse single-threaded (Arrow numbers rows only then) to name the first malformed line."""
    seen = []

    def handler(row: pacsv.InvalidRow) -> str:
        seen.append(row)
        return "error"

    try:
        pacsv.read_csv(path, read_options=pacsv.ReadOptions(encoding=encoding, use_threads=False),
                       parse_options=pacsv.ParseOptions(invalid_row_handler=handler),
                       convert_options=pacsv.ConvertOptions(column_types={name: pa.string() for name in header}))
    except pa.ArrowInvalid:
        pass
    if not seen:
        return None
    row = seen[0]
    what = (f"行不完整：应有 {row.expected_columns} 列，只有 {row.actual_columns} 列（可能被截断）"
            if row.actual_columns < row.expected_columns
            else f"列数多于表头：应有 {row.expected_columns} 列，实际 {row.actual_columns} 列（含未加引号的逗号？）")
    return UserError(f"{what}；该行内容：{row.text[:80]}", file=path, row=row.number)


def _read_parquet_text(path: Path) -> pa.Table:
    """A Parquet file as text columns in file order, through the case importer's reader, so a
    file that is not Parquet gets the importer's message (无法按 Parquet 读取…) and not a
    misleading missing-column error. Nulls become '' like an empty CSV cell."""
    from dipdrg.cases.readers import read_parquet

    con = duckdb.connect()
    try:
        source = read_parquet(con, path, "dipg_file_src")
        columns = ", ".join('"' + c.replace('"', '""') + '"' for c in source.columns)
        con.fetchall()  # finish the row count read_parquet left open: DuckDB 2 refuses con.sql before
        # pa.table reads the relation's Arrow C stream, the same on DuckDB 1.x and 2.x
        table = pa.table(con.sql(f"SELECT {columns} FROM dipg_file_src ORDER BY source_row"))
    finally:
        con.close()
    return pa.table({c: table[c].fill_null("") for c in table.column_names})


def _read_csv_text(path: Path) -> pa.Table:
    """A CSV file (UTF-8 or GBK/GB18030, by the importer's detector) as text columns."""
    from dipdrg.cases.readers import detect_encoding

    gbk = detect_encoding(path) == "gbk"
    encoding = "gb18030" if gbk else "utf8"  # GB18030 is the superset of GBK
    try:
        with path.open(encoding="gb18030" if gbk else "utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
        return pacsv.read_csv(path, read_options=pacsv.ReadOptions(encoding=encoding),
                              convert_options=pacsv.ConvertOptions(
                                  column_types={name: pa.string() for name in header},  # codes stay text
                                  strings_can_be_null=False, check_utf8=True))
    except UnicodeDecodeError as exc:
        raise UserError("文件编码无法识别（应为 UTF-8 或 GBK/GB18030）", file=path) from exc
    except pa.ArrowInvalid as exc:
        located = _bad_row(path, encoding, header)
        if located is not None:
            raise located from exc
        raise UserError("无法读取 CSV（应为带表头的逗号分隔文件，UTF-8 或 GBK 编码）", file=path) from exc


def read_file_cases(path: Path) -> pa.Table:
    """The input file as ``dipg_file(ord, setl_id, pdx, sdx, procs, age_days, birth_weight)``.

    CSV (UTF-8 or GBK/GB18030) or Parquet, the format told apart as the case importer does
    (``cases.readers.detect_format``: by extension, else by the first bytes).
    """
    from dipdrg.cases.readers import check_readable, detect_format

    if not path.is_file():
        raise UserError("输入文件不存在", file=path)
    check_readable(path)
    table = _read_parquet_text(path) if detect_format(path) == "parquet" else _read_csv_text(path)
    table = table.rename_columns([n.lstrip("\ufeff").strip() for n in table.column_names])
    names = table.column_names
    case_col, pdx_col = _column(names, "setl_id"), _column(names, "pdx")
    for found, label in ((case_col, "病例编号（case_id/setl_id/结算ID）"), (pdx_col, "主要诊断编码（principal_dx/main_diag_code）")):
        if found is None:
            raise UserError(f"缺少列：{label}", file=path, field=label)
    ids = table[case_col].combine_chunks()
    empty = pc.equal(pc.utf8_trim_whitespace(ids), "")
    if pc.any(empty).as_py():
        row = pc.index(empty, True).as_py() + 2
        raise UserError("病例编号为空", file=path, row=row, field=case_col)
    counts = pc.value_counts(ids)
    dupes = pc.filter(counts.field("values"), pc.greater(counts.field("counts"), 1))
    if len(dupes):
        first = dupes[0].as_py()
        rows = pc.indices_nonzero(pc.equal(ids, first)).to_pylist()
        raise UserError(f"病例编号 {first} 重复（首次出现在第 {rows[0] + 2} 行）", file=path, row=rows[1] + 2, field=case_col)
    procs_col = _column(names, "procs")
    if procs_col is not None:
        procs = _lists(table, procs_col)
    else:
        main, other = _column(names, "main_proc"), _column(names, "other_procs")
        head = table[main].combine_chunks() if main else pa.array([""] * table.num_rows, pa.string())
        tail = _lists(table, other)
        joined = pc.binary_join_element_wise(head, pc.fill_null(tail, ""), "|")
        procs = _lists(pa.table({"p": pc.utf8_rtrim(joined, "|")}), "p")
    age, weight = _column(names, "age_days"), _column(names, "birth_weight")
    nothing = pa.nulls(table.num_rows, pa.string())
    return pa.table({
        "ord": pa.array(range(table.num_rows), pa.int64()),
        "setl_id": ids,
        "pdx": table[pdx_col].combine_chunks(),
        "sdx": _lists(table, _column(names, "sdx")),
        "procs": procs,
        "age_days": table[age].combine_chunks() if age else nothing,
        "birth_weight": table[weight].combine_chunks() if weight else nothing,
    })


def _normalise_codes(con: duckdb.DuckDBPyConnection) -> None:
    """Code maps by the codes layer's normaliser (no code list in file mode: writing repaired)."""
    con.execute("CREATE OR REPLACE TEMP TABLE codes (kind VARCHAR, code VARCHAR, name VARCHAR, category VARCHAR, list_id VARCHAR)")
    con.execute("CREATE OR REPLACE TEMP TABLE code_crosswalk (kind VARCHAR, source_code VARCHAR, target_code VARCHAR)")
    build_code_map(con, "diagnosis", "SELECT raw FROM dipg_file_codes WHERE kind = 'D' AND raw <> ''", "dipg_map_dx")
    build_code_map(con, "procedure", "SELECT raw FROM dipg_file_codes WHERE kind = 'P' AND raw <> ''", "dipg_map_proc")


def _group_table(cases: pa.Table, catalog: Catalog, proc_attr: dict[str, str] | None) -> list[tuple]:
    """Run the file-input step and the grouping steps on an in-memory DuckDB, in input order."""
    con = duckdb.connect()
    try:
        con.register("dipg_file", cases)
        run_sql(con, "dipdrg.dip.group", "file_steps/01_file_input.sql")
        _normalise_codes(con)
        run_sql(con, "dipdrg.dip.group", "file_steps/02_file_codes.sql")
        attr = pa.table({"code": list((proc_attr or {}).keys()), "category": list((proc_attr or {}).values())},
                        schema=pa.schema([("code", pa.string()), ("category", pa.string())]))
        con.register("dipg_proc_attr", attr)
        run_steps(con, catalog)
        return con.execute(
            "SELECT c.setl_id, r.group_code, r.layer, r.status, r.reason, r.primary_care, r.treatment,"
            " r.rule_ref FROM dipg_in_case AS c JOIN dipg_result AS r ON r.setl_id = c.setl_id ORDER BY c.ord"
        ).fetchall()
    finally:
        con.close()


def group_records(catalog: Catalog, records: list[dict], proc_attr: dict[str, str] | None = None) -> list[dict]:
    """Group cases given as dicts (setl_id, pdx, sdx list, procedures list principal first,
    age_days, birth_weight) through the SQL path; one result dict per record, in order."""
    def joined(values) -> str | None:
        items = [v for v in (values or []) if v]
        return "|".join(items) if items else None

    table = pa.table({
        "ord": pa.array(range(len(records)), pa.int64()),
        "setl_id": pa.array([str(r["setl_id"]) for r in records], pa.string()),
        "pdx": pa.array([r.get("pdx") for r in records], pa.string()),
        "sdx": pa.array([joined(r.get("sdx")) for r in records], pa.string()),
        "procs": pa.array([joined(r.get("procedures")) for r in records], pa.string()),
        "age_days": pa.array([None if r.get("age_days") is None else str(r["age_days"]) for r in records], pa.string()),
        "birth_weight": pa.array([None if r.get("birth_weight") is None else str(r["birth_weight"]) for r in records], pa.string()),
    })
    keys = ("setl_id", "group_code", "layer", "status", "reason", "primary_care", "treatment", "rule_ref")
    return [dict(zip(keys, row)) for row in _group_table(table, catalog, proc_attr)]


def group_file(src: Path, catalog: Catalog, out: Path, proc_attr: dict[str, str] | None = None) -> dict[str, int]:
    """Group every row of ``src`` and write ``out``; returns counts by status."""
    rows = _group_table(read_file_cases(src), catalog, proc_attr)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(OUTPUT_COLUMNS)
        writer.writerows(row[:5] for row in rows)
    summary = {"total": len(rows), "grouped": sum(1 for r in rows if r[3] == "grouped")}
    summary["ungrouped"] = summary["total"] - summary["grouped"]
    return summary


def read_proc_attr(path: Path | None) -> dict[str, str]:
    """Procedure attributes (code, category) from a CSV such as icd9-category.csv."""
    if path is None:
        return {}
    from dipdrg.dip.pack.tables import read_table

    return {r["code"]: r["category"] for r in read_table(path, ("code", "category")) if r["category"]}
