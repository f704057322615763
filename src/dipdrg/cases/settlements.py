"""Import settlement lists (结算清单导入): read, type, check, account for every row, store.

One command = one transaction (``Workspace.run``): a failure at any point, Ctrl-C included,
leaves the workspace exactly as before. Each file gets a row in ``imports`` whose counts obey
rows_read = loaded + quarantined + duplicates (checked before commit).

Re-import: a file whose sha256 was already imported (with the same diagnosis/procedure
files) is skipped and nothing is written; the same rows in another file are duplicates.

Required columns: setl_id and fixmedins_code must exist (``hospital=`` supplies the latter
for files without it, such as the reference case layout); the other required fields of
``fields.py`` (gend, adm_time, dscg_time, medfee_sumamt) must exist unless
``allow_missing`` — then they load as NULL and the quality layer reports them (完整性).
Empty values are never blocking except setl_id / fixmedins_code (IMP-001/002).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from dipdrg.cases.accounting import (
    ImportResult, already_imported, check_file, count_of, drop_temp, record_import,
)
from dipdrg.cases.columns import ColumnMap, map_columns, require_columns
from dipdrg.cases.fields import (
    ALL_FIELDS, DIAGNOSIS_FIELDS, LIST_FIELDS, NUMBERED_PREFIXES, PROCEDURE_FIELDS,
    SETTLEMENT_FIELDS,
)
from dipdrg.cases.readers import Source, read_table, sql_literal
from dipdrg.cases.rules import MAPPED_FIELDS, TYPE_RULES
from dipdrg.cases import staging
from dipdrg.cases.steps import run_step, unordered_inserts
from dipdrg.errors import UserError
from dipdrg.hashing import file_sha256
from dipdrg.workspace import Workspace

Progress = Callable[[str], None]
LABELS = {f.name: (f.labels[0] if f.labels else f.name) for f in ALL_FIELDS}


def _typed_sql() -> dict[str, str]:
    """Placeholders of typed.sql, generated from the field registry (types and names)."""
    texts, typed, kept = [], [], []
    problems = ["setl_id IS NULL", "fixmedins_code IS NULL"]
    for f in ALL_FIELDS:
        texts.append(f"imp_text({f.name}) AS {f.name}")
        if f.name in MAPPED_FIELDS:
            typed.append(f"coalesce({MAPPED_FIELDS[f.name]}({f.name}), {f.name}) AS {f.name}")
            continue
        if f.type == "str":
            typed.append(f.name)
            continue
        typed.append(f"{TYPE_RULES[f.type][0]}({f.name}) AS {f.name}")
        kept.append(f"{f.name} AS {f.name}__text")
        problems.append(f"({f.name}__text IS NOT NULL AND {f.name} IS NULL)")
    return {
        "texts": ", ".join(texts),
        "typed_columns": ",\n           ".join(typed),
        "kept_texts": ", ".join(kept),
        "typed_names": ", ".join(f.name for f in ALL_FIELDS),
        "problem_condition": "\n        OR ".join(problems),
    }


def _field_checks() -> str:
    """One SELECT per field over the flagged rows, each naming rule, field and value."""
    parts = [
        "SELECT source_row, 'IMP-001', 'setl_id', '结算ID为空' FROM imp_bad_stage "
        "WHERE imp_text(setl_id) IS NULL",
        "SELECT source_row, 'IMP-002', 'fixmedins_code', '定点医疗机构编号为空' FROM imp_bad_stage "
        "WHERE imp_text(fixmedins_code) IS NULL",
    ]
    for f in ALL_FIELDS:
        if f.type == "str":
            continue
        _, rule, says = TYPE_RULES[f.type]
        parts.append(
            f"SELECT s.source_row, '{rule}', '{f.name}', "
            f"'{LABELS[f.name]}（{f.name}）“' || s.{f.name} || '”{says}' "
            f"FROM imp_bad_stage s JOIN imp_bad_typed t ON t.source_row = s.source_row "
            f"WHERE imp_text(s.{f.name}) IS NOT NULL AND t.{f.name} IS NULL"
        )
    return "\nUNION ALL\n".join(parts)


def _case_text() -> str:
    """Every typed field as text in registry order (NULL as chr(1)), for the content hash."""
    return "concat_ws(chr(31), " + ", ".join(
        f"coalesce(CAST(t.{f.name} AS VARCHAR), chr(1))" for f in ALL_FIELDS
    ) + ")"


def _map_main(source: Source, hospital: str | None, allow_missing: bool) -> ColumnMap:
    cmap = map_columns(source.columns, ALL_FIELDS, file=source.path,
                       lists=LIST_FIELDS, numbered=NUMBERED_PREFIXES)
    keys = ["setl_id"] + ([] if hospital else ["fixmedins_code"])
    require_columns(cmap, keys, file=source.path, labels=LABELS)
    if not allow_missing:
        others = [f.name for f in SETTLEMENT_FIELDS if f.required and f.name not in ("setl_id", "fixmedins_code")]
        try:
            require_columns(cmap, others, file=source.path, labels=LABELS)
        except UserError as exc:
            raise UserError(exc.message + "；如确需导入缺列的文件（如仅含分组字段的病例），请加 --allow-missing",
                            file=source.path, field=exc.field) from None
    return cmap


def _stage_side(con, path: Path, *, diagnoses: bool, fmt: str, encoding: str) -> Source:
    """Read a separate diagnosis/procedure table and link its rows to the main file."""
    name = "imp_sdx" if diagnoses else "imp_sop"
    source = read_table(con, path, f"{name}_src", fmt=fmt, encoding=encoding)
    fields = DIAGNOSIS_FIELDS if diagnoses else PROCEDURE_FIELDS
    cmap = map_columns(source.columns, fields, file=path)
    labels = {f.name: f.labels[0] for f in fields}
    require_columns(cmap, [f.name for f in fields if f.required], file=path, labels=labels)
    staging.create_side_view(con, f"{name}_v", source.table, cmap, diagnoses=diagnoses, label=path.name)
    run_step(con, "side_link", side=f"{name}_v", linked="imp_side_dx" if diagnoses else "imp_side_op")
    return source


def _stage_lists(con, source: Source, cmap: ColumnMap, side: dict[str, Path], fmt: str, encoding: str) -> dict[str, Source]:
    """Build imp_stage_dx / imp_stage_op from whichever layout the input uses."""
    read: dict[str, Source] = {}
    for diagnoses, key in ((True, "diagnoses"), (False, "procedures")):
        short = "dx" if diagnoses else "op"
        if key in side:
            if staging.has_flat_lists(cmap, diagnoses=diagnoses):
                raise UserError(f"主文件已含{'诊断' if diagnoses else '手术操作'}列，又给出了单独的表 {side[key]}；请只用一种",
                                file=source.path)
            read[key] = _stage_side(con, side[key], diagnoses=diagnoses, fmt=fmt, encoding=encoding)
            run_step(con, f"lists_side_{short}")
        elif source.format == "json" and not staging.has_flat_lists(cmap, diagnoses=diagnoses):
            table = source.extra[key]
            columns = [c for (c,) in con.execute(f"SELECT column_name FROM (DESCRIBE {table})").fetchall()]
            fields = DIAGNOSIS_FIELDS if diagnoses else PROCEDURE_FIELDS
            lmap = map_columns(columns, fields, file=source.path)
            staging.create_side_view(con, f"imp_side_{short}", table, lmap, diagnoses=diagnoses,
                                     label="diseinfo" if diagnoses else "oprninfo",
                                     row_column="item_no", parent_column="source_row")
            run_step(con, f"lists_side_{short}")
        else:
            run_step(con, f"lists_flat_{short}")
    return read


def _normalise_codes(con) -> None:
    """Fill the 医保版 code maps through the code normaliser (one row per distinct raw code)."""
    from dipdrg.codes.batch import build_code_map

    build_code_map(con, "diagnosis", "SELECT DISTINCT diag_code_raw AS raw FROM imp_dx", "imp_dx_map")
    build_code_map(con, "procedure", "SELECT DISTINCT oprn_code_raw AS raw FROM imp_op", "imp_op_map")


def _import_file(
    con, path: Path, import_id: str, shas: dict[Path, str], *, side: dict[str, Path], fmt: str,
    encoding: str, sheet: str | None, hospital: str | None, allow_missing: bool, step: Progress,
) -> list[ImportResult]:
    step(f"读取 {path.name}")
    run_step(con, "macros")
    source = read_table(con, path, "imp_src", fmt=fmt, encoding=encoding, sheet=sheet)
    cmap = _map_main(source, hospital, allow_missing)
    staging.create_stage(con, source, cmap, hospital=hospital)
    if source.format != "json" or staging.has_flat_lists(cmap, diagnoses=True) or staging.has_flat_lists(cmap, diagnoses=False):
        staging.create_flat_lists(con, source, cmap)
    side_sources = _stage_lists(con, source, cmap, side, fmt, encoding)
    step(f"类型转换与校验 {path.name}")
    run_step(con, "typed", **_typed_sql())
    run_step(con, "ages")
    run_step(con, "lists_typed")
    run_step(con, "problems", field_checks=_field_checks(), rejects=f"{source.table}_rejects")
    step(f"查重 {path.name}")
    run_step(con, "hash", case_text=_case_text())
    run_step(con, "classify")
    step(f"编码规范化 {path.name}")
    _normalise_codes(con)
    step(f"写入 {path.name}")
    names = ", ".join(f.name for f in ALL_FIELDS)
    ident, file_lit = sql_literal(import_id), sql_literal(str(path))
    with unordered_inserts(con):
        run_step(con, "write_cases", case_columns=names,
                 typed_case_columns=", ".join(f"t.{f.name}" for f in ALL_FIELDS), import_id=ident)
        run_step(con, "write_lists")
    quarantined_rows = ("(SELECT source_row FROM imp_problem UNION "
                        "SELECT source_row FROM imp_outcome WHERE outcome = 'conflict')")
    raw = f"SELECT * FROM ({staging.raw_select(source)}) WHERE source_row IN {quarantined_rows}"
    run_step(con, "write_rejected", import_id=ident, source_file=file_lit, raw_select=raw,
             rejects=f"{source.table}_rejects", conflict_rule="'IMP-010'", conflict_field="'setl_id'",
             id_select="SELECT source_row, imp_text(setl_id) AS id FROM imp_stage")
    result = ImportResult(
        import_id, "settlement", path, source.format, rows_read=source.rows_read,
        loaded=count_of(con, "SELECT count(*) FROM imp_outcome WHERE outcome = 'load'"),
        duplicates=count_of(con, "SELECT count(*) FROM imp_outcome WHERE outcome = 'duplicate'"),
        quarantined=count_of(con, f"SELECT count(*) FROM {quarantined_rows}"),
        encoding=source.encoding, ignored_columns=cmap.ignored,
    )
    record_import(con, result, shas[path])
    results = [result]
    for key, side_source in side_sources.items():
        sid = f"{import_id}-{'dx' if key == 'diagnoses' else 'op'}"
        linked = "imp_side_dx" if key == "diagnoses" else "imp_side_op"
        view = "imp_sdx_v" if key == "diagnoses" else "imp_sop_v"
        run_step(con, "side_outcome", linked=linked, side=view, import_id=sql_literal(sid),
                 source_file=sql_literal(str(side_source.path)),
                 raw_select=staging.raw_select(side_source), rejects=f"{side_source.table}_rejects")
        counts = dict(con.execute(
            "SELECT outcome, count(*) FROM imp_side_outcome GROUP BY outcome").fetchall())
        rejected = count_of(con, f"SELECT count(*) FROM {side_source.table}_rejects")
        side_result = ImportResult(
            sid, f"settlement-{key}", side_source.path, side_source.format,
            rows_read=side_source.rows_read, loaded=counts.get("load", 0),
            duplicates=counts.get("duplicate", 0), quarantined=counts.get("quarantine", 0) + rejected,
            encoding=side_source.encoding,
        )
        record_import(con, side_result, shas[side_source.path])
        results.append(side_result)
    drop_temp(con)
    return results


def import_settlements(
    ws: Workspace,
    files: list[Path],
    *,
    diagnoses: Path | None = None,
    procedures: Path | None = None,
    fmt: str = "auto",
    encoding: str = "auto",
    sheet: str | None = None,
    hospital: str | None = None,
    allow_missing: bool = False,
    progress: Progress | None = None,
) -> list[ImportResult]:
    """Import settlement files in one transaction; return one result per file read."""
    step = progress or (lambda _text: None)
    files = [Path(f) for f in files]
    side = {k: Path(v) for k, v in (("diagnoses", diagnoses), ("procedures", procedures)) if v}
    if side and len(files) != 1:
        raise UserError("使用 --diagnoses/--procedures 时一次只能导入一个结算清单文件")
    for path in [*files, *side.values()]:
        check_file(path)
    shas = {p: file_sha256(p) for p in [*files, *side.values()]}
    results: list[ImportResult] = []
    todo: list[Path] = []
    for path in files:
        previous = already_imported(ws.con, "settlement", shas[path])
        if previous and all(already_imported(ws.con, f"settlement-{k}", shas[p]) for k, p in side.items()):
            results.append(ImportResult(previous, "settlement", path, "-", skipped=True))
        else:
            todo.append(path)
    if not todo:
        return results
    with ws.run("import", inputs={str(p): shas[p] for p in [*todo, *side.values()]}) as run_id:
        for n, path in enumerate(todo, start=1):
            results += _import_file(
                ws.con, path, f"{run_id}-{n}", shas, side=side, fmt=fmt, encoding=encoding,
                sheet=sheet, hospital=hospital, allow_missing=allow_missing, step=step,
            )
    return results
