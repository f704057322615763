"""File mode: group a flat settlement-list CSV without a workspace (``dipdrg dip group-file``).

The file is read with Arrow (order kept), exploded by ``file_steps/01_file_input.sql`` and
grouped by the same steps as a workspace, on an in-memory DuckDB. Output: one row per input
row, in input order: ``case_id, group_code, layer, status``.
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from dipdrg.cases.fields import FIELD_BY_NAME, LIST_FIELDS
from dipdrg.dip.group.engine import run_steps
from dipdrg.dip.pack.model import Catalog
from dipdrg.errors import UserError

ALIASES: dict[str, tuple[str, ...]] = {
    "setl_id": ("setl_id", "case_id", *FIELD_BY_NAME["setl_id"].labels, "病例号", "病案号"),
    "pdx": ("main_diag_code", *LIST_FIELDS["main_diag_code"]),
    "sdx": ("other_diag_codes", *LIST_FIELDS["other_diag_codes"]),
    "procs": ("oprn_codes", *LIST_FIELDS["oprn_codes"]),
    "main_proc": ("main_oprn_code", *LIST_FIELDS["main_oprn_code"]),
    "other_procs": ("other_oprn_codes", *LIST_FIELDS["other_oprn_codes"]),
    "age_days": ("nwb_age", *FIELD_BY_NAME["nwb_age"].labels),
    "birth_weight": ("nwb_bir_wt", *FIELD_BY_NAME["nwb_bir_wt"].labels),
}
OUTPUT_COLUMNS = ("case_id", "group_code", "layer", "status")


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


def read_file_cases(path: Path) -> pa.Table:
    """The input file as ``dipg_file(ord, setl_id, pdx, sdx, procs, age_days, birth_weight)``."""
    if not path.is_file():
        raise UserError("输入文件不存在", file=path)
    try:
        table = pacsv.read_csv(path, read_options=pacsv.ReadOptions(encoding="utf8"),
                               convert_options=pacsv.ConvertOptions(column_types={}, strings_can_be_null=False,
                                                                    auto_dict_encode=False, check_utf8=True))
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise UserError(f"无法读取 CSV（需 UTF-8、带表头）：{exc}", file=path) from exc
    table = table.cast(pa.schema([pa.field(n, pa.string()) for n in table.column_names]))
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
        raise UserError(f"病例编号 {first} 重复", file=path, row=pc.index(ids, first).as_py() + 2, field=case_col)
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


def _file_step() -> str:
    return resources.files("dipdrg.dip.group").joinpath("file_steps").joinpath("01_file_input.sql").read_text(encoding="utf-8")


def group_file(src: Path, catalog: Catalog, out: Path, proc_attr: dict[str, str] | None = None) -> dict[str, int]:
    """Group every row of ``src`` and write ``out``; returns counts by status."""
    cases = read_file_cases(src)
    con = duckdb.connect()
    try:
        con.register("dipg_file", cases)
        con.execute(_file_step())
        attr = pa.table({"code": list((proc_attr or {}).keys()), "category": list((proc_attr or {}).values())},
                        schema=pa.schema([("code", pa.string()), ("category", pa.string())]))
        con.register("dipg_proc_attr", attr)
        run_steps(con, catalog)
        rows = con.execute(
            "SELECT c.setl_id, r.group_code, r.layer, r.status FROM dipg_in_case AS c"
            " JOIN dipg_result AS r ON r.setl_id = c.setl_id ORDER BY c.ord"
        ).fetchall()
    finally:
        con.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(OUTPUT_COLUMNS)
        writer.writerows(rows)
    summary = {"total": len(rows), "grouped": sum(1 for r in rows if r[3] == "grouped")}
    summary["ungrouped"] = summary["total"] - summary["grouped"]
    return summary


def read_proc_attr(path: Path | None) -> dict[str, str]:
    """Procedure attributes (code, category) from a CSV such as icd9-category.csv."""
    if path is None:
        return {}
    from dipdrg.dip.pack.tables import read_table

    return {r["code"]: r["category"] for r in read_table(path, ("code", "category")) if r["category"]}
