"""XLSX tables shared by every statement: styled Chinese header, frozen first row, filter,
column widths fitted to the content, number formats per column.

Large tables are streamed (openpyxl write-only mode): ``write_table`` accepts any iterable of
rows and never holds more than the first rows used to size the columns.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from dipdrg.report.paths import output_file

# Named number formats; a value not in this table is used as an Excel format string as is.
FORMATS: dict[str, str] = {
    "percent": "0.00%",          # ratios stored as 0.6667 show as 66.67%
    "money": "#,##0.00",         # yuan
    "int": "#,##0",
    "four": "0.0000",            # scores, coefficients, point values
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "text": "@",
}
EXCEL_MAX_ROWS = 1_048_576       # including the header row
SAMPLE_ROWS = 200                # rows looked at to size the columns
MIN_WIDTH, MAX_WIDTH = 6, 60

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="305496")
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
HEADER_BORDER = Border(bottom=Side(style="thin", color="000000"))


@dataclass(frozen=True)
class Written:
    """What ``write_table`` wrote: data rows, and whether rows beyond Excel's limit were left out."""

    rows: int
    truncated: bool


def display_width(value: Any) -> int:
    """Width in Excel character units: CJK (full-width) characters count twice."""
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def number_format(kind: str) -> str:
    return FORMATS.get(kind, kind)


def _widths(headers: Sequence[str], sample: list[Sequence[Any]], formats: Mapping[str, str]) -> list[int]:
    out = []
    for i, header in enumerate(headers):
        longest = display_width(header) + 2
        for row in sample:
            value = row[i]
            shown = f"{value:.2%}" if formats.get(header) == "percent" and value is not None else value
            longest = max(longest, display_width(shown) + 1)
        out.append(max(MIN_WIDTH, min(MAX_WIDTH, longest)))
    return out


def _sheet(book: Workbook, name: str):
    if not book.write_only and book.sheetnames == ["Sheet"] and book["Sheet"].max_row == 1 \
            and book["Sheet"]["A1"].value is None:
        book.remove(book["Sheet"])  # the empty default sheet of a new workbook
    return book.create_sheet(title=name[:31])


def write_table(
    target: str | Path | Workbook,
    sheet_name: str,
    headers_zh: Sequence[str],
    rows: Iterable[Sequence[Any]],
    formats: Mapping[str, str] | None = None,
) -> Written:
    """Write one table as a sheet; ``formats`` maps a header to a FORMATS name or format string.

    With a path, a new workbook holding this one sheet is saved there. With a workbook, the
    sheet is added and the caller saves (several tables in one file).
    """
    formats = dict(formats or {})
    if isinstance(target, (str, Path)):
        target = output_file(target)
    book = Workbook(write_only=True) if isinstance(target, Path) else target
    ws = _sheet(book, sheet_name)
    stream = iter(rows)
    sample = list(itertools.islice(stream, SAMPLE_ROWS))
    for i, width in enumerate(_widths(headers_zh, sample, formats), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(headers_zh)))}1"
    styled = {i: number_format(formats[h]) for i, h in enumerate(headers_zh) if h in formats}

    def header_cell(value: str) -> Any:
        cell = WriteOnlyCell(ws, value) if book.write_only else None
        if cell is None:
            return value
        cell.font, cell.fill, cell.alignment, cell.border = HEADER_FONT, HEADER_FILL, HEADER_ALIGN, HEADER_BORDER
        return cell

    ws.append([header_cell(h) for h in headers_zh])
    written = 0
    truncated = False
    for row in itertools.chain(sample, stream):
        if written >= EXCEL_MAX_ROWS - 1:
            truncated = True
            break
        values = list(row)
        if book.write_only:
            for i, fmt in styled.items():
                cell = WriteOnlyCell(ws, values[i])
                cell.number_format = fmt
                values[i] = cell
        ws.append(values)
        written += 1
    if not book.write_only:
        for cell in ws[1]:
            cell.font, cell.fill, cell.alignment, cell.border = HEADER_FONT, HEADER_FILL, HEADER_ALIGN, HEADER_BORDER
        for i, fmt in styled.items():
            for (cell,) in ws.iter_rows(min_row=2, min_col=i + 1, max_col=i + 1):
                cell.number_format = fmt
    if isinstance(target, (str, Path)):
        book.save(str(target))
    return Written(written, truncated)
