"""Relative weights (RW) per DRG from local history (CHS-DRG 分组与付费技术规范; DESIGN §5, §4.6).

RW_i = m_i / M: m_i the 1:2:7-weighted (renormalised for missing years), trimmed mean cost of
DRG i; M the weighted mean cost of all grouped history cases (untrimmed); RW rounded half up to
4 decimals. The statistics are the DIP catalog's shared steps (``dip/catalog/stats_*.sql``:
nearest-rank trimming per group-year, year-weighted means, CV), run on a DRG input view; only
the input (``01``–``03``) and the ratio (``04``) are DRG steps. The whole build runs inside
``Workspace.run("drg-weights", ...)`` and stores ``drg_weight_runs`` and ``drg_weights``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import duckdb

from dipdrg.dip.catalog.params import year_weights
from dipdrg.dip.score.exact import install_macros
from dipdrg.drg.weights.weights_file import COLUMNS, canonical_csv
from dipdrg.errors import UserError
from dipdrg.hashing import text_sha256
from dipdrg.pay.progress import Tick, no_tick
from dipdrg.policy.loader import Policy
from dipdrg.sqlfiles import run_sql
from dipdrg.workspace.fingerprint import cases_fingerprint
from dipdrg.workspace.store import Workspace

PKG = "dipdrg.drg.weights"
STATS = "dipdrg.dip.catalog"

STATUS_NAMES = {
    "ok": "纳入测算",
    "ungrouped": "未入组",
    "no_year": "缺少出院（结算）日期",
    "no_cost": "医疗费总额缺失或为负",
}


@dataclass
class WeightsResult:
    """A weights run: its id, the groups it measured, M, the weights rows and their hash."""

    run_id: str
    group_run_id: str
    years: dict[int, Decimal]
    region_mean: Decimal
    region_cases: int
    status_counts: dict[str, int]
    rows: list[tuple[Any, ...]]
    sha256: str
    low_count: int


def latest_group_run(con: duckdb.DuckDBPyConnection) -> str:
    """The most recent finished DRG grouping run that has results."""
    row = con.execute(
        "SELECT r.run_id FROM runs r WHERE r.kind = 'drg-group' AND r.finished_at IS NOT NULL"
        " AND r.run_id IN (SELECT DISTINCT run_id FROM drg_case_groups)"
        " ORDER BY r.started_at DESC, r.run_id DESC LIMIT 1").fetchone()
    if row is None:
        raise UserError("工作区中没有 DRG 分组结果；请先运行 dipdrg drg group")
    return row[0]


def check_group_run(con: duckdb.DuckDBPyConnection, run: str) -> None:
    if not con.execute("SELECT COUNT(*) FROM drg_case_groups WHERE run_id = ?", [run]).fetchone()[0]:
        raise UserError(f"找不到 DRG 分组运行 {run} 的结果", field="--group-run")


def _statistics(con: duckdb.DuckDBPyConnection, into: str, policy: Policy, *, trimmed: bool) -> None:
    """The shared DIP statistics steps over the view ``cat_stat_input`` into table ``into``."""
    if trimmed:
        run_sql(con, STATS, "stats_year_sums_trimmed.sql", trim_lower=policy.get("drg.weights.trim_lower"),
                 trim_upper=policy.get("drg.weights.trim_upper"),
                 trim_min_cases=policy.get("drg.weights.trim_min_cases"))
    else:
        run_sql(con, STATS, "stats_year_sums.sql")
    run_sql(con, STATS, "stats_weighted.sql")
    con.execute(f"CREATE OR REPLACE TEMP TABLE {into} AS SELECT * FROM cat_stat_result")


WEIGHTS_STEPS = 4       # ticks of build_weights


def compute_weights(con: duckdb.DuckDBPyConnection, policy: Policy, group_run: str,
                    years: dict[int, Decimal], tick: Tick = no_tick) -> tuple[dict[str, int], Decimal, int]:
    """Fill ``drgw_weights``; returns the status counts, M and the number of cases behind M."""
    if policy.get("drg.weights.trim_lower") >= policy.get("drg.weights.trim_upper"):
        raise UserError("剔除极值的下分位须小于上分位", field="drg.weights.trim_lower")
    install_macros(con)
    con.execute("CREATE OR REPLACE TEMP TABLE cat_year_weights (case_year INTEGER, weight DECIMAL(18,6))")
    con.executemany("INSERT INTO cat_year_weights VALUES (?, ?)", list(years.items()))
    run_sql(con, PKG, "01_history.sql", group_run=group_run, year_basis=policy.get("drg.weights.year_basis"))
    status = dict(con.execute("SELECT status, COUNT(*) FROM drgw_history GROUP BY status").fetchall())
    if not status.get("ok"):
        listed = "、".join(map(str, years))
        raise UserError(f"测算年度（{listed}）没有可用的已入组历史病例（分组运行 {group_run}）", field="--years")
    tick("历史病例")
    run_sql(con, PKG, "02_drg_input.sql")
    _statistics(con, "drgw_drg_stats", policy, trimmed=True)
    tick("各 DRG 组次均费用")
    run_sql(con, PKG, "03_region_input.sql")
    _statistics(con, "drgw_region_stats", policy, trimmed=False)
    tick("地区次均费用")
    region_mean, region_cases = con.execute("SELECT mean_cost, case_count FROM drgw_region_stats").fetchone()
    if not region_mean or region_mean <= 0:
        raise UserError("入组历史病例的加权次均费用为 0，无法计算相对权重", field="--years")
    run_sql(con, PKG, "04_weights.sql", min_cases=policy.get("drg.weights.min_cases"))
    return status, Decimal(region_mean), int(region_cases)


def build_weights(ws: Workspace, policy: Policy, years: list[int], group_run: str | None = None,
                  tick: Tick = no_tick) -> WeightsResult:
    """Measure the RW of every DRG of ``group_run`` (default: the latest) and store the run."""
    con = ws.con
    run = group_run or latest_group_run(con)
    check_group_run(con, run)
    weights = year_weights(years, list(policy.get("drg.weights.year_weights")), key="drg.weights.year_weights")
    packs = con.execute("SELECT string_agg(DISTINCT pack_sha256, ',') FROM drg_case_groups WHERE run_id = ?",
                        [run]).fetchone()[0]
    inputs = {"group_run": run, "pack": packs or "", "history": cases_fingerprint(con),
              "policy": policy.values_hash()}
    with ws.run("drg-weights", inputs=inputs, parameters=policy.used("drg.weights")) as run_id:
        status, region_mean, region_cases = compute_weights(con, policy, run, weights, tick)
        names = ", ".join(COLUMNS)
        rows = con.execute(f"SELECT {names} FROM drgw_weights ORDER BY drg").fetchall()
        digest = text_sha256(canonical_csv(rows))
        con.execute(f"INSERT INTO drg_weights (run_id, {names}) SELECT ?, {names} FROM drgw_weights", [run_id])
        min_cases = int(policy.get("drg.weights.min_cases"))
        con.execute("INSERT INTO drg_weight_runs VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [run_id, run, ",".join(f"{y}:{w}" for y, w in weights.items()), region_cases,
                     region_mean, min_cases, digest])
        tick("相对权重")
    low = sum(1 for r in rows if r[-1])
    return WeightsResult(run_id, run, weights, region_mean, region_cases, status, rows, digest, low)
