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
from dipdrg.cases.accounting import (
    ImportResult, already_imported, check_file, count_of, drop_temp, record_import,
)
from dipdrg.cases import staging
from dipdrg.cases.steps import run_step
from dipdrg.hashing import file_sha256
from dipdrg.workspace import Workspace


def import_hospitals(
    ws: Workspace, path: Path, *, fmt: str = "auto", encoding: str = "auto", sheet: str | None = None
) -> ImportResult:
    """Import one registry file in one transaction; return its account."""
    path = Path(path)
    check_file(path)
    sha = file_sha256(path)
    previous = already_imported(ws.con, "hospital", sha)
    if previous:
        return ImportResult(previous, "hospital", path, "-", skipped=True)
    with ws.run("import-hospitals", inputs={str(path): sha}) as run_id:
        con = ws.con
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
        run_step(con, "hosp_write", import_id=sql_literal(import_id))
        run_step(con, "write_rejected", import_id=sql_literal(import_id), source_file=sql_literal(str(path)),
                 raw_select=staging.raw_select(source), rejects=rejects, conflict_rule="'IMP-110'",
                 conflict_field="'fixmedins_code'",
                 id_select="SELECT source_row, fixmedins_code AS id FROM imp_htyped")
        result = ImportResult(
            import_id, "hospital", path, source.format, rows_read=source.rows_read,
            loaded=count_of(con, "SELECT count(*) FROM imp_outcome WHERE outcome = 'load'"),
            duplicates=count_of(con, "SELECT count(*) FROM imp_outcome WHERE outcome = 'duplicate'"),
            quarantined=count_of(con, "SELECT count(*) FROM (SELECT source_row FROM imp_problem UNION "
                                    "SELECT source_row FROM imp_outcome WHERE outcome = 'conflict')"),
            encoding=source.encoding, ignored_columns=cmap.ignored,
        )
        record_import(con, result, sha)
        drop_temp(con)
    return result
