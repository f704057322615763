"""Import the hospital registry (定点医疗机构名录): code, name, level 一/二/三级, type, county.

Same accounting as settlements: every row is loaded, quarantined (IMP-101..110) or a
duplicate (recorded in ``import_duplicates`` with the hospital code in its setl_id column);
a registry row is never overwritten. A file already imported (same sha256) is skipped.
"""

from __future__ import annotations

from pathlib import Path

from dipdrg.cases.columns import map_columns, require_columns
from dipdrg.cases.fields import HOSPITAL_FIELDS
from dipdrg.cases.readers import read_table, sql_literal
from dipdrg.cases.settlements import ImportResult, _already_imported, _count, _drop_temp, _record, file_sha256
from dipdrg.cases import staging
from dipdrg.cases.steps import run_step
from dipdrg.workspace import Workspace


def import_hospitals(
    ws: Workspace, path: Path, *, fmt: str = "auto", encoding: str = "auto", sheet: str | None = None
) -> ImportResult:
    """Import one registry file in one transaction; return its account."""
    path = Path(path)
    if not path.is_file():
        from dipdrg.errors import UserError

        raise UserError("文件不存在" if not path.exists() else "不是文件（可能是目录）", file=path)
    sha = file_sha256(path)
    with ws.run("import-hospitals", inputs={str(path): sha}) as run_id:
        con = ws.con
        previous = _already_imported(con, "hospital", sha)
        if previous:
            return ImportResult(previous, "hospital", path, "-", skipped=True)
        run_step(con, "macros")
        source = read_table(con, path, "imp_src", fmt=fmt, encoding=encoding, sheet=sheet)
        cmap = map_columns(source.columns, HOSPITAL_FIELDS, file=path)
        labels = {f.name: f.labels[0] for f in HOSPITAL_FIELDS}
        require_columns(cmap, [f.name for f in HOSPITAL_FIELDS if f.required], file=path, labels=labels)
        staging.create_hospital_stage(con, source, cmap)
        rejects = f"{source.table}_rejects"
        run_step(con, "hosp_typed", rejects=rejects)
        run_step(con, "hosp_classify")
        import_id = f"{run_id}-1"
        run_step(con, "hosp_write", import_id=sql_literal(import_id), source_file=sql_literal(str(path)),
                 raw_select=staging.raw_select(source), rejects=rejects)
        result = ImportResult(
            import_id, "hospital", path, source.format, rows_read=source.rows_read,
            loaded=_count(con, "SELECT count(*) FROM imp_outcome WHERE outcome = 'load'"),
            duplicates=_count(con, "SELECT count(*) FROM imp_outcome WHERE outcome = 'duplicate'"),
            quarantined=_count(con, "SELECT count(*) FROM (SELECT source_row FROM imp_problem UNION "
                                    "SELECT source_row FROM imp_outcome WHERE outcome = 'conflict')"),
            encoding=source.encoding, ignored_columns=cmap.ignored,
        )
        _record(con, result, sha)
        _drop_temp(con)
    return result
