"""Batch entry points: group a workspace's cases, or a case file without a workspace.

Both build the grouper's input tables in SQL and run the same steps (``grouper.py``); the
workspace path writes ``drg_case_groups`` inside one recorded run, the file path writes a
CSV in input order with the same status and reason codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from dipdrg.cases.fields import FIELD_BY_NAME, LIST_FIELDS, NUMBERED_PREFIXES
from dipdrg.drg.grouper import drop_temp, prepare_pack, run_file, run_steps
from dipdrg.drg.pack import DrgPack
from dipdrg.errors import UserError, detail
from dipdrg.workspace import Workspace
from dipdrg.workspace.fingerprint import cases_fingerprint


@dataclass(frozen=True)
class GroupSummary:
    run_id: str | None
    total: int
    by_status: dict[str, int]


def _summary(con: duckdb.DuckDBPyConnection, run_id: str | None) -> GroupSummary:
    rows = con.execute("SELECT status, COUNT(*) FROM drg_result GROUP BY status").fetchall()
    by_status = {status: int(n) for status, n in rows}
    return GroupSummary(run_id, sum(by_status.values()), by_status)


def group_workspace(ws: Workspace, pack: DrgPack) -> GroupSummary:
    """Group every case of the workspace; results go to drg_case_groups under one run."""
    con = ws.con
    inputs = {"pack": pack.sha256, "cases": cases_fingerprint(con)}
    parameters = {"drg.pack_id": pack.id, "drg.pack_version": pack.version,
                  **{f"drg.switches.{k}": v for k, v in pack.switches.items()}}
    try:
        with ws.run("drg-group", inputs=inputs, parameters=parameters) as run_id:
            prepare_pack(con, pack)
            run_file(con, "input_workspace")
            run_steps(con, pack)
            con.execute(
                "INSERT INTO drg_case_groups (run_id, setl_id, mdc, adrg, drg, status, reason,"
                " pack_id, pack_version, pack_sha256)"
                " SELECT ?, r.case_key, r.mdc, r.adrg, r.drg, r.status, r.reason, ?, ?, ?"
                " FROM drg_result r",
                [run_id, pack.id, pack.version, pack.sha256],
            )
            summary = _summary(con, run_id)
    finally:
        drop_temp(con)
    return summary


# -- file mode ----------------------------------------------------------------------------
# Reference layout column -> accepted headers (reference name, settlement-list names/labels)
FILE_COLUMNS: dict[str, tuple[str, ...]] = {
    "case_id": ("case_id", "setl_id") + FIELD_BY_NAME["setl_id"].labels,
    "gender": ("gender", "gend") + FIELD_BY_NAME["gend"].labels,
    "age": ("age",) + FIELD_BY_NAME["age"].labels,
    "age_days": ("age_days", "nwb_age") + FIELD_BY_NAME["nwb_age"].labels,
    "birth_weight": ("birth_weight", "nwb_bir_wt") + FIELD_BY_NAME["nwb_bir_wt"].labels,
    "principal_dx": ("principal_dx", "main_diag_code") + LIST_FIELDS["main_diag_code"],
    "secondary_dx": ("secondary_dx", "other_diag_codes") + LIST_FIELDS["other_diag_codes"],
    "principal_proc": ("principal_proc", "main_oprn_code") + LIST_FIELDS["main_oprn_code"],
    "other_procs": ("other_procs", "other_oprn_codes") + LIST_FIELDS["other_oprn_codes"],
}
ALL_PROCS = ("oprn_codes",) + LIST_FIELDS["oprn_codes"]   # every procedure, principal first
REQUIRED = ("case_id", "gender", "age", "principal_dx")


def read_case_file(path: Path) -> pa.Table:
    """Read a CSV (UTF-8, else GB18030) or Parquet case file with every column as text."""
    if not path.is_file():
        raise UserError("找不到病例文件", file=path)
    if path.suffix.lower() == ".parquet":
        try:
            table = pq.read_table(path)
        except (pa.ArrowException, OSError) as exc:
            raise UserError(f"无法按 Parquet 读取：文件可能已损坏，或不是 Parquet 文件（{detail(exc)}）",
                            file=path) from None
        return pa.table({c: table[c].cast(pa.string()).fill_null("") for c in table.column_names})
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            header = raw.split(b"\n", 1)[0].decode(encoding).rstrip("\r").split(",")
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UserError("病例文件既不是 UTF-8 也不是 GB18030 编码", file=path)
    header = [h.strip().strip('"') for h in header]
    try:
        return pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(
                encoding="utf8" if encoding == "utf-8-sig" else "gb18030",
                column_names=header, skip_rows=1),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in header},
                strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except pa.ArrowInvalid as exc:
        raise UserError(f"病例文件无法解析（{detail(exc)}）", file=path) from exc


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _file_select(columns: list[str], path: Path) -> str:
    """SELECT list mapping the file's headers to the reference layout (header-level only)."""
    present = set(columns)
    exprs = {}
    for target, names in FILE_COLUMNS.items():
        found = next((n for n in names if n in present), None)
        exprs[target] = _quote(found) if found else None
    numbered = {key: sorted((c for c in columns for p in prefixes
                             if c.startswith(p) and c[len(p):].isdigit()),
                            key=lambda c: int("".join(ch for ch in c if ch.isdigit()) or 0))
                for key, prefixes in NUMBERED_PREFIXES.items()}
    if exprs["secondary_dx"] is None and numbered["other_diag_codes"]:
        parts = ", ".join(f"NULLIF({_quote(c)}, '')" for c in numbered["other_diag_codes"])
        exprs["secondary_dx"] = f"COALESCE(CONCAT_WS('|', {parts}), '')"
    if exprs["principal_proc"] is None and exprs["other_procs"] is None:
        whole = next((n for n in ALL_PROCS if n in present), None)
        if whole:
            exprs["principal_proc"] = _quote(whole)
        elif numbered["oprn_codes"]:
            parts = ", ".join(f"NULLIF({_quote(c)}, '')" for c in numbered["oprn_codes"])
            exprs["principal_proc"] = f"COALESCE(CONCAT_WS('|', {parts}), '')"
    missing = [t for t in REQUIRED if exprs[t] is None]
    if missing:
        wanted = "；".join(f"{t}（或 {'/'.join(FILE_COLUMNS[t][1:4])}）" for t in missing)
        raise UserError(f"病例文件缺少列：{wanted}", file=path)
    return ", ".join(f"{expr or chr(39) * 2} AS {target}" for target, expr in exprs.items())


def group_file(in_path: str | Path, pack: DrgPack, out_path: str | Path) -> GroupSummary:
    """Group a case file in an in-memory DuckDB; write case_id, mdc, adrg, drg, status, reason.

    ``reason`` is the same code the workspace path stores in ``drg_case_groups.reason`` (the
    failed input check, code_unmapped, no_mdc / no_adrg, qy; empty for an ordinary group) so a
    file user can see why a case was not grouped.
    """
    in_path, out_path = Path(in_path), Path(out_path)
    table = read_case_file(in_path)
    table = table.append_column("__row_no", pa.array(range(table.num_rows), pa.int64()))
    con = duckdb.connect()
    try:
        con.register("drg_file_src", table)
        con.execute(
            "CREATE TEMP TABLE drg_file_raw AS SELECT __row_no AS row_no, "
            f"{_file_select(table.column_names[:-1], in_path)} FROM drg_file_src"
        )
        prepare_pack(con, pack)
        run_file(con, "input_file")
        run_steps(con, pack)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        con.execute(
            "COPY (SELECT f.case_id, r.mdc, r.adrg, r.drg, r.status, r.reason FROM drg_result r"
            " JOIN drg_file_raw f ON f.row_no = r.case_key ORDER BY r.case_key)"
            f" TO '{str(out_path).replace(chr(39), chr(39) * 2)}' (HEADER, DELIMITER ',')"
        )
        return _summary(con, None)
    finally:
        con.close()
