"""The weights table as a file: the canonical CSV (its sha256 identifies a set of weights), the
XLSX with Chinese headers, and reading a weights file back (a region may edit or negotiate the
weights before scoring; every row it gives is checked, with Chinese errors naming row and field).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Sequence

from dipdrg.errors import UserError
from dipdrg.hashing import file_sha256
from dipdrg.money import four
from dipdrg.report.xlsx import write_table

COLUMNS = ["drg", "mdc", "adrg", "case_count", "kept_count", "mean_cost", "mean_los", "cv", "rw", "low_count"]
HEADERS_ZH = ["DRG编码", "MDC", "ADRG", "病例数", "剔除极值后病例数", "次均费用（元）", "平均住院日",
              "变异系数", "相对权重（RW）", "病例数不足"]
FORMATS = {"病例数": "int", "剔除极值后病例数": "int", "次均费用（元）": "money", "平均住院日": "0.00",
           "变异系数": "four", "相对权重（RW）": "four"}
_ALIASES = dict(zip(HEADERS_ZH, COLUMNS))


@dataclass(frozen=True)
class WeightsTable:
    """DRG → RW, and the sha256 that names this exact set of weights."""

    weights: dict[str, Decimal]
    sha256: str
    source: str


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def canonical_csv(rows: Sequence[Sequence[Any]]) -> str:
    """The weights CSV text (rows in COLUMNS order, sorted by DRG by the caller)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_text(v) for v in row])
    return out.getvalue()


def write_files(output: Path, rows: Sequence[Sequence[Any]], notes: Sequence[tuple[str, str]]) -> tuple[Path, Path]:
    """Write ``output`` as CSV (English column names) and the same table as XLSX (Chinese headers)."""
    from openpyxl import Workbook

    csv_path = output.with_suffix(".csv")
    xlsx_path = output.with_suffix(".xlsx")
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    csv_path.write_text(canonical_csv(rows), encoding="utf-8")
    book = Workbook()
    shown = [(*row[:-1], "是" if row[-1] else "") for row in rows]  # low_count is the last column
    write_table(book, "DRG相对权重", HEADERS_ZH, shown, FORMATS)
    write_table(book, "测算说明", ["项目", "取值"], notes)
    book.save(str(xlsx_path))
    return csv_path, xlsx_path


def _read_rows(path: Path) -> list[dict[str, Any]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        from dipdrg.cases.readers import detect_encoding

        encoding = "utf-8-sig" if detect_encoding(path) == "utf-8" else "gb18030"
        try:
            with path.open(encoding=encoding, newline="") as handle:
                return [dict(r) for r in csv.DictReader(handle)]
        except UnicodeDecodeError as exc:
            raise UserError(f"权重文件含有无法识别的字符（应为 UTF-8 或 GBK 编码的文本，第 {exc.start} 字节附近）",
                            file=path) from None
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        values = list(sheet.iter_rows(values_only=True))
        if not values:
            return []
        header = [str(h).strip() if h is not None else "" for h in values[0]]
        return [dict(zip(header, row)) for row in values[1:]]
    raise UserError("权重文件应为 .csv 或 .xlsx", file=path)


def read_weights_file(path: Path) -> WeightsTable:
    """Read DRG and RW from a weights file (English or Chinese headers); refuse bad rows."""
    if not path.is_file():
        raise UserError("找不到权重文件", file=path)
    rows = [{_ALIASES.get(str(k).strip(), str(k).strip()): v for k, v in r.items() if k is not None}
            for r in _read_rows(path)]
    if not rows:
        raise UserError("权重文件没有数据行", file=path)
    for name in ("drg", "rw"):
        if name not in rows[0]:
            raise UserError(f"权重文件缺少列 {name}（{HEADERS_ZH[COLUMNS.index(name)]}）", file=path, field=name)
    weights: dict[str, Decimal] = {}
    for number, row in enumerate(rows, start=2):
        drg = str(row.get("drg") or "").strip().upper()
        if not drg:
            raise UserError("DRG 编码为空", file=path, row=number, field="drg")
        if drg in weights:
            raise UserError(f"DRG {drg} 重复出现", file=path, row=number, field="drg")
        try:
            rw = four(Decimal(str(row.get("rw")).strip()))
        except InvalidOperation:
            raise UserError(f"DRG {drg} 的相对权重 {row.get('rw')!r} 不是数值", file=path, row=number, field="rw") from None
        if not rw.is_finite() or rw <= 0:
            raise UserError(f"DRG {drg} 的相对权重 {rw}（保留 4 位小数）应大于 0", file=path, row=number, field="rw")
        weights[drg] = rw
    return WeightsTable(weights, file_sha256(path), str(path))
