"""Benchmark: a full settlement year of 1,000,000 cases in 40 hospitals (issue 6: < 30 s).

Generates cases and DIP case scores in DuckDB (deterministic arithmetic, no random state),
then times the twelve monthly prepayments, the annual clearance, the simulated payment and
the statements. Prints seconds, cases/s and peak memory (ru_maxrss).

    python bench/bench_settle.py [--cases 1000000] [--hospitals 40] [--keep DIR]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

from dipdrg.pay.clearance import settle_year
from dipdrg.pay.monthly import settle_months
from dipdrg.pay.simulate import simulate
from dipdrg.pay.statements import write_statements
from dipdrg.policy.loader import Policy, with_overrides
from dipdrg.workspace import init_workspace

YEAR = 2026


def generate(con, cases: int, hospitals: int) -> None:
    """Hospitals, cases (≈ 2 % ungrouped, ≈ 3 % low, ≈ 1 % high outliers) and their scores."""
    con.execute(
        "INSERT INTO hospitals SELECT 'H' || LPAD(CAST(h AS VARCHAR), 3, '0'), '医院' || h,"
        " CAST(1 + h % 3 AS VARCHAR), '综合', 'C', 'bench' FROM range(?) t(h)", [hospitals])
    con.execute("INSERT INTO runs VALUES ('score-bench', 'dip-score', TIMESTAMP '2026-01-01 00:00:00',"
                " NULL, '{}', '{}')")
    # range() and % arithmetic are DuckDB conveniences for generating data (not a batch step)
    con.execute(f"""
        CREATE TEMP TABLE gen AS
        SELECT i,
               'S' || LPAD(CAST(i AS VARCHAR), 8, '0') AS setl_id,
               'H' || LPAD(CAST(i % {hospitals} AS VARCHAR), 3, '0') AS hosp,
               CAST(1 + (i % {hospitals}) % 3 AS VARCHAR) AS lv,
               'G' || CAST((i * 7919) % 2000 AS VARCHAR) AS grp,
               CAST(50 + (i * 7919) % 2000 / 4.0 AS DECIMAL(18,4)) AS base,
               CAST(0.9 + ((i % {hospitals}) % 3) * 0.1 AS DECIMAL(18,4)) AS coef,
               CAST(3000 + (i * 104729) % 40000 + (i % 97) / 100.0 AS DECIMAL(18,2)) AS cost,
               DATE '2026-01-01' + CAST(i % 365 AS INTEGER) AS day
        FROM range({cases}) t(i)
    """)
    con.execute("""
        INSERT INTO cases (setl_id, fixmedins_code, medfee_sumamt, hifp_pay, setl_end_date, dscg_time,
                           import_id, content_hash)
        SELECT setl_id, hosp, cost, CAST(ROUND(cost * 0.7, 2) AS DECIMAL(18,2)), day,
               CAST(day AS TIMESTAMP), 'bench', 'h' || i
        FROM gen
    """)
    con.execute("""
        INSERT INTO dip_case_scores (run_id, group_run_id, setl_id, fixmedins_code, hosp_lv, group_code,
            group_type, primary_care, base_score, level_coefficient, aux_coefficient, point_value,
            medfee_sumamt, outlier, case_score, pack_sha256)
        SELECT 'score-bench', 'group-bench', setl_id, hosp, lv,
               CASE WHEN i % 50 = 0 THEN NULL ELSE grp END, 'core', FALSE, base, coef, 1, 20.0,
               cost,
               CASE WHEN i % 50 = 0 THEN NULL WHEN i % 33 = 0 THEN 'low' WHEN i % 100 = 7 THEN 'high' END,
               CASE WHEN i % 50 = 0 THEN NULL
                    WHEN i % 33 = 0 THEN CAST(ROUND(base * coef * 0.4, 4) AS DECIMAL(18,4))
                    WHEN i % 100 = 7 THEN CAST(ROUND(base * coef * 1.8, 4) AS DECIMAL(18,4))
                    ELSE CAST(ROUND(base * coef, 4) AS DECIMAL(18,4)) END,
               'bench-pack'
        FROM gen
    """)
    con.execute("DROP TABLE gen")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--hospitals", type=int, default=40)
    parser.add_argument("--keep", type=Path, default=None, help="keep the workspace and statements here")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-settle-"))
    ws = init_workspace(root / "ws")
    started = time.perf_counter()
    generate(ws.con, args.cases, args.hospitals)
    print(f"生成 {args.cases:,} 例、{args.hospitals} 家医院：{time.perf_counter() - started:.1f} s")
    # budget = this year's grouped fund paid × 1.02, so that the region is near balance
    fund = ws.con.execute("SELECT SUM(c.hifp_pay) FROM cases c JOIN dip_case_scores s USING (setl_id)"
                          " WHERE s.group_code IS NOT NULL").fetchone()[0]
    policy = with_overrides(Policy(), {"settle.budget.base_amount": str(fund), "settle.budget.growth_rate": "0.02"})

    timings = []
    for label, action in (
        ("月度预付（12 个月）", lambda: settle_months(ws, policy, [f"{YEAR}-{m:02d}" for m in range(1, 13)])),
        ("年度清算", lambda: settle_year(ws, policy, YEAR)),
        ("模拟付费", lambda: simulate(ws, policy, YEAR)),
        ("结算单（XLSX/CSV）", lambda: write_statements(ws, YEAR, root / "statements")),
    ):
        t0 = time.perf_counter()
        action()
        timings.append((label, time.perf_counter() - t0))
    total = sum(t for _, t in timings[:2])
    for label, seconds in timings:
        print(f"{label}: {seconds:.1f} s")
    print(f"全年结算（月度预付 + 年度清算）：{total:.1f} s，{args.cases / total:,.0f} 例/秒")
    print(f"峰值内存：{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    ws.close()
    if args.keep is None:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
