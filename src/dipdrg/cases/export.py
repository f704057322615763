"""Export the quarantine (隔离清单) and summarise the imports (导入台账)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from dipdrg.cases.rules import IMPORT_RULES
from dipdrg.errors import UserError
from dipdrg.report.csv import write_csv

QUARANTINE_HEADERS = ("导入批次", "文件", "行号", "结算ID/机构编号", "规则", "规则说明", "字段", "问题", "原始内容")
IMPORT_HEADERS = ("导入批次", "类型", "文件", "格式", "导入时间", "读入行数", "载入", "隔离", "重复")


def quarantine_rows(con: duckdb.DuckDBPyConnection, import_id: str | None = None) -> list[tuple]:
    """Every quarantined row (optionally of one import), with the rule's Chinese title."""
    rows = con.execute(
        "SELECT import_id, source_file, source_row, setl_id, rule_id, field, message, raw "
        "FROM quarantine WHERE ? IS NULL OR import_id LIKE ? || '%' "
        "ORDER BY import_id, source_file, source_row",
        [import_id, import_id],
    ).fetchall()
    return [(*r[:5], IMPORT_RULES.get(r[4], ""), *r[5:]) for r in rows]


def export_quarantine(con: duckdb.DuckDBPyConnection, target: Path, import_id: str | None = None) -> int:
    """Write the quarantine as CSV (UTF-8 with BOM, opens in Excel) or XLSX; return rows."""
    rows = quarantine_rows(con, import_id)
    suffix = target.suffix.lower()
    if suffix == ".csv":
        write_csv(target, QUARANTINE_HEADERS, rows)
    elif suffix == ".xlsx":
        from dipdrg.report.xlsx import write_table

        write_table(target, "隔离清单", QUARANTINE_HEADERS, rows, {"行号": "int"})
    else:
        raise UserError("导出文件须以 .csv 或 .xlsx 结尾", file=target)
    return len(rows)


def import_log(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "SELECT import_id, kind, source_file, format, imported_at, rows_read, loaded, quarantined, "
        "duplicates FROM imports ORDER BY imported_at, import_id"
    ).fetchall()
