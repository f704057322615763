"""Score the cases of a DIP grouping run against a local catalog pack (DESIGN §4.3–4.4, §4.6).

Writes ``dip_case_scores`` (migration 0004, the contract with settlement) inside
``Workspace.run("dip-score", ...)``: one row per case of the grouping run, ungrouped cases
included with a NULL score. The formulas live in ``01_case_inputs.sql`` (coefficients) and
``02_case_scores.sql`` (standard, outliers, case score).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from dipdrg.dip.catalog.pack import load_pack_tables, read_local_pack
from dipdrg.dip.progress import OnStep, no_steps
from dipdrg.dip.score.aux import case_subtypes
from dipdrg.dip.score.exact import install_macros
from dipdrg.errors import UserError
from dipdrg.money import four
from dipdrg.policy.loader import Policy
from dipdrg.sqlfiles import run_sql
from dipdrg.workspace.store import Workspace

PKG = "dipdrg.dip.score"


@dataclass
class ScoreResult:
    """Headline figures of a scoring run."""

    run_id: str
    group_run_id: str
    point_value: Decimal
    cases: int
    grouped: int
    outliers: dict[str, int]
    level_missing: int
    total_score: Decimal


def latest_group_run(ws: Workspace) -> str:
    """The most recent finished DIP grouping run."""
    row = ws.con.execute(
        "SELECT run_id FROM runs WHERE kind = 'dip-group' AND finished_at IS NOT NULL"
        " ORDER BY finished_at DESC, run_id DESC LIMIT 1").fetchone()
    if row is None:
        raise UserError("工作区中没有 DIP 分组结果；请先运行 dipdrg dip group", file=ws.path)
    return row[0]


SCORE_STEPS = ("读取病种库", "辅助分型", "病例系数", "病例分值与异常病例", "汇总")


def score_cases(ws: Workspace, pack_dir: Path, policy: Policy, *, group_run: str | None = None,
                point_value: Decimal | None = None, on_step: OnStep = no_steps) -> ScoreResult:
    """Score every case of ``group_run`` (default: the latest) and record the run.

    ``on_step`` is called with each name of :data:`SCORE_STEPS` as that step starts.
    """
    con = ws.con
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if "dip_case_groups" not in tables:
        raise UserError("工作区中没有 DIP 分组结果表；请先运行 dipdrg dip group", file=ws.path)
    run = group_run or latest_group_run(ws)
    if not con.execute("SELECT COUNT(*) FROM dip_case_groups WHERE run_id = ?", [run]).fetchone()[0]:
        raise UserError(f"找不到分组运行 {run} 的结果", field="--group-run")
    pack = read_local_pack(Path(pack_dir))
    pv = four(point_value) if point_value is not None else pack.budget_point_value
    if pv is None or pv <= 0:
        raise UserError("病种库清单中没有预算点值；请用 --point-value 指定", file=pack.directory, field="budget_point_value")
    rule = policy.get("dip.outlier.rule")
    params = {
        "low_ratio": policy.get("dip.outlier.low_ratio"), "high_ratio": policy.get("dip.outlier.high_ratio"),
        "review_ratio": policy.get("dip.outlier.review_ratio"), "rule": rule,
    }
    los_days = int(pack.build.get("severity_los_days", policy.get("dip.aux.severity_los_days")))
    inputs = {"pack": pack.sha256, "group_run": run, "policy": policy.values_hash()}
    install_macros(con)
    with ws.run("dip-score", inputs=inputs, parameters=policy.used("dip")) as run_id:
        on_step(SCORE_STEPS[0])
        load_pack_tables(con, pack)
        con.execute("CREATE OR REPLACE TEMP TABLE sc_scope AS SELECT setl_id FROM dip_case_groups"
                    " WHERE run_id = ? AND group_code IS NOT NULL", [run])
        on_step(SCORE_STEPS[1])
        case_subtypes(con, "SELECT setl_id FROM sc_scope", los_days)
        on_step(SCORE_STEPS[2])
        run_sql(con, PKG, "01_case_inputs.sql", group_run=run)
        missing = con.execute("SELECT COUNT(*), MIN(group_code) FROM sc_cases"
                              " WHERE group_code IS NOT NULL AND NOT in_pack").fetchone()
        if missing[0]:
            raise UserError(f"分组结果中有 {missing[0]} 例的病种（如 {missing[1]}）不在病种库 {pack.pack_id} 中；"
                            "请用该病种库重新分组后再计算分值", file=pack.directory)
        on_step(SCORE_STEPS[3])
        run_sql(con, PKG, "02_case_scores.sql", run_id=run_id, group_run=run, point_value=pv,
                 pack_sha256=pack.sha256, **params)
        on_step(SCORE_STEPS[4])
        level_missing = con.execute("SELECT COUNT(*) FROM sc_cases WHERE level_missing").fetchone()[0]
        cases, grouped, total = con.execute(
            "SELECT COUNT(*), COUNT(group_code), COALESCE(SUM(case_score), 0) FROM dip_case_scores WHERE run_id = ?",
            [run_id]).fetchone()
        outliers = dict(con.execute("SELECT outlier, COUNT(*) FROM dip_case_scores WHERE run_id = ?"
                                    " AND outlier IS NOT NULL GROUP BY outlier", [run_id]).fetchall())
    return ScoreResult(run_id, run, pv, cases, grouped, outliers, level_missing, Decimal(total))
