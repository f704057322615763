"""Read an input file into a DuckDB TEMP table of VARCHAR columns plus ``source_row``.

Every reader keeps the file's own column names (mapping to canonical names happens later, in
``columns.py``) and numbers rows the way a user finds them again: CSV/XLSX by the line or row
number of the file (the header is line 1, so the first data row is 2), Parquet and JSON by the
1-based record index. Lines that cannot be parsed at all (truncated, bad bytes, wrong column
count) are not dropped: they go to ``<table>_rejects(source_row, rule_id, message, raw)``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import os
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa

from dipdrg.arrow import temp_table_from_arrow
from dipdrg.cases.newlines import lf_copy_if_mixed
from dipdrg.errors import UserError, detail

FORMATS = ("csv", "xlsx", "parquet", "json")
ENCODINGS = ("auto", "utf-8", "gbk")
SAMPLE_BYTES = 1 << 20


@dataclass
class Source:
    """A file read into ``table`` (VARCHAR columns + source_row) and its parse rejects."""

    path: Path
    table: str
    format: str
    columns: list[str]
    rows_read: int
    encoding: str = "utf-8"
    extra: dict[str, str] = field(default_factory=dict)   # JSON: names of the list tables


def sql_literal(text: str | os.PathLike[str]) -> str:
    """Quote a value for inclusion in SQL text (file names, generated ids)."""
    return "'" + str(text).replace("'", "''") + "'"


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def detect_format(path: Path, requested: str = "auto") -> str:
    """The format named by the user, else by the file extension, else by its first bytes."""
    if requested != "auto":
        if requested not in FORMATS:
            raise UserError(f"不支持的格式 {requested}（可选：auto、{'、'.join(FORMATS)}）", file=path)
        return requested
    suffix = path.suffix.lower()
    by_suffix = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xlsx",
                 ".parquet": "parquet", ".pq": "parquet", ".json": "json", ".jsonl": "json",
                 ".ndjson": "json"}
    if suffix in by_suffix:
        return by_suffix[suffix]
    head = path.open("rb").read(4)
    if head.startswith(b"PK"):
        return "xlsx"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.lstrip()[:1] in (b"[", b"{"):
        return "json"
    return "csv"


def check_readable(path: Path) -> None:
    """Missing, unreadable and empty files are user errors, said in one sentence."""
    if not path.exists():
        raise UserError("文件不存在", file=path)
    if not path.is_file():
        raise UserError("不是文件（可能是目录）", file=path)
    if not os.access(path, os.R_OK):
        raise UserError("文件无法读取（没有读取权限）", file=path)
    if path.stat().st_size == 0:
        raise UserError("文件为空", file=path)


# -- encodings ---------------------------------------------------------------------------
def detect_encoding(path: Path, requested: str = "auto") -> str:
    """'utf-8' or 'gbk' (read as GB18030, its superset) from the first megabyte.

    A file that is mostly valid UTF-8 stays UTF-8 even with a few bad rows: those rows are
    quarantined by the CSV reader (IMP-012). A file mostly undecodable as UTF-8 is GBK, again
    tolerating a few undecodable rows (quarantined after transcoding, IMP-012).
    """
    if requested not in ENCODINGS:
        raise UserError(f"不支持的编码 {requested}（可选：auto、utf-8、gbk）", file=path)
    sample = path.open("rb").read(SAMPLE_BYTES)
    _refuse_wide_encoding(path, sample)
    # Bytes that do not decode are counted against the valid CJK characters: text in the
    # wrong encoding gives many bad sequences and almost no valid CJK characters, a file in
    # the right one with a few broken rows far more valid CJK characters than bad ones.
    looks_utf8 = _mostly_decodes(sample, "utf-8")
    gbk_ok = _mostly_decodes(sample, "gb18030")
    if requested == "utf-8":
        if not looks_utf8:
            raise UserError(
                "文件不是 UTF-8 编码（大量字节无法解码）；请改用 --encoding gbk 或 --encoding auto",
                file=path,
            )
        return "utf-8"
    if requested == "gbk":
        if not gbk_ok:
            raise UserError("文件不是 GBK/GB18030 编码；请改用 --encoding utf-8 或 auto", file=path)
        return "gbk"
    if looks_utf8:
        return "utf-8"
    if gbk_ok:
        return "gbk"
    raise UserError("无法识别文件编码（既不是 UTF-8 也不是 GBK）；请另存为 UTF-8 后重试", file=path)


def _refuse_wide_encoding(path: Path, sample: bytes) -> None:
    """UTF-16/UTF-32 text (Excel's "Unicode 文本" export) is refused in one clear sentence.

    Its ASCII characters carry NUL bytes, which decode as valid UTF-8, so without this check
    the file would reach the CSV parser and fail with a parser message. Recognised by a
    UTF-16/32 byte order mark, or by NUL bytes making up a quarter of the sample (text in
    UTF-8 or GBK has none).
    """
    has_bom = sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE))
    if has_bom or sample.count(b"\x00") * 4 >= max(len(sample), 1):
        raise UserError(
            "文件是 UTF-16/Unicode 编码，不受支持；请另存为 UTF-8（或 GBK）编码的 CSV 后重试",
            file=path,
        )


def _mostly_decodes(sample: bytes, encoding: str) -> bool:
    """No undecodable bytes, or fewer undecodable sequences than valid CJK characters."""
    text = codecs.getincrementaldecoder(encoding)("replace").decode(sample, final=False)
    bad = text.count("\ufffd")
    return bad == 0 or sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff") >= bad


def transcode_to_utf8(path: Path, directory: Path) -> tuple[Path, bool]:
    """Stream a GB18030 file to UTF-8; bytes that do not decode become U+FFFD (rows flagged)."""
    target = directory / (path.stem + ".utf8.csv")
    decoder = codecs.getincrementaldecoder("gb18030")("replace")
    replaced = False
    with path.open("rb") as src, target.open("w", encoding="utf-8", newline="") as out:
        while chunk := src.read(8 << 20):
            text = decoder.decode(chunk)
            replaced = replaced or "\ufffd" in text
            out.write(text)
        tail = decoder.decode(b"", final=True)
        replaced = replaced or "\ufffd" in tail
        out.write(tail)
    return target, replaced


# -- CSV -----------------------------------------------------------------------------------
CSV_ERRORS = """CASE error_type
    WHEN 'MISSING COLUMNS' THEN '行不完整（列数不足，可能被截断）'
    WHEN 'TOO MANY COLUMNS' THEN '列数多于表头'
    WHEN 'INVALID ENCODING' THEN '含有无法解码的字节（编码错误）'
    WHEN 'UNQUOTED VALUE' THEN '引号不配对'
    ELSE '无法解析的行' END"""
CSV_RULE = "CASE min(error_type) WHEN 'INVALID ENCODING' THEN 'IMP-012' ELSE 'IMP-011' END"


def _csv_header(path: Path, shown: Path) -> list[str]:
    """Column names from the first line (parsed here so DuckDB never has to sniff the file:
    its sniffer gives up when a broken line falls in its sample). Empty names become
    ``columnN`` and repeated ones get ``_1``, ``_2`` as DuckDB itself would name them."""
    with path.open("rb") as handle:
        first = handle.readline(SAMPLE_BYTES)
    lines = first.decode("utf-8", errors="replace").lstrip("\ufeff").splitlines()
    if not lines or not lines[0].strip():
        raise UserError("第 1 行（表头）为空", file=shown)
    try:
        header = next(csv.reader([lines[0]]))
    except csv.Error as exc:
        raise UserError(f"第 1 行（表头）无法解析（{detail(exc)}）", file=shown) from exc
    names: list[str] = []
    for i, name in enumerate(header):
        base = name.strip() or f"column{i}"
        unique, n = base, 0
        while unique in names:
            n += 1
            unique = f"{base}_{n}"
        names.append(unique)
    return names


def read_csv(con: duckdb.DuckDBPyConnection, path: Path, table: str, encoding: str = "auto") -> Source:
    """DuckDB's parallel CSV reader, all columns as text, bad lines kept as rejects.

    ``<table>_raw`` holds the parsed rows in file order; ``<table>`` adds ``source_row`` (the
    file line: header = 1). A clean file gets a view numbering rows by ``rowid`` (no copy and
    no window over a million wide rows); a file with rejects gets a table whose line numbers
    skip the physical lines of the rejected records.
    """
    enc = detect_encoding(path, encoding)
    with tempfile.TemporaryDirectory(prefix="dipdrg-import-") as tmp:
        replaced = False
        data_path = path
        if enc == "gbk":
            data_path, replaced = transcode_to_utf8(path, Path(tmp))
        data_path = lf_copy_if_mixed(data_path, Path(tmp)) or data_path
        columns = _csv_header(data_path, path)
        spec = "{" + ", ".join(f"{sql_literal(c)}: 'VARCHAR'" for c in columns) + "}"
        try:
            _scan_csv(con, data_path, f"{table}_raw", spec)
            rejects = _csv_rejects(con, table)
            reread = rejects > 0 and _reread_split_lines(con, table, data_path, Path(tmp), columns)
        except duckdb.Error as exc:
            raise UserError(f"无法按 CSV 读取（{detail(exc)}）", file=path) from exc
    names = ", ".join(quote_ident(c) for c in columns)
    # rowids of a new table are one contiguous range in insertion order (inside a transaction
    # they start at a large offset): rowid - first rowid is the record's rank in the file.
    base = con.execute(f"SELECT coalesce(min(rowid), 0) FROM {table}_raw").fetchone()[0]
    if not rejects and not replaced:
        con.execute(f"CREATE OR REPLACE TEMP VIEW {table} AS SELECT rowid - {base} + 2 AS source_row, "
                    f"{names} FROM {table}_raw")
    else:
        _csv_numbered_table(con, table, names, base, reread)
    if replaced:
        _flag_replacement_chars(con, table, columns)
    rows = con.execute(
        f"SELECT (SELECT count(*) FROM {table}) + (SELECT count(*) FROM {table}_rejects)"
    ).fetchone()[0]
    return Source(path, table, "csv", columns, rows, enc)


def _scan_csv(con: duckdb.DuckDBPyConnection, path: Path, target: str, spec: str) -> None:
    """Parse with fixed dialect and columns (no sniffing); unparsable records go to ``target_rj``.

    Insertion order is preserved, so ``rowid`` of ``target`` is the record's rank in the file.
    """
    con.execute(f"DROP TABLE IF EXISTS {target}_rj; DROP TABLE IF EXISTS {target}_rjs")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {target} AS SELECT * FROM read_csv({sql_literal(path)}, "
        f"header = true, auto_detect = false, columns = {spec}, delim = ',', quote = '\"', "
        "escape = '\"', store_rejects = true, ignore_errors = true, "
        f"rejects_table = '{target}_rj', rejects_scan = '{target}_rjs')"
    )


def _csv_rejects(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """``<table>_rejects`` from DuckDB's reject records; returns how many records were rejected.

    DuckDB numbers records by the line they start on, not counting newlines inside quotes. A
    truncated line that leaves a quote open swallows the following line(s) into one bad record
    (``csv_line`` holds them all): each such physical line is judged on its own, a line with an
    odd number of quotes is IMP-011, the others are read again (``_reread_split_lines``).
    ``<table>_rjrec`` keeps, per rejected record i (in file order), its first physical line
    ``first_line``, its number of physical lines ``lines``, and ``after``: how many accepted
    records precede it (the 0-based rank of the first accepted record after it).
    """
    raw = f"{table}_raw"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table}_rjrec AS
        WITH records AS (
            SELECT CAST(line AS BIGINT) AS line, {CSV_RULE} AS rule_id,
                   string_agg(DISTINCT {CSV_ERRORS}, '；') AS message,
                   ltrim(min(csv_line), chr(13) || chr(10)) AS csv_line
            FROM (SELECT line, CAST(error_type AS VARCHAR) AS error_type, csv_line FROM {raw}_rj)
            GROUP BY line
        ), counted AS (
            SELECT *, row_number() OVER (ORDER BY line) AS i,
                   coalesce(len(string_split(csv_line, chr(10))), 1) AS lines
            FROM records
        )
        SELECT *, line + sum(lines - 1) OVER (ORDER BY i) - (lines - 1) AS first_line,
               line - 1 - i AS after
        FROM counted
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table}_rejects AS
        SELECT first_line AS source_row, rule_id, message, json_object('line', csv_line) AS raw
        FROM {table}_rjrec WHERE lines = 1
    """)
    con.execute(f"DROP TABLE {raw}_rj; DROP TABLE {raw}_rjs")
    return con.execute(f"SELECT count(*) FROM {table}_rjrec").fetchone()[0]


def _reread_split_lines(con: duckdb.DuckDBPyConnection, table: str, data_path: Path,
                        tmp: Path, columns: list[str]) -> bool:
    """Physical lines of multi-line rejected records: odd quote count -> IMP-011; the others are
    parsed again on their own into ``<table>_fix``, each prefixed with its line number so it
    keeps it. Returns whether there was anything to read again."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table}_pieces AS
        SELECT first_line + pos - 1 AS source_row, rtrim(piece, chr(13)) AS piece
        FROM (SELECT first_line, unnest(parts) AS piece, generate_subscripts(parts, 1) AS pos
              FROM (SELECT first_line, string_split(csv_line, chr(10)) AS parts
                    FROM {table}_rjrec WHERE lines > 1))
        WHERE trim(piece) <> ''
    """)
    con.execute(f"""
        INSERT INTO {table}_rejects
        SELECT source_row, 'IMP-011', '引号不配对（行可能被截断，未与下一行合并）',
               json_object('line', piece)
        FROM {table}_pieces WHERE (length(piece) - length(replace(piece, '"', ''))) % 2 = 1
    """)
    balanced = con.execute(
        f"SELECT source_row, piece FROM {table}_pieces "
        f"WHERE (length(piece) - length(replace(piece, '\"', ''))) % 2 = 0 ORDER BY source_row"
    ).fetchall()
    if not balanced:
        return False
    spec = "{'__line': 'BIGINT', " + ", ".join(f"{sql_literal(c)}: 'VARCHAR'" for c in columns) + "}"
    fix = tmp / "reread.csv"
    with data_path.open("rb") as handle:
        header = handle.readline(SAMPLE_BYTES).decode("utf-8", errors="replace").lstrip("\ufeff").splitlines()[0]
    # the few lines of broken records only; the bulk of the file never passes through Python
    fix.write_text("\n".join(["__line," + header] + [f"{n},{piece}" for n, piece in balanced]) + "\n",
                   encoding="utf-8")
    _scan_csv(con, fix, f"{table}_fix", spec)
    con.execute(f"""
        INSERT INTO {table}_rejects
        SELECT CAST(split_part(csv_line, ',', 1) AS BIGINT), {CSV_RULE},
               string_agg(DISTINCT {CSV_ERRORS}, '；'),
               json_object('line', min(substr(csv_line, strpos(csv_line, ',') + 1)))
        FROM (SELECT CAST(error_type AS VARCHAR) AS error_type, ltrim(csv_line, chr(13) || chr(10)) AS csv_line
              FROM {table}_fix_rj)
        GROUP BY 1
    """)
    con.execute(f"DROP TABLE {table}_fix_rj; DROP TABLE {table}_fix_rjs")
    return True


def _csv_numbered_table(con: duckdb.DuckDBPyConnection, table: str, names: str, base: int,
                        reread: bool) -> None:
    """``<table>`` with line numbers that skip every physical line of the rejected records.

    Accepted record k (0-based rank, rowid - ``base``) follows rejected record i exactly when
    ``after_i <= k``; its line is k + 2 plus the physical lines of those records. Lines read
    again from broken records carry their own number.
    """
    rank = f"t.rowid - {base}"
    # each accepted rank range [lo, hi) between two rejected records shifts by the physical
    # lines of all rejected records before it (a range join against a handful of rows)
    sql = (f"SELECT {rank} + 2 + coalesce(b.shift, 0) AS source_row, {names} FROM {table}_raw t "
           f"LEFT JOIN (SELECT after AS lo, coalesce(lead(after) OVER (ORDER BY i), {2**62}) AS hi, "
           f"sum(lines) OVER (ORDER BY i) AS shift FROM {table}_rjrec) b "
           f"ON {rank} >= b.lo AND {rank} < b.hi")
    if reread:
        sql += f" UNION ALL SELECT __line, {names} FROM {table}_fix"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {sql}")
    con.execute(f"DROP TABLE {table}_raw")


def _flag_replacement_chars(con: duckdb.DuckDBPyConnection, table: str, columns: list[str]) -> None:
    """Rows of a GBK file holding undecodable bytes are rejects (IMP-012), not data."""
    joined = " || ".join(f"coalesce({quote_ident(c)}, '')" for c in columns)
    con.execute(f"""
        INSERT INTO {table}_rejects
        SELECT source_row, 'IMP-012', '含有无法解码的字节（编码错误）', to_json(t)
        FROM {table} t WHERE strpos({joined}, chr(65533)) > 0
    """)
    con.execute(f"""DELETE FROM {table} WHERE source_row IN (SELECT source_row FROM {table}_rejects)""")


# -- XLSX ------------------------------------------------------------------------------------
def _cell_text(value: object) -> str | None:
    """Excel cells as text: integral numbers without '.0', dates in ISO form, no float noise."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def read_xlsx(con: duckdb.DuckDBPyConnection, path: Path, table: str, sheet: str | None = None) -> Source:
    """First sheet (or ``sheet``) via python-calamine; header row 1, data from row 2."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        if sheet is None:
            data = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
        elif sheet in book.sheet_names:
            data = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        else:
            raise UserError(
                f"找不到工作表“{sheet}”（现有：{'、'.join(book.sheet_names)}）", file=path
            )
    except UserError:
        raise
    except Exception as exc:  # calamine raises its own error types for broken workbooks
        raise UserError(f"无法按 XLSX 读取：文件可能已损坏，或不是 Excel 工作簿（{detail(exc)}）", file=path) from exc
    if not data:
        raise UserError("工作表为空", file=path)
    header = [_cell_text(h) or f"column{i + 1}" for i, h in enumerate(data[0])]
    body = [(i + 2, row) for i, row in enumerate(data[1:]) if any(v not in (None, "") for v in row)]
    arrays = {"source_row": pa.array([n for n, _ in body], pa.int64())}
    for j, name in enumerate(header):
        arrays[name] = pa.array(
            [_cell_text(row[j]) if j < len(row) else None for _, row in body], pa.string()
        )
    temp_table_from_arrow(con, table, pa.table(arrays))
    _empty_rejects(con, table)
    return Source(path, table, "xlsx", header, len(body))


# -- Parquet ------------------------------------------------------------------------------------
def read_parquet(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> Source:
    """Parquet columns cast to text; list columns joined with '|' like a flat export."""
    scan = f"read_parquet({sql_literal(path)}, file_row_number = true)"
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {scan}").fetchall()
    except duckdb.Error as exc:
        raise UserError(f"无法按 Parquet 读取：文件可能已损坏，或不是 Parquet 文件（{detail(exc)}）", file=path) from exc
    exprs, columns = ["file_row_number + 1 AS source_row"], []
    for name, type_, *_ in described:
        if name == "file_row_number":
            continue
        columns.append(name)
        q = quote_ident(name)
        if type_.endswith("[]"):
            # DuckDB array_to_string; portable: concat_ws('|', col) on Spark
            exprs.append(f"array_to_string(CAST({q} AS VARCHAR[]), '|') AS {q}")
        else:
            exprs.append(f"CAST({q} AS VARCHAR) AS {q}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {', '.join(exprs)} FROM {scan}")
    _empty_rejects(con, table)
    rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return Source(path, table, "parquet", columns, rows)


def _empty_rejects(con: duckdb.DuckDBPyConnection, table: str) -> None:
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table}_rejects "
        "(source_row BIGINT, rule_id VARCHAR, message VARCHAR, raw VARCHAR)"
    )


def read_table(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    table: str,
    *,
    fmt: str = "auto",
    encoding: str = "auto",
    sheet: str | None = None,
) -> Source:
    """Read a flat file (CSV/XLSX/Parquet) of any accepted kind; refuse an empty one."""
    check_readable(path)
    kind = detect_format(path, fmt)
    if kind == "csv":
        source = read_csv(con, path, table, encoding)
    elif kind == "xlsx":
        source = read_xlsx(con, path, table, sheet)
    elif kind == "parquet":
        source = read_parquet(con, path, table)
    else:
        from dipdrg.cases.json4101 import read_json4101

        source = read_json4101(con, path, table)
    if source.rows_read == 0:
        raise UserError("文件没有数据行（只有表头或为空）", file=path)
    return source
