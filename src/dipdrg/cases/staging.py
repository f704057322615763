"""Canonical staging views over a read file: one VARCHAR column per field of ``fields.py``.

``imp_stage`` (source_row + every settlement field) and, for flat files, ``imp_lists``
(principal diagnosis + lists of the others, procedures principal first). Separate tables and
the JSON lists become ``imp_side_dx`` / ``imp_side_op``. Only column plumbing is generated
here; the typing and checks are the SQL steps in ``sql/``.
"""

from __future__ import annotations

from dipdrg.cases.columns import ColumnMap
from dipdrg.cases.fields import ALL_FIELDS, DIAGNOSIS_FIELDS, HOSPITAL_FIELDS, PROCEDURE_FIELDS
from dipdrg.cases.readers import Source, quote_ident, sql_literal

NULL_TEXT = "CAST(NULL AS VARCHAR)"
NULL_LIST = "CAST(NULL AS VARCHAR[])"


def _scalar(cmap: ColumnMap, name: str) -> str:
    column = cmap.scalars.get(name) or cmap.joined.get(name)
    return quote_ident(column) if column else NULL_TEXT


def _list(cmap: ColumnMap, key: str) -> str:
    if key in cmap.joined:
        return f"imp_split({quote_ident(cmap.joined[key])})"
    if key in cmap.numbered:
        return "[" + ", ".join(f"CAST({quote_ident(c)} AS VARCHAR)" for c in cmap.numbered[key]) + "]"
    return NULL_LIST


def create_stage(con, source: Source, cmap: ColumnMap, *, hospital: str | None = None) -> None:
    """``imp_stage``: the file's columns renamed to canonical names, absent ones NULL."""
    exprs = ["source_row"]
    for f in ALL_FIELDS:
        expr = _scalar(cmap, f.name)
        if f.name == "fixmedins_code" and expr == NULL_TEXT and hospital:
            expr = sql_literal(hospital)
        exprs.append(f"{expr} AS {f.name}")
    con.execute(f"CREATE OR REPLACE TEMP VIEW imp_stage AS SELECT {', '.join(exprs)} FROM {source.table}")


def has_flat_lists(cmap: ColumnMap, *, diagnoses: bool) -> bool:
    keys = ("main_diag_code", "other_diag_codes") if diagnoses else (
        "oprn_codes", "main_oprn_code", "other_oprn_codes")
    return any(cmap.has(k) for k in keys)


def create_flat_lists(con, source: Source, cmap: ColumnMap) -> None:
    """``imp_lists``: list columns of a flat file in one shape (joined or numbered)."""
    if cmap.has("oprn_codes"):
        op = [_list(cmap, "oprn_codes"), _list(cmap, "oprn_names"), _list(cmap, "oprn_dates")]
    else:  # principal + others (reference layout, 主要手术操作 / 其他手术操作 columns)
        op = [
            f"list_concat([{_scalar(cmap, main)}], {_list(cmap, other)})"
            for main, other in (("main_oprn_code", "other_oprn_codes"),
                                ("main_oprn_name", "other_oprn_names"),
                                ("main_oprn_date", "other_oprn_dates"))
        ]
    exprs = [
        "source_row",
        f"{_scalar(cmap, 'main_diag_code')} AS dx_main_code",
        f"{_scalar(cmap, 'main_diag_name')} AS dx_main_name",
        f"{_scalar(cmap, 'main_diag_adm_cond')} AS dx_main_cond",
        f"{_list(cmap, 'other_diag_codes')} AS dx_other_codes",
        f"{_list(cmap, 'other_diag_names')} AS dx_other_names",
        f"{_list(cmap, 'other_diag_adm_conds')} AS dx_other_conds",
        f"{op[0]} AS op_codes",
        f"{op[1]} AS op_names",
        f"{op[2]} AS op_dates",
    ]
    con.execute(f"CREATE OR REPLACE TEMP VIEW imp_lists AS SELECT {', '.join(exprs)} FROM {source.table}")


# canonical side-table field -> column name used by the list steps
DX_SIDE = {"setl_id": "setl_id", "diag_type": "diag_type", "diag_code": "diag_code",
           "diag_name": "diag_name", "maindiag_flag": "main_flag", "adm_cond_type": "adm_cond_type"}
OP_SIDE = {"setl_id": "setl_id", "oprn_oprt_code": "oprn_code", "oprn_oprt_name": "oprn_name",
           "oprn_oprt_date": "oprn_date", "main_oprn_flag": "main_flag", "anst_way": "anst_way",
           "oper_dr_code": "oper_dr_code"}


def create_side_view(
    con, view: str, table: str, cmap: ColumnMap, *, diagnoses: bool, label: str,
    row_column: str = "source_row", parent_column: str | None = None,
) -> None:
    """A diagnosis/procedure table (or JSON list) in the column names of the list steps.

    ``parent_column`` names the settlement row a JSON list item belongs to; side files have
    none and are linked by setl_id (``side_link.sql``).
    """
    fields, names = (DIAGNOSIS_FIELDS, DX_SIDE) if diagnoses else (PROCEDURE_FIELDS, OP_SIDE)
    exprs = [f"{row_column} AS side_row", f"{'item_no' if parent_column else '0'} AS item_no",
             f"{sql_literal(label)} AS side_file"]
    if parent_column:
        exprs.insert(0, f"{parent_column} AS source_row")
    for f in fields:
        exprs.append(f"{_scalar(cmap, f.name)} AS {names[f.name]}")
    con.execute(f"CREATE OR REPLACE TEMP VIEW {view} AS SELECT {', '.join(exprs)} FROM {table}")


def raw_select(source: Source, table: str | None = None, columns: list[str] | None = None) -> str:
    """SQL giving (source_row, raw JSON text) of the input rows, for the quarantine."""
    if source.format == "json" and table is None:
        return f"SELECT source_row, CAST(rec AS VARCHAR) AS raw FROM {source.extra['raw']}"
    cols = columns if columns is not None else source.columns
    pairs = ", ".join(f"{sql_literal(c)}, {quote_ident(c)}" for c in cols)
    return (f"SELECT source_row, CAST(json_object({pairs}) AS VARCHAR) AS raw "
            f"FROM {table or source.table}")


def create_hospital_stage(con, source: Source, cmap: ColumnMap) -> None:
    """``imp_hstage``: the registry file in the canonical names of HOSPITAL_FIELDS."""
    exprs = ["source_row"] + [f"{_scalar(cmap, f.name)} AS {f.name}" for f in HOSPITAL_FIELDS]
    con.execute(f"CREATE OR REPLACE TEMP VIEW imp_hstage AS SELECT {', '.join(exprs)} FROM {source.table}")
