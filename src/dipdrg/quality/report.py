"""Quality reports: per-hospital figures (完整度, 合格率, 及时率), findings by rule, per-case
findings — as an XLSX workbook and/or CSV files.

The counts come from SQL (``report_*.sql``); the three ratios are formed here, once, and
rounded to 4 decimals half up (DESIGN.md §4.6). A ratio with an empty denominator is blank.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

from openpyxl import Workbook

from dipdrg.errors import UserError
from dipdrg.money import four
from dipdrg.quality.catalogue import SEVERITIES, rule_by_id
from dipdrg.report.csv import write_csv
from dipdrg.report.paths import output_file
from dipdrg.report.xlsx import write_table
from dipdrg.sqlfiles import run_sql
from dipdrg.workspace import Workspace

HOSPITAL_HEADERS = (
    "机构编码", "机构名称", "病例数", "无完整性错误病例数", "完整度", "无错误病例数", "合格率",
    "有上传时间病例数", "按时上传病例数", "及时率", "错误数", "警告数",
)
HOSPITAL_FORMATS = {"完整度": "percent", "合格率": "percent", "及时率": "percent",
                    "病例数": "int", "错误数": "int", "警告数": "int"}
RULE_HEADERS = ("机构编码", "机构名称", "规则编号", "严重程度", "维度", "规则说明", "问题病例数")
FINDING_HEADERS = ("结算ID", "机构编码", "规则编号", "严重程度", "维度", "字段", "规则说明", "详情")
TOTAL_CODE = "合计"


def ratio(part: int, whole: int) -> Decimal | None:
    """part / whole to 4 decimals (ROUND_HALF_UP); None when there is nothing to divide by."""
    return four(Decimal(part) / Decimal(whole)) if whole else None


@dataclass(frozen=True)
class HospitalQuality:
    """The quality figures of one hospital (or of all, code ``合计``)."""

    code: str
    name: str
    cases: int
    complete: int
    qualified: int
    uploaded: int
    on_time: int
    errors: int
    warnings: int

    @property
    def completeness(self) -> Decimal | None:
        """完整度: share of cases with no 完整性 error."""
        return ratio(self.complete, self.cases)

    @property
    def pass_rate(self) -> Decimal | None:
        """合格率: share of cases with no error (warnings allowed)."""
        return ratio(self.qualified, self.cases)

    @property
    def timeliness(self) -> Decimal | None:
        """及时率: share of cases with an upload time uploaded within the deadline."""
        return ratio(self.on_time, self.uploaded)

    def row(self) -> tuple[Any, ...]:
        return (self.code, self.name, self.cases, self.complete, self.completeness, self.qualified,
                self.pass_rate, self.uploaded, self.on_time, self.timeliness, self.errors, self.warnings)


def latest_run(ws: Workspace) -> tuple[str, Any, dict[str, Any]]:
    """(run id, finish time, parameters) of the last quality run, or a Chinese error."""
    row = ws.con.execute(
        "SELECT run_id, finished_at, parameters FROM runs WHERE kind = 'quality'"
        " ORDER BY started_at DESC LIMIT 1"
    ).fetchone()
    if row is None:
        raise UserError(f"工作区尚未运行质控；请先运行 dipdrg quality run -w {ws.path}", file=ws.path)
    return row[0], row[1], json.loads(row[2])


def hospital_quality(ws: Workspace) -> list[HospitalQuality]:
    """One entry per hospital, then the total (合计) over all cases."""
    rows = [HospitalQuality(*(int(v) if i > 1 else v for i, v in enumerate(r)))
            for r in run_sql(ws.con, "dipdrg.quality", "report_hospitals.sql").fetchall()]
    total = HospitalQuality(TOTAL_CODE, "全部机构", *(sum(getattr(h, f) for h in rows) for f in (
        "cases", "complete", "qualified", "uploaded", "on_time", "errors", "warnings")))
    return rows + [total]


def rule_counts(ws: Workspace, names: dict[str, str]) -> list[tuple[Any, ...]]:
    """(hospital, rule, severity, dimension, message, cases) rows in Chinese."""
    rules = rule_by_id()
    out = []
    for code, rule_id, cases in run_sql(ws.con, "dipdrg.quality", "report_rules.sql").fetchall():
        rule = rules.get(rule_id)
        out.append((code, names.get(code, ""), rule_id,
                    SEVERITIES[rule.severity] if rule else "", rule.dimension if rule else "",
                    rule.message if rule else "（规则已不在目录中）", cases))
    return out


def finding_rows(ws: Workspace, batch: int = 50_000) -> Iterator[tuple[Any, ...]]:
    """Per-case findings, streamed, with the rule's Chinese message."""
    rules = rule_by_id()
    cursor = ws.con.cursor()
    run_sql(cursor, "dipdrg.quality", "report_findings.sql")
    while chunk := cursor.fetchmany(batch):
        for setl_id, code, rule_id, severity, dimension, field, detail in chunk:
            rule = rules.get(rule_id)
            yield (setl_id, code, rule_id, SEVERITIES.get(severity, severity), dimension, field,
                   rule.message if rule else "", detail)
    cursor.close()


def _notes(ws: Workspace) -> list[tuple[str, str]]:
    run_id, finished, parameters = latest_run(ws)
    notes = [("质控批次", run_id), ("完成时间", str(finished or ""))]
    for key, entry in parameters.items():
        notes.append((key, f"{entry['value']}（依据：{entry['source']}）"))
    notes += [
        ("完整度", "无“完整性”错误的病例数 / 病例数"),
        ("合格率", "无任何错误（警告不计）的病例数 / 病例数"),
        ("及时率", "按时上传的病例数 / 有上传时间的病例数；无上传时间的病例不计入"),
        ("比率取位", "四位小数，四舍五入"),
    ]
    return notes


def write_report(ws: Workspace, xlsx: Path | None = None, csv_dir: Path | None = None) -> dict[str, Any]:
    """Write the report; return the figures of all hospitals together and what was written."""
    notes = _notes(ws)
    hospitals = hospital_quality(ws)
    names = {h.code: h.name for h in hospitals}
    by_rule = rule_counts(ws, names)
    result: dict[str, Any] = {"total": hospitals[-1], "hospitals": len(hospitals) - 1, "truncated": False}
    if xlsx is not None:
        xlsx = output_file(xlsx)
        book = Workbook(write_only=True)
        write_table(book, "机构质控汇总", HOSPITAL_HEADERS, [h.row() for h in hospitals], HOSPITAL_FORMATS)
        write_table(book, "规则问题分布", RULE_HEADERS, by_rule, {"问题病例数": "int"})
        written = write_table(book, "病例质控明细", FINDING_HEADERS, finding_rows(ws))
        write_table(book, "说明", ("项目", "内容"), notes)
        try:
            book.save(str(xlsx))
        except OSError as exc:
            raise UserError(f"无法写出报告：{exc.strerror}", file=xlsx) from exc
        result["truncated"] = written.truncated
    if csv_dir is not None:
        csv_dir.mkdir(parents=True, exist_ok=True)
        write_csv(csv_dir / "机构质控汇总.csv", HOSPITAL_HEADERS, [h.row() for h in hospitals])
        write_csv(csv_dir / "规则问题分布.csv", RULE_HEADERS, by_rule)
        write_csv(csv_dir / "病例质控明细.csv", FINDING_HEADERS, finding_rows(ws))
    return result
