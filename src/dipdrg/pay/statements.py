"""Settlement statements (结算单): per-hospital monthly and annual statements and a regional
summary, as XLSX formatted for printing (landscape, fit to width, header row repeated on every
page, 2-decimal money) and as CSV with the same Chinese headers.

Statements are drawn from the stored runs (the latest annual run of the year, the latest
monthly run of each month and, when one exists, the latest simulation run) and never show run
ids or times, so the same inputs give the same files byte for byte: the XLSX document
properties and zip entry times are fixed to the end of the settled year (``statement_stamp``),
not the clock. The case-level CSV lets every figure be traced to its cases.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Mapping, Sequence

import duckdb
from openpyxl import Workbook

from dipdrg.errors import UserError
from dipdrg.pay.labels import Labels, labels
from dipdrg.pay.progress import Tick, no_tick
from dipdrg.pay.sqlstep import step
from dipdrg.policy.registry import choice_label
from dipdrg.report.csv import write_csv
from dipdrg.report.xlsx import write_table
from dipdrg.workspace import Workspace

KIND_ZH = {"surplus": "结余", "overrun": "超支", "balanced": "持平"}


def annual_columns(words: Labels) -> list[tuple[str, str, str]]:
    """(header, column of settle_annual or expression, format), in the method's words."""
    return [
        ("医疗机构编码", "a.fixmedins_code", "text"),
        ("医疗机构名称", "COALESCE(h.fixmedins_name, '')", "text"),
        (f"{words.cases}数", "a.dip_cases", "int"),
        (words.total_units, "a.units", "four"),
        ("病例基金应付", "a.case_fund_due", "money"),
        ("考核系数", "a.assessment_coef", "four"),
        ("考核后应付", "a.assessed_due", "money"),
        ("审核扣款", "a.deductions", "money"),
        ("年度应付", "a.due", "money"),
        ("按项目统筹基金", "a.billed_fund", "money"),
        ("结余或超支", "a.balance", "money"),
        ("分担类型", "a.sharing_kind", "text"),
        ("留用或分担金额", "a.shared_amount", "money"),
        ("年度清算总额", "a.settled_amount", "money"),
        ("月度预付合计", "a.monthly_gross", "money"),
        ("质量保证金", "a.reserve_withheld", "money"),
        ("已拨付", "a.monthly_paid", "money"),
        ("已预付月数", "a.months_paid", "int"),
        ("清算应拨付", "a.final_amount", "money"),
        (f"{words.outside}病例数", "a.non_dip_cases", "int"),
        (f"{words.outside}统筹基金", "a.non_dip_fund", "money"),
    ]


def monthly_columns(words: Labels) -> list[tuple[str, str, str]]:
    return [
        ("月份", "m.period", "text"),
        ("医疗机构编码", "m.fixmedins_code", "text"),
        ("医疗机构名称", "COALESCE(h.fixmedins_name, '')", "text"),
        (f"{words.cases}数", "m.dip_cases", "int"),
        (words.total_units, "m.units", "four"),
        ("按项目统筹基金", "m.billed_fund", "money"),
        ("病例基金应付", "m.case_fund_due", "money"),
        ("预付基数", "m.gross_due", "money"),
        ("质量保证金", "m.reserve", "money"),
        ("审核扣款", "m.deductions", "money"),
        ("本月预付", "m.payable", "money"),
        (f"{words.outside}病例数", "m.non_dip_cases", "int"),
        (f"{words.outside}统筹基金", "m.non_dip_fund", "money"),
    ]


BAND_COLUMNS = [
    ("医疗机构编码", "b.fixmedins_code", "text"),
    ("类型", "b.kind", "text"),
    ("档次", "b.band_no", "int"),
    ("下限比例", "b.lower_ratio", "percent"),
    ("上限比例", "b.upper_ratio", "percent"),
    ("分担比例", "b.share", "percent"),
    ("下限金额", "b.lower_amount", "money"),
    ("上限金额", "b.upper_amount", "money"),
    ("段内金额", "b.part_amount", "money"),
    ("留用或分担金额", "b.shared_amount", "money"),
]


def point_value_headers(words: Labels) -> list[str]:
    return ["期间", f"{words.price}形式", "预算方法", words.budget, "入组病例数", words.total_units, "医疗费总额",
            "统筹基金支付", "基金支付比例", words.budget_price, words.settlement_price, words.applied_price]


def point_value_formats(words: Labels) -> dict[str, str]:
    return {words.budget: "money", "入组病例数": "int", words.total_units: "four", "医疗费总额": "money",
            "统筹基金支付": "money", "基金支付比例": "four", words.budget_price: "four",
            words.settlement_price: "four", words.applied_price: "four"}


def case_headers(words: Labels) -> list[str]:
    return ["期间", "结算ID", "医疗机构编码", f"{words.name}组编码", "是否入组", words.case_units, "异常类型",
            "特例单议", words.price, "基金支付比例", "支付标准", "基金应付", "医疗费总额", "统筹基金支付"]


@dataclass(frozen=True)
class StatementFiles:
    directory: Path
    files: list[Path]


def _print_setup(sheet) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def add_sheet(book: Workbook, name: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
              formats: Mapping[str, str]) -> None:
    """One printable table in ``book`` (the shared writer plus the print setup)."""
    write_table(book, name, headers, rows, formats)
    _print_setup(book[name[:31]])


def write_xlsx_table(path: Path, name: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                     formats: Mapping[str, str], stamp: datetime | None = None) -> None:
    book = Workbook()
    add_sheet(book, name, headers, rows, formats)
    if stamp is None:
        book.save(str(path))
    else:
        save_workbook(book, path, stamp)


def statement_stamp(year: int) -> datetime:
    """The date written into a year's statement files: the end of the settled year.

    A re-run must give the same bytes, so neither the clock nor a run's start time can be used;
    the settled year is what the statements are "as of".
    """
    return datetime(year, 12, 31, 23, 59, 59)


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose entries all carry one fixed time (openpyxl's entries take the clock's time,
    or the modification time of the temporary file a worksheet was streamed to)."""

    date_time = (1980, 1, 1, 0, 0, 0)

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):  # noqa: D102
        if isinstance(zinfo_or_arcname, str):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=self.date_time)
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):  # noqa: D102
        self.writestr(arcname or Path(filename).name, Path(filename).read_bytes(), compress_type, compresslevel)


def save_workbook(book: Workbook, path: Path, stamp: datetime) -> Path:
    """Save ``book`` with fixed properties and zip times, so equal content gives equal bytes.

    ``Workbook.save`` stamps the modified time with the clock; the writer it calls is used here
    directly with ``stamp`` as created/modified time and as the time of every zip entry.
    """
    from openpyxl.writer.excel import ExcelWriter

    book.properties.created = stamp
    book.properties.modified = stamp
    buffer = io.BytesIO()
    archive = _FixedTimeZip(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    archive.date_time = stamp.timetuple()[:6]
    ExcelWriter(book, archive).save()
    path.write_bytes(buffer.getvalue())
    return path


def _select(con: duckdb.DuckDBPyConnection, columns, source: str, where: str, order: str, params: list) -> list[tuple]:
    exprs = ", ".join(expr for _, expr, _ in columns)
    rows = con.execute(f"SELECT {exprs} FROM {source} WHERE {where} ORDER BY {order}", params).fetchall()
    labelled = {i for i, (h, _, _) in enumerate(columns) if h in ("分担类型", "类型")}
    return [tuple(KIND_ZH.get(v, v) if i in labelled else v for i, v in enumerate(row)) for row in rows]


def _headers(columns) -> list[str]:
    return [h for h, _, _ in columns]


def _formats(columns) -> dict[str, str]:
    return {h: f for h, _, f in columns if f != "text"}


def _total(rows: list[tuple], columns, label_at: int = 0) -> tuple:
    """A 合计 row: sums of the money, count and score columns (exact decimals)."""
    out: list[Any] = []
    for i, (_, _, fmt) in enumerate(columns):
        if fmt in ("money", "int", "four") and not any(w in columns[i][0] for w in ("系数", "月数")):
            out.append(sum((r[i] for r in rows if r[i] is not None), Decimal(0) if fmt != "int" else 0))
        else:
            out.append("合计" if i == label_at else None)
    return tuple(out)


def statement_steps(hospitals: int) -> int:
    """Ticks of write_statements: the regional files, then one per hospital."""
    return 2 + hospitals


def write_statements(ws: Workspace, year: int, directory: Path, method: str = "dip",
                     tick: Tick = no_tick) -> StatementFiles:
    """All statements of ``year`` into ``directory`` (created); returns the files written."""
    from dipdrg.pay.simulation_report import latest_simulation, simulation_tables

    con = ws.con
    words = labels(method)
    runs = step(con, "statement_runs", {"method": method, "period": str(year), "year_prefix": f"{year}-%"}).fetchall()
    annual_run = next((r[2] for r in runs if r[0] == "annual"), None)
    if annual_run is None:
        raise UserError(f"还没有 {year} 年的年度清算结果；请先运行 dipdrg settle annual --year {year}"
                        f" --method {method}", field="year")
    monthly_runs = [(r[1], r[2]) for r in runs if r[0] == "monthly"]
    stamp = statement_stamp(year)
    annual_cols, monthly_cols = annual_columns(words), monthly_columns(words)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "医疗机构").mkdir(exist_ok=True)
    files: list[Path] = []
    hosp_join = "LEFT JOIN hospitals h ON h.fixmedins_code = {}.fixmedins_code"

    annual = _select(con, annual_cols, f"settle_annual a {hosp_join.format('a')}", "a.run_id = ?",
                     "a.fixmedins_code", [annual_run])
    monthly: list[tuple] = []
    for period, run_id in monthly_runs:
        monthly += _select(con, monthly_cols, f"settle_monthly m {hosp_join.format('m')}",
                           "m.run_id = ? AND m.period = ?", "m.fixmedins_code", [run_id, period])
    bands = _select(con, BAND_COLUMNS, "settle_bands_applied b", "b.run_id = ?",
                    "b.fixmedins_code, b.band_no", [annual_run])
    pv = con.execute(
        "SELECT period, regime, budget_method, fund_budget, grouped_cases, total_units, total_cost,"
        " total_fund, fund_ratio, budget_pv, settlement_pv, applied_pv FROM settle_point_values"
        " WHERE run_id = ? ORDER BY period", [annual_run]).fetchall()
    pv = [(row[0], choice_label("settle.point_value.regime", row[1]),
           choice_label("settle.budget.method", row[2]), *row[3:]) for row in pv]
    sim_run = latest_simulation(con, method, year)
    simulation = simulation_tables(con, sim_run, method) if sim_run else {}
    tick("读取结算结果")

    summary = annual + [_total(annual, annual_cols)]
    pv_headers = point_value_headers(words)
    book = Workbook()
    add_sheet(book, "年度清算汇总", _headers(annual_cols), summary, _formats(annual_cols))
    add_sheet(book, words.price, pv_headers, pv, point_value_formats(words))
    add_sheet(book, "月度预付", _headers(monthly_cols), monthly, _formats(monthly_cols))
    add_sheet(book, "分段分担", _headers(BAND_COLUMNS), bands, _formats(BAND_COLUMNS))
    for name, (headers, rows, formats) in simulation.items():
        add_sheet(book, name, headers, rows, formats)
    files.append(save_workbook(book, directory / f"地区汇总_{year}.xlsx", stamp))
    tables = [
        (f"地区汇总_{year}.csv", _headers(annual_cols), summary),
        (f"{words.price}_{year}.csv", pv_headers, pv),
        (f"月度预付_{year}.csv", _headers(monthly_cols), monthly),
        (f"分段分担_{year}.csv", _headers(BAND_COLUMNS), bands),
    ] + [(f"{name}_{year}.csv", headers, rows) for name, (headers, rows, _) in simulation.items()]
    for name, headers, rows in tables:
        write_csv(directory / name, headers, rows)
        files.append(directory / name)
    files.append(_case_csv(con, annual_run, directory / f"病例明细_{year}.csv", words))
    tick("地区汇总")

    sim_hospitals = {}
    if simulation:
        headers, rows, _ = simulation["模拟付费（机构）"]
        sim_hospitals = {row[0]: list(zip(headers, row)) for row in rows}
    for row in annual:
        code = row[0]
        own_months = [m for m in monthly if m[1] == code]
        own_bands = [b for b in bands if b[0] == code]
        book = Workbook()
        add_sheet(book, "年度清算", ["项目", "金额"], _vertical(row, annual_cols), {"金额": "#,##0.00##"})
        add_sheet(book, "月度预付", _headers(monthly_cols), own_months + [_total(own_months, monthly_cols)],
                  _formats(monthly_cols))
        add_sheet(book, "分段分担", _headers(BAND_COLUMNS), own_bands, _formats(BAND_COLUMNS))
        if code in sim_hospitals:
            add_sheet(book, "模拟付费", ["项目", "金额"], sim_hospitals[code], {"金额": "#,##0.00"})
        stem = directory / "医疗机构" / f"{code}_{year}"
        files.append(save_workbook(book, stem.with_name(stem.name + ".xlsx"), stamp))
        write_csv(stem.with_name(stem.name + "_年度清算.csv"), ["项目", "金额"], _vertical(row, annual_cols))
        write_csv(stem.with_name(stem.name + "_月度预付.csv"), _headers(monthly_cols), own_months)
        files += [stem.with_name(stem.name + "_年度清算.csv"), stem.with_name(stem.name + "_月度预付.csv")]
        tick(code)
    return StatementFiles(directory, files)


def _vertical(row: tuple, columns) -> list[tuple]:
    """An annual row as (item, value) lines, the layout of a printed statement."""
    return [(header, value) for (header, _, _), value in zip(columns, row)]


def _case_csv(con: duckdb.DuckDBPyConnection, run_id: str, path: Path, words: Labels) -> Path:
    """Every case of the annual run (traceability), written by the database in one pass."""
    columns = ["period", "setl_id", "fixmedins_code", "group_code",
               "CASE WHEN in_scope THEN '是' ELSE '否' END", "units",
               "CASE outlier WHEN 'low' THEN '低倍率' WHEN 'high' THEN '高倍率' WHEN 'review' THEN '待单议' END",
               "CASE special_mode WHEN 'item' THEN '按项目' WHEN 'adjusted' THEN '调整标准' END",
               "point_value", "fund_ratio", "standard_amount", "fund_due", "medfee_sumamt", "hifp_pay"]
    select = ", ".join(f'{c} AS "{h}"' for c, h in zip(columns, case_headers(words)))
    quote = lambda text: "'" + str(text).replace("'", "''") + "'"  # noqa: E731 (SQL literal)
    con.execute(
        f"COPY (SELECT {select} FROM settle_cases WHERE run_id = {quote(run_id)}"
        f" ORDER BY fixmedins_code, setl_id) TO {quote(path)} (HEADER, DELIMITER ',')"
    )
    return path

