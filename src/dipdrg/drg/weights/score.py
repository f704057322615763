"""Per-case DRG units (病例权重) and payment standards (DESIGN §5; §4.6 "Outliers", "Rounding").

Writes ``drg_case_scores`` (migration 0006, the contract with the settlement adapter
``pay/basis_drg.sql``) inside ``Workspace.run("drg-score", ...)``: one row per case of the DRG
grouping run, ungrouped cases included with NULL units. The formulas are the SQL steps
``05_case_inputs.sql`` (coefficient), ``05b_missing_weights.sql`` (DRGs without a weight, policy
``drg.weights.missing``), ``rate.py`` (费率) and ``07_case_units.sql`` (standard, outliers, units;
the outlier rule itself is shared with DIP in ``dip/score/outlier.sql``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb

from dipdrg.dip.score.exact import install_macros
from dipdrg.drg.weights.build import check_group_run, latest_group_run
from dipdrg.drg.weights.rate import Rate, choose_rate
from dipdrg.drg.weights.weights_file import WeightsTable, read_weights_file
from dipdrg.errors import UserError
from dipdrg.pay.progress import Tick, no_tick
from dipdrg.policy.loader import Policy
from dipdrg.sqlfiles import run_sql
from dipdrg.workspace.fingerprint import cases_fingerprint
from dipdrg.workspace.store import Workspace

PKG = "dipdrg.drg.weights"


@dataclass
class DrgScoreResult:
    """Headline figures of a DRG scoring run."""

    run_id: str
    group_run_id: str
    weights: WeightsTable
    rate: Rate
    cases: int
    grouped: int
    outliers: dict[str, int]
    level_missing: int
    total_units: Decimal
    missing_weights: dict[str, int] = field(default_factory=dict)   # {'adrg'|'exclude': cases}


SCORE_STEPS = 4         # ticks of score_cases


def resolve_weights(con: duckdb.DuckDBPyConnection, ref: str) -> WeightsTable:
    """A weights run id of this workspace, else a weights file (CSV or XLSX)."""
    row = con.execute("SELECT weights_sha256 FROM drg_weight_runs WHERE run_id = ?", [ref]).fetchone()
    if row is not None:
        rows = con.execute("SELECT drg, rw FROM drg_weights WHERE run_id = ?", [ref]).fetchall()
        return WeightsTable({d: Decimal(w) for d, w in rows}, row[0], ref)
    path = Path(ref)
    if not path.exists():
        raise UserError(f"{ref} 既不是本工作区的权重测算运行编号，也不是权重文件", field="--weights")
    return read_weights_file(path)


def _load_weights(con: duckdb.DuckDBPyConnection, table: WeightsTable) -> None:
    con.execute("CREATE OR REPLACE TEMP TABLE drgs_weight_table (drg VARCHAR PRIMARY KEY, rw DECIMAL(18,4))")
    con.executemany("INSERT INTO drgs_weight_table VALUES (?, ?)", list(table.weights.items()))


def _resolve_missing(con: duckdb.DuckDBPyConnection, policy: Policy, table: WeightsTable) -> None:
    """Apply drg.weights.missing to DRGs without a weight (``drgs_cases``); refuse when it says so."""
    mode = policy.get("drg.weights.missing")
    run_sql(con, PKG, "05b_missing_weights.sql", missing=mode)
    missing = con.execute("SELECT COUNT(*), COUNT(DISTINCT drg), MIN(drg) FROM drgs_cases"
                          " WHERE drg IS NOT NULL AND NOT in_weights").fetchone()
    if missing[0] and mode == "refuse":
        raise UserError(f"分组结果中有 {missing[0]} 例的 DRG（共 {missing[1]} 组，如 {missing[2]}）在权重表"
                        f" {table.source} 中没有相对权重；请在权重文件中补充，或设置政策参数"
                        " drg.weights.missing = \"adrg\"（取同 ADRG 平均权重）或 \"exclude\"（不纳入 DRG 付费）",
                        field="drg.weights.missing")
    orphan = con.execute("SELECT COUNT(*), COUNT(DISTINCT adrg), MIN(adrg) FROM drgs_cases"
                         " WHERE drg IS NOT NULL AND rw IS NULL").fetchone()
    if orphan[0] and mode == "adrg":
        raise UserError(f"有 {orphan[0]} 例的 DRG 没有相对权重，且其 ADRG（共 {orphan[1]} 个，如 {orphan[2]}）"
                        "下没有任何有权重的 DRG，无法取同 ADRG 平均权重；请补充权重，或设置"
                        " drg.weights.missing = \"exclude\"", field="drg.weights.missing")


def score_cases(ws: Workspace, policy: Policy, weights_ref: str | WeightsTable, *, group_run: str | None = None,
                year: int | None = None, rate: Decimal | None = None, tick: Tick = no_tick) -> DrgScoreResult:
    """Score every case of ``group_run`` (default: the latest) with the given weights
    (a weights run id, a weights file, a drg-score run id, or a loaded table)."""
    con = ws.con
    run = group_run or latest_group_run(con)
    check_group_run(con, run)
    table = weights_ref if isinstance(weights_ref, WeightsTable) else resolve_weights(con, weights_ref)
    install_macros(con)
    _load_weights(con, table)
    run_sql(con, PKG, "05_case_inputs.sql", group_run=run, month_basis=policy.get("settle.month_basis"),
             level_1=policy.get("drg.coefficient.level_1"), level_2=policy.get("drg.coefficient.level_2"),
             level_3=policy.get("drg.coefficient.level_3"))
    _resolve_missing(con, policy, table)
    tick("病例与权重")
    chosen = choose_rate(con, policy, int(year if year is not None else policy.get("region.year")), rate)
    tick("费率")
    inputs = {"group_run": run, "weights": table.sha256, "cases": cases_fingerprint(con),
              "policy": policy.values_hash(), "rate": f"{chosen.value}:{chosen.source}"}
    high_rule = policy.get("drg.outlier.high_rule")
    with ws.run("drg-score", inputs=inputs, parameters=policy.used("drg")) as run_id:
        run_sql(con, PKG, "07_case_units.sql", run_id=run_id, group_run=run, rate=chosen.value,
                 low_ratio=policy.get("drg.outlier.low_ratio"), high_ratio=policy.get("drg.outlier.high_ratio"),
                 high_rule=high_rule, weights_sha256=table.sha256)
        cases, grouped, total = con.execute(
            "SELECT COUNT(*), COUNT(drg), COALESCE(SUM(case_units), 0) FROM drg_case_scores WHERE run_id = ?",
            [run_id]).fetchone()
        outliers = dict(con.execute("SELECT outlier, COUNT(*) FROM drg_case_scores WHERE run_id = ?"
                                    " AND outlier IS NOT NULL GROUP BY outlier", [run_id]).fetchall())
        tick("病例权重与高低倍率")
    level_missing = con.execute("SELECT COUNT(*) FROM drgs_cases WHERE level_missing").fetchone()[0]
    missing = dict(con.execute(
        "SELECT CASE WHEN rw_source = 'adrg' THEN 'adrg' ELSE 'exclude' END, COUNT(*) FROM drgs_cases"
        " WHERE drg IS NOT NULL AND NOT in_weights GROUP BY 1").fetchall())
    tick("完成")
    return DrgScoreResult(run_id, run, table, chosen, cases, grouped, outliers, level_missing, Decimal(total),
                          missing)


def run_weights(con: duckdb.DuckDBPyConnection, score_run: str) -> WeightsTable:
    """The weights a drg-score run used, read back from its cases (own weights only, not the
    ADRG means), under the sha256 of the weights table it recorded."""
    rows = con.execute("SELECT DISTINCT drg, rw, weights_sha256 FROM drg_case_scores WHERE run_id = ?"
                       " AND rw_source = 'drg'", [score_run]).fetchall()
    sha = rows[0][2] if rows else ""
    return WeightsTable({d: Decimal(w) for d, w, _ in rows}, sha, f"DRG 病例权重运行 {score_run}")


def rescore_run(ws: Workspace, policy: Policy, score_run: str, year: int) -> str:
    """Score the cases of drg-score run ``score_run`` again under ``policy`` (for a what-if): the
    same grouping run and weights; the same rate when it was given explicitly, else chosen anew."""
    con = ws.con
    row = con.execute("SELECT r.inputs, (SELECT MIN(group_run_id) FROM drg_case_scores WHERE run_id = ?)"
                      " FROM runs r WHERE r.run_id = ?", [score_run, score_run]).fetchone()
    if row is None or row[1] is None:
        raise UserError(f"找不到 DRG 病例权重运行 {score_run}", field="--score-run")
    value, _, source = str(json.loads(row[0] or "{}").get("rate", "")).partition(":")
    explicit = Decimal(value) if source == "explicit" else None
    return score_cases(ws, policy, run_weights(con, score_run), group_run=row[1], year=year, rate=explicit).run_id
