"""Group every imported case of a workspace (``dipdrg dip group``) and report 入组率.

Runs inside ``Workspace.run("dip-group", ...)`` so a failure leaves no result and the run
records the hashes of the pack and of the imported files.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from dipdrg.dip.group.engine import STEP_NAMES, drop_temps, run_steps, step_files
from dipdrg.dip.pack.model import Catalog
from dipdrg.dip.progress import OnStep, no_steps
from dipdrg.errors import UserError
from dipdrg.money import four
from dipdrg.sqlfiles import run_sql
from dipdrg.workspace import Workspace
from dipdrg.workspace.fingerprint import cases_fingerprint

PKG = "dipdrg.dip.group"


@dataclass
class RateRow:
    """入组率 of one hospital, or of the whole region (``is_total``)."""

    fixmedins_code: str | None
    fixmedins_name: str | None
    cases: int
    grouped: int
    core: int
    comprehensive: int
    primary_care: int
    ungrouped: int
    is_total: bool = False

    @property
    def rate(self) -> Decimal:
        """grouped / cases, 4 decimals half-up (DESIGN §4.6 "Rounding")."""
        return four(Decimal(self.grouped) / Decimal(self.cases)) if self.cases else Decimal("0.0000")


@dataclass
class GroupRun:
    run_id: str
    rates: list[RateRow]
    reasons: list[tuple[str, str, int]]

    @property
    def overall(self) -> RateRow:
        return next(r for r in self.rates if r.is_total)

    def summary_zh(self) -> str:
        o = self.overall
        text = (f"DIP 分组完成（运行 {self.run_id}）：病例 {o.cases:,} 例，入组 {o.grouped:,} 例，"
                f"入组率 {o.rate * 100:.2f}%（核心病种 {o.core:,}，综合病种 {o.comprehensive:,}，"
                f"基层病种 {o.primary_care:,}），未入组 {o.ungrouped:,} 例")
        if self.reasons:
            text += "：" + "；".join(f"{d} {n:,} 例" for _, d, n in self.reasons)
        return text + "。"


def group_steps() -> tuple[str, ...]:
    """The names ``group_workspace`` reports through ``on_step``, in order (for a progress bar)."""
    return ("读取病例", *(STEP_NAMES.get(name[:2], name) for name, _ in step_files()), "保存分组结果", "统计入组率")


def group_workspace(ws: Workspace, catalog: Catalog, on_step: OnStep = no_steps) -> GroupRun:
    """Group all cases of the workspace with ``catalog``; returns the run id and 入组率."""
    total = ws.con.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
    if total == 0:
        raise UserError("工作区中没有病例；请先运行 dipdrg import 导入结算清单", file=ws.path)
    inputs = {f"pack:{catalog.manifest.id}": catalog.sha256, "cases": cases_fingerprint(ws.con)}
    if "national_sha256" in catalog.cache:
        inputs["national-exclusions"] = catalog.cache["national_sha256"]
    parameters = {"pack_id": catalog.manifest.id, "pack_version": catalog.manifest.version, "pack_kind": catalog.kind}
    try:
        with ws.run("dip-group", inputs=inputs, parameters=parameters) as run_id:
            on_step("读取病例")
            run_sql(ws.con, PKG, "ws_steps/01_workspace_input.sql")
            run_steps(ws.con, catalog, on_step)
            on_step("保存分组结果")
            run_sql(ws.con, PKG, "ws_steps/02_store_results.sql", run_id=run_id, pack_id=catalog.manifest.id,
                    pack_version=catalog.manifest.version, pack_sha256=catalog.sha256)
    finally:
        drop_temps(ws.con)
    on_step("统计入组率")
    rates = [RateRow(*row) for row in run_sql(ws.con, PKG, "ws_steps/03_grouping_rate.sql", run_id=run_id).fetchall()]
    reasons = [tuple(r) for r in run_sql(ws.con, PKG, "ws_steps/04_ungrouped_reasons.sql", run_id=run_id).fetchall()]
    return GroupRun(run_id, rates, reasons)
