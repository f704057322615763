"""Load official-style code files into the workspace tables ``codes``, ``code_lists``, ``code_crosswalk``.

Inputs are CSV (UTF-8 or GBK/GB18030, detected) or XLSX with a header row; column names are
configurable and default to the layout of the reference files (``code,name``,
``source_code,target_code``, ``code,name,category,master_code``) or common Chinese headers.
The work is set-based: DuckDB reads the file into a staging table and the ``sql/*.sql`` steps
check and load it. Everything of one call happens in one transaction.
"""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import duckdb
import pyarrow as pa

from dipdrg.codes.normalise import CANONICAL_PATTERN
from dipdrg.errors import UserError, detail
from dipdrg.hashing import file_sha256
from dipdrg.sqlfiles import run_sql

# 医疗保障手术操作分类与代码（ICD-9-CM-3 医保版）的手术操作属性。
PROCEDURE_CATEGORIES = ("手术", "介入治疗", "治疗性操作", "诊断性操作")

XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xls")

LIST_IDS = {
    ("diagnosis", "list"): "icd10-yb",
    ("procedure", "list"): "icd9-yb",
    ("diagnosis", "crosswalk"): "icd10-gl-to-yb",
    ("procedure", "crosswalk"): "icd9-gl-to-yb",
    ("procedure", "category"): "icd9-yb-category",
}

ALIASES = {
    "code": ("code", "编码", "代码", "疾病编码", "诊断编码", "手术操作编码", "手术编码"),
    "name": ("name", "名称", "疾病名称", "诊断名称", "手术操作名称", "手术名称"),
    "source": ("source_code", "国临版编码", "国临版代码", "源编码"),
    "target": ("target_code", "医保版编码", "医保版代码", "目标编码"),
    "category": ("category", "手术操作属性", "手术操作类别", "属性", "类别"),
}
STAGED_AS = {"code": "code", "name": "name", "source": "source_code", "target": "target_code", "category": "category"}

PROBLEM_ZH = {
    "empty": "编码为空",
    "malformed": "编码格式异常",
    "duplicate": "编码重复（保留首行）",
    "conflict": "同一编码对应多个值（未加载）",
    "target_unlisted": "映射目标不在医保版目录中",
    "no_category": "缺少手术操作属性",
    "bad_category": "手术操作属性取值无效",
    "unlisted": "编码不在手术操作目录中（未加载）",
    "missing": "目录中的手术操作没有属性",
}


@dataclass
class Columns:
    """Column names in the input files; None means the default name or a known Chinese header."""

    code: str | None = None
    name: str | None = None
    source: str | None = None
    target: str | None = None
    category: str | None = None


@dataclass
class Problem:
    """One kind of problem found in a file: how many rows and the first few examples."""

    kind: str
    count: int
    examples: list[str]

    def render(self) -> str:
        return f"{PROBLEM_ZH[self.kind]}：{self.count} 条（例：{'；'.join(self.examples)}）"


@dataclass
class LoadReport:
    """What one file contributed: rows read, rows loaded and the problems found."""

    list_id: str
    kind: str
    file: str
    rows: int
    loaded: int
    problems: list[Problem] = field(default_factory=list)


def _run(con: duckdb.DuckDBPyConnection, name: str, **params: str) -> list[tuple]:
    """Run ``sql/name``; the rows of its last statement."""
    return run_sql(con, "dipdrg.codes", f"sql/{name}", **params).fetchall()


def _problems(rows: list[tuple]) -> list[Problem]:
    out: dict[str, Problem] = {}
    for problem, source_row, code, total, example in rows:
        entry = out.setdefault(problem, Problem(problem, int(total), []))
        if example <= 5:
            entry.examples.append(f"第 {source_row} 行 {code}" if source_row is not None else str(code))
    return list(out.values())


# -- reading files ------------------------------------------------------------------------
def _csv_encoding(path: Path) -> str:
    """'utf-8' or 'gb18030' (a superset of GBK); anything else is refused in Chinese."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError as exc:
        raise UserError("文件编码无法识别（应为 UTF-8 或 GBK）", file=path) from exc


def _xlsx_table(path: Path) -> pa.Table:
    from python_calamine import CalamineWorkbook

    try:
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    except Exception as exc:  # calamine raises its own error types for unreadable files
        raise UserError(f"无法读取 Excel 文件（{detail(exc)}）", file=path) from exc
    if not rows:
        raise UserError("Excel 文件第一个工作表为空", file=path)
    header = [str(h).strip() for h in rows[0]]
    columns = list(zip(*rows[1:])) if len(rows) > 1 else [()] * len(header)
    return pa.table({name: pa.array([_cell(v) for v in col], pa.string()) for name, col in zip(header, columns)})


def _cell(value: object) -> str | None:
    """Excel cell as text; a number is written without a spurious '.0'."""
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _stage(con: duckdb.DuckDBPyConnection, path: Path, table: str, wanted: dict[str, str | None]) -> int:
    """Read ``path`` into TEMP ``table(source_row, ...)`` (all text, trimmed); return its rows.

    ``wanted`` maps a role (code/name/source/target/category) to the configured column name;
    None looks the role up among its aliases; the optional ``name`` may be absent.
    ``source_row`` is the line in the file (the header is line 1).
    """
    path = Path(path)
    if not path.is_file():
        raise UserError("文件不存在", file=path)
    con.execute(f"DROP TABLE IF EXISTS {table}")
    with _file_view(con, path):
        present = [r[0] for r in con.execute("DESCRIBE _codes_file").fetchall()]
        chosen = {role: _column(path, present, role, name) for role, name in wanted.items()}
        select = ", ".join(
            f"NULLIF(TRIM(\"{col}\"), '') AS {STAGED_AS[role]}" if col
            else f"CAST(NULL AS VARCHAR) AS {STAGED_AS[role]}"
            for role, col in chosen.items()
        )
        try:
            con.execute(
                f"CREATE TEMP TABLE {table} AS SELECT"
                f" CAST(ROW_NUMBER() OVER () AS BIGINT) + 1 AS source_row, {select} FROM _codes_file"
            )
        except duckdb.Error as exc:
            raise UserError(f"无法读取文件（{detail(exc)}）", file=path) from exc
    return con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


@contextmanager
def _file_view(con: duckdb.DuckDBPyConnection, path: Path) -> Iterator[None]:
    """TEMP VIEW ``_codes_file`` over the file (GBK CSV via a UTF-8 scratch copy)."""
    scratch: Path | None = None
    try:
        if path.suffix.lower() in XLSX_SUFFIXES:
            con.register("_codes_arrow", _xlsx_table(path))
            con.execute("CREATE OR REPLACE TEMP VIEW _codes_file AS SELECT * FROM _codes_arrow")
        else:
            source = path
            if _csv_encoding(path) != "utf-8":
                with tempfile.NamedTemporaryFile(
                    "w", suffix=".csv", encoding="utf-8", delete=False
                ) as tmp, path.open(encoding="gb18030", newline="") as src:
                    for block in iter(lambda: src.read(1 << 20), ""):
                        tmp.write(block)
                source = scratch = Path(tmp.name)
            try:
                con.execute(
                    "CREATE OR REPLACE TEMP VIEW _codes_file AS SELECT * FROM"
                    f" read_csv('{_quote(source)}', header = true, all_varchar = true)"
                )
                con.execute("DESCRIBE _codes_file").fetchall()
            except duckdb.Error as exc:
                raise UserError(f"无法读取 CSV 文件（{detail(exc)}）", file=path) from exc
        yield
    finally:
        con.execute("DROP VIEW IF EXISTS _codes_file")
        if path.suffix.lower() in XLSX_SUFFIXES:
            con.unregister("_codes_arrow")
        if scratch is not None:
            scratch.unlink(missing_ok=True)


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def _column(path: Path, present: list[str], role: str, configured: str | None) -> str | None:
    if configured is not None:
        if configured in present:
            return configured
        raise UserError(f"缺少列 {configured}（文件中的列：{'、'.join(present)}）", file=path, field=configured)
    for alias in ALIASES[role]:
        if alias in present:
            return alias
    if role == "name":
        return None
    raise UserError(
        f"缺少{role}列（默认 {ALIASES[role][0]}，可用命令行参数 --{role}-column 指定；"
        f"文件中的列：{'、'.join(present)}）",
        file=path,
        field=ALIASES[role][0],
    )


# -- loaders ------------------------------------------------------------------------------
def _register(con: duckdb.DuckDBPyConnection, list_id: str, kind: str, version: str, path: Path) -> None:
    con.execute(
        "INSERT INTO code_lists (list_id, kind, version, source_file, sha256, loaded_at)"
        " VALUES (?, ?, ?, ?, ?, current_timestamp)",
        [list_id, kind, version, str(path), file_sha256(path)],
    )


def _load_list(con, kind: str, path: Path, version: str, columns: Columns) -> LoadReport:
    list_id = LIST_IDS[(kind, "list")]
    rows = _stage(con, path, "_codes_src", {"code": columns.code, "name": columns.name})
    problems = _problems(_run(con, "list_problems.sql", pattern=CANONICAL_PATTERN[kind]))
    _run(con, "list_replace.sql", kind=kind, list_id=list_id)
    _register(con, list_id, kind, version, path)
    loaded = con.execute("SELECT COUNT(*) FROM codes WHERE kind = ?", [kind]).fetchone()[0]
    con.execute("DROP TABLE _codes_src")
    return LoadReport(list_id, kind, str(path), rows, loaded, problems)


def _load_crosswalk(con, kind: str, path: Path, version: str, columns: Columns) -> LoadReport:
    list_id = LIST_IDS[(kind, "crosswalk")]
    rows = _stage(con, path, "_crosswalk_src", {"source": columns.source, "target": columns.target})
    problems = _problems(_run(con, "crosswalk_problems.sql", kind=kind))
    _run(con, "crosswalk_replace.sql", kind=kind, list_id=list_id)
    _register(con, list_id, kind, version, path)
    loaded = con.execute("SELECT COUNT(*) FROM code_crosswalk WHERE kind = ?", [kind]).fetchone()[0]
    con.execute("DROP TABLE _crosswalk_src")
    return LoadReport(list_id, kind, str(path), rows, loaded, problems)


def _load_categories(con, path: Path, version: str, columns: Columns) -> LoadReport:
    list_id = LIST_IDS[("procedure", "category")]
    if not con.execute("SELECT COUNT(*) FROM codes WHERE kind = 'procedure'").fetchone()[0]:
        raise UserError("请先加载手术操作编码目录（--procedures），再加载手术操作属性", file=path)
    rows = _stage(con, path, "_category_src", {"code": columns.code, "category": columns.category})
    con.execute("CREATE OR REPLACE TEMP TABLE _category_values (category VARCHAR)")
    con.executemany("INSERT INTO _category_values VALUES (?)", [[c] for c in PROCEDURE_CATEGORIES])
    problems = _problems(_run(con, "category_problems.sql", pattern=CANONICAL_PATTERN["procedure"]))
    _run(con, "category_apply.sql", list_id=list_id)
    _register(con, list_id, "procedure", version, path)
    loaded = con.execute(
        "SELECT COUNT(*) FROM codes WHERE kind = 'procedure' AND category IS NOT NULL"
    ).fetchone()[0]
    con.execute("DROP TABLE _category_src")
    con.execute("DROP TABLE _category_values")
    return LoadReport(list_id, "procedure", str(path), rows, loaded, problems)


def load_files(
    ws,
    *,
    diagnoses: Path | str | None = None,
    procedures: Path | str | None = None,
    dx_crosswalk: Path | str | None = None,
    proc_crosswalk: Path | str | None = None,
    categories: Path | str | None = None,
    version: str = "2.0",
    columns: Columns | None = None,
) -> list[LoadReport]:
    """Load the given files in dependency order, atomically (all or nothing).

    Lists come first (crosswalk targets and attributes are checked against them). Reloading
    a procedure list clears its attributes, so load the attribute file with it.
    """
    columns = columns or Columns()
    reports: list[LoadReport] = []
    with ws.transaction() as con:
        for kind, path in (("diagnosis", diagnoses), ("procedure", procedures)):
            if path is not None:
                reports.append(_load_list(con, kind, Path(path), version, columns))
        for kind, path in (("diagnosis", dx_crosswalk), ("procedure", proc_crosswalk)):
            if path is not None:
                reports.append(_load_crosswalk(con, kind, Path(path), version, columns))
        if categories is not None:
            reports.append(_load_categories(con, Path(categories), version, columns))
    return reports


def loaded_lists(ws) -> list[tuple]:
    """(list_id, kind, version, rows, sha256, source_file, loaded_at) of every loaded file."""
    return ws.con.execute(
        """
        SELECT l.list_id, l.kind, l.version,
               CASE WHEN l.list_id LIKE '%-gl-to-yb'
                    THEN (SELECT COUNT(*) FROM code_crosswalk AS x WHERE x.kind = l.kind)
                    WHEN l.list_id LIKE '%-category'
                    THEN (SELECT COUNT(*) FROM codes AS c WHERE c.kind = l.kind AND c.category IS NOT NULL)
                    ELSE (SELECT COUNT(*) FROM codes AS c WHERE c.list_id = l.list_id) END,
               l.sha256, l.source_file, l.loaded_at
        FROM code_lists AS l ORDER BY l.kind, l.list_id
        """
    ).fetchall()


@contextmanager
def scratch_workspace() -> Iterator:
    """A throw-away workspace, for building an index straight from files."""
    from dipdrg.workspace import init_workspace

    with tempfile.TemporaryDirectory(prefix="dipdrg-codes-") as folder:
        ws = init_workspace(Path(folder) / "ws")
        try:
            yield ws
        finally:
            ws.close()
