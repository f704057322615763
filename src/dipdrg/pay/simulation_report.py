"""Simulated payment (模拟付费, DESIGN.md §4.5) as tables: per hospital and per group, DIP or DRG
against fee-for-service, with the difference and the reasons that add up to it.

Used by ``dipdrg settle simulate -o FILE.xlsx`` and by the statements of a year for which a
simulation run exists. Headers take the method's words (``labels.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from dipdrg.pay.labels import Labels, labels
from dipdrg.pay.sqlstep import step


def hospital_columns(words: Labels) -> list[tuple[str, str, str]]:
    """(header, expression over settle_sim_hospital s and hospitals h, format)."""
    return [
        ("医疗机构编码", "s.fixmedins_code", "text"),
        ("医疗机构名称", "COALESCE(h.fixmedins_name, '')", "text"),
        (f"{words.cases}数", "s.dip_cases", "int"),
        ("按项目付费（统筹基金）", "s.ffs_amount", "money"),
        ("病例基金应付", "s.case_fund_due", "money"),
        (f"{words.name}年度清算总额", "s.settled_amount", "money"),
        ("差额", "s.difference", "money"),
        ("其中：低倍率病例", "s.low_outlier", "money"),
        ("其中：高倍率病例", "s.high_outlier", "money"),
        ("其中：特例单议", "s.special_cases", "money"),
        ("其中：机构系数", "s.coefficient", "money"),
        ("其中：病种结构与费用", "s.case_mix", "money"),
        ("其中：考核系数", "s.assessment", "money"),
        ("其中：审核扣款", "s.deductions", "money"),
        ("其中：结余留用/超支分担", "s.sharing", "money"),
        ("主要原因", "s.main_reason", "text"),
    ]


def group_columns(words: Labels) -> list[tuple[str, str, str]]:
    """(header, expression over settle_sim_group g, format)."""
    return [
        (f"{words.name}组编码", "g.group_code", "text"),
        (f"{words.cases}数", "g.dip_cases", "int"),
        ("按项目付费（统筹基金）", "g.ffs_amount", "money"),
        (f"按{words.name}基金应付", "g.dip_amount", "money"),
        ("差额", "g.difference", "money"),
        ("其中：低倍率病例", "g.low_outlier", "money"),
        ("其中：高倍率病例", "g.high_outlier", "money"),
        ("其中：特例单议", "g.special_cases", "money"),
        ("其中：机构系数", "g.coefficient", "money"),
        ("其中：病种结构与费用", "g.case_mix", "money"),
        ("主要原因", "g.main_reason", "text"),
    ]


def latest_simulation(con: duckdb.DuckDBPyConnection, method: str, year: int) -> str | None:
    """The latest simulation run of ``method`` for ``year`` (None when there is none)."""
    row = step(con, "statement_sim_run", {"method": method, "period": str(year)}).fetchone()
    return row[0] if row else None


def simulation_tables(con: duckdb.DuckDBPyConnection, run_id: str, method: str) -> dict[str, tuple]:
    """{sheet name: (headers, rows, formats)} of one simulation run: per hospital, per group."""
    words = labels(method)
    out: dict[str, tuple] = {}
    for name, columns, source, order in (
        ("模拟付费（机构）", hospital_columns(words),
         "settle_sim_hospital s LEFT JOIN hospitals h ON h.fixmedins_code = s.fixmedins_code", "s.fixmedins_code"),
        (f"模拟付费（{words.name}组）", group_columns(words), "settle_sim_group g", "g.group_code"),
    ):
        alias = order.split(".", 1)[0]
        exprs = ", ".join(expr for _, expr, _ in columns)
        rows = con.execute(f"SELECT {exprs} FROM {source} WHERE {alias}.run_id = ? ORDER BY {order}",
                           [run_id]).fetchall()
        out[name] = ([h for h, _, _ in columns], rows, {h: f for h, _, f in columns if f != "text"})
    return out


def write_simulation(con: duckdb.DuckDBPyConnection, run_id: str, method: str, path: Path,
                     stamp: Any) -> Path:
    """The simulation as one XLSX (a sheet per hospital table and per group table)."""
    from openpyxl import Workbook

    from dipdrg.pay.statements import add_sheet, save_workbook

    book = Workbook()
    for name, (headers, rows, formats) in simulation_tables(con, run_id, method).items():
        add_sheet(book, name, headers, rows, formats)
    return save_workbook(book, path, stamp)
