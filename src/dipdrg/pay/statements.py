"""Settlement statements (结算单): per-hospital monthly and annual statements and a regional
summary, as XLSX formatted for printing (landscape, fit to width, header row repeated on every
page, 2-decimal money) and as CSV with the same Chinese headers.

Statements are drawn from the stored runs (the latest annual run of the year and the latest
monthly run of each month) and never show run ids or times, so the same inputs give the same
files to the cent. The case-level CSV lets every figure be traced to its cases.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import duckdb
from openpyxl import Workbook

from dipdrg.errors import UserError
from dipdrg.pay.sqlstep import step
from dipdrg.report.xlsx import write_table
from dipdrg.workspace import Workspace

KIND_ZH = {"surplus": "结余", "overrun": "超支", "balanced": "持平"}

ANNUAL_COLUMNS = [  # (header, column of settle_annual or expression, format)
    ("医疗机构编码", "a.fixmedins_code", "text"),
    ("医疗机构名称", "COALESCE(h.fixmedins_name, '')", "text"),
    ("DIP病例数", "a.dip_cases", "int"),
    ("总分值", "a.units", "four"),
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
    ("非DIP病例数", "a.non_dip_cases", "int"),
    ("非DIP统筹基金", "a.non_dip_fund", "money"),
]
MONTHLY_COLUMNS = [
    ("月份", "m.period", "text"),
    ("医疗机构编码", "m.fixmedins_code", "text"),
    ("医疗机构名称", "COALESCE(h.fixmedins_name, '')", "text"),
    ("DIP病例数", "m.dip_cases", "int"),
    ("总分值", "m.units", "four"),
    ("按项目统筹基金", "m.billed_fund", "money"),
    ("病例基金应付", "m.case_fund_due", "money"),
    ("预付基数", "m.gross_due", "money"),
    ("质量保证金", "m.reserve", "money"),
    ("审核扣款", "m.deductions", "money"),
    ("本月预付", "m.payable", "money"),
    ("非DIP病例数", "m.non_dip_cases", "int"),
    ("非DIP统筹基金", "m.non_dip_fund", "money"),
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
POINT_VALUE_HEADERS = ["期间", "点值形式", "预算方法", "DIP基金预算", "入组病例数", "总分值", "医疗费总额",
                       "统筹基金支付", "基金支付比例", "预算点值", "结算点值", "执行点值"]
POINT_VALUE_FORMATS = {"DIP基金预算": "money", "入组病例数": "int", "总分值": "four", "医疗费总额": "money",
                       "统筹基金支付": "money", "基金支付比例": "four", "预算点值": "four", "结算点值": "four",
                       "执行点值": "four"}
CASE_HEADERS = ["期间", "结算ID", "医疗机构编码", "病种编码", "是否入组", "病例分值", "异常类型", "特例单议",
                "点值", "基金支付比例", "支付标准", "基金应付", "医疗费总额", "统筹基金支付"]


@dataclass(frozen=True)
class StatementFiles:
    directory: Path
    files: list[Path]


def write_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """CSV in UTF-8 with BOM (so Excel opens the Chinese headers); decimals as written."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(headers)
        writer.writerows([("" if v is None else v) for v in row] for row in rows)


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
                     formats: Mapping[str, str]) -> None:
    book = Workbook()
    add_sheet(book, name, headers, rows, formats)
    book.save(str(path))


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


def write_statements(ws: Workspace, year: int, directory: Path, method: str = "dip") -> StatementFiles:
    """All statements of ``year`` into ``directory`` (created); returns the files written."""
    con = ws.con
    runs = step(con, "statement_runs", {"method": method, "period": str(year), "year_prefix": f"{year}-%"}).fetchall()
    annual_run = next((r[2] for r in runs if r[0] == "annual"), None)
    if annual_run is None:
        raise UserError(f"还没有 {year} 年的年度清算结果；请先运行 dipdrg settle annual --year {year}", field="year")
    monthly_runs = [(r[1], r[2]) for r in runs if r[0] == "monthly"]
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "医疗机构").mkdir(exist_ok=True)
    files: list[Path] = []
    hosp_join = "LEFT JOIN hospitals h ON h.fixmedins_code = {}.fixmedins_code"

    annual = _select(con, ANNUAL_COLUMNS, f"settle_annual a {hosp_join.format('a')}", "a.run_id = ?",
                     "a.fixmedins_code", [annual_run])
    monthly: list[tuple] = []
    for period, run_id in monthly_runs:
        monthly += _select(con, MONTHLY_COLUMNS, f"settle_monthly m {hosp_join.format('m')}",
                           "m.run_id = ? AND m.period = ?", "m.fixmedins_code", [run_id, period])
    bands = _select(con, BAND_COLUMNS, "settle_bands_applied b", "b.run_id = ?",
                    "b.fixmedins_code, b.band_no", [annual_run])
    pv = con.execute(
        "SELECT period, regime, budget_method, fund_budget, grouped_cases, total_units, total_cost,"
        " total_fund, fund_ratio, budget_pv, settlement_pv, applied_pv FROM settle_point_values"
        " WHERE run_id = ? ORDER BY period", [annual_run]).fetchall()

    summary = annual + [_total(annual, ANNUAL_COLUMNS)]
    book = Workbook()
    add_sheet(book, "年度清算汇总", _headers(ANNUAL_COLUMNS), summary, _formats(ANNUAL_COLUMNS))
    add_sheet(book, "点值", POINT_VALUE_HEADERS, pv, POINT_VALUE_FORMATS)
    add_sheet(book, "月度预付", _headers(MONTHLY_COLUMNS), monthly, _formats(MONTHLY_COLUMNS))
    add_sheet(book, "分段分担", _headers(BAND_COLUMNS), bands, _formats(BAND_COLUMNS))
    files.append(_save(book, directory / f"地区汇总_{year}.xlsx"))
    for name, headers, rows in (
        (f"地区汇总_{year}.csv", _headers(ANNUAL_COLUMNS), summary),
        (f"点值_{year}.csv", POINT_VALUE_HEADERS, pv),
        (f"月度预付_{year}.csv", _headers(MONTHLY_COLUMNS), monthly),
        (f"分段分担_{year}.csv", _headers(BAND_COLUMNS), bands),
    ):
        write_csv(directory / name, headers, rows)
        files.append(directory / name)
    files.append(_case_csv(con, annual_run, directory / f"病例明细_{year}.csv"))

    for row in annual:
        code = row[0]
        own_months = [m for m in monthly if m[1] == code]
        own_bands = [b for b in bands if b[0] == code]
        book = Workbook()
        add_sheet(book, "年度清算", ["项目", "金额"], _vertical(row), {"金额": "#,##0.00##"})
        add_sheet(book, "月度预付", _headers(MONTHLY_COLUMNS), own_months + [_total(own_months, MONTHLY_COLUMNS)],
                  _formats(MONTHLY_COLUMNS))
        add_sheet(book, "分段分担", _headers(BAND_COLUMNS), own_bands, _formats(BAND_COLUMNS))
        stem = directory / "医疗机构" / f"{code}_{year}"
        files.append(_save(book, stem.with_name(stem.name + ".xlsx")))
        write_csv(stem.with_name(stem.name + "_年度清算.csv"), ["项目", "金额"], _vertical(row))
        write_csv(stem.with_name(stem.name + "_月度预付.csv"), _headers(MONTHLY_COLUMNS), own_months)
        files += [stem.with_name(stem.name + "_年度清算.csv"), stem.with_name(stem.name + "_月度预付.csv")]
    return StatementFiles(directory, files)


def _vertical(row: tuple) -> list[tuple]:
    """An annual row as (item, value) lines, the layout of a printed statement."""
    return [(header, value) for (header, _, _), value in zip(ANNUAL_COLUMNS, row)]


def _save(book: Workbook, path: Path) -> Path:
    book.save(str(path))
    return path


def _case_csv(con: duckdb.DuckDBPyConnection, run_id: str, path: Path) -> Path:
    """Every case of the annual run (traceability), written by the database in one pass."""
    columns = ["period", "setl_id", "fixmedins_code", "group_code",
               "CASE WHEN in_scope THEN '是' ELSE '否' END", "units",
               "CASE outlier WHEN 'low' THEN '低倍率' WHEN 'high' THEN '高倍率' WHEN 'review' THEN '待单议' END",
               "CASE special_mode WHEN 'item' THEN '按项目' WHEN 'adjusted' THEN '调整标准' END",
               "point_value", "fund_ratio", "standard_amount", "fund_due", "medfee_sumamt", "hifp_pay"]
    select = ", ".join(f'{c} AS "{h}"' for c, h in zip(columns, CASE_HEADERS))
    quote = lambda text: "'" + str(text).replace("'", "''") + "'"  # noqa: E731 (SQL literal)
    con.execute(
        f"COPY (SELECT {select} FROM settle_cases WHERE run_id = {quote(run_id)}"
        f" ORDER BY fixmedins_code, setl_id) TO {quote(path)} (HEADER, DELIMITER ',')"
    )
    return path

