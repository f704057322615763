"""Benchmark DRG weights (3 history years) and per-case DRG units on N synthetic grouped cases.

Usage: python bench/bench_drg_weights.py [N]   (default 300000)
Cases and grouping rows are generated with SQL (600 DRGs, skewed costs, two levels); prints
cases/s for each step and peak memory. Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from dipdrg.drg.weights.build import build_weights
from dipdrg.drg.weights.score import score_cases
from dipdrg.policy import load_policy
from dipdrg.workspace import init_workspace


def fill(con, n: int) -> None:
    con.execute("INSERT INTO hospitals VALUES ('H3', 'h3', '3', '综合', 'A', 'i'), ('H2', 'h2', '2', '综合', 'B', 'i')")
    con.execute("INSERT INTO runs VALUES ('drg-group-b', 'drg-group', current_timestamp, current_timestamp, '{}', '{}')")
    con.execute(f"""
        INSERT INTO cases (setl_id, fixmedins_code, medfee_sumamt, hifp_pay, setl_end_date, dscg_time,
                           act_ipt_days, import_id, content_hash)
        SELECT 's' || i, CASE WHEN i % 3 = 0 THEN 'H2' ELSE 'H3' END,
               CAST(1000 + (i * 7919 % 600) * 37 + (i * 104729 % 5000) AS DECIMAL(18,2)),
               CAST((1000 + (i * 7919 % 600) * 37 + (i * 104729 % 5000)) * 0.7 AS DECIMAL(18,2)),
               DATE '2023-01-01' + CAST(i % 1460 AS INTEGER), TIMESTAMP '2023-01-01 08:00:00' + to_days(CAST(i % 1460 AS INTEGER)),
               i % 20, 'i', 'h' || i
        FROM range({n}) t(i)""")
    con.execute("""
        INSERT INTO drg_case_groups
        SELECT 'drg-group-b', setl_id, 'MDCA', 'A' || LPAD(CAST(k % 100 AS VARCHAR), 2, '0'),
               'A' || LPAD(CAST(k % 100 AS VARCHAR), 2, '0') || CAST(k // 100 AS VARCHAR),
               'SUCCESS', NULL, 'b', '1', 'sha'
        FROM (SELECT setl_id, CAST(SUBSTRING(setl_id, 2) AS BIGINT) * 7919 % 600 AS k FROM cases) c""")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300_000
    with tempfile.TemporaryDirectory() as tmp:
        ws = init_workspace(Path(tmp) / "ws")
        fill(ws.con, n)
        policy = load_policy(None)
        start = time.perf_counter()
        weights = build_weights(ws, policy, [2023, 2024, 2025])
        mid = time.perf_counter()
        score_cases(ws, policy, weights.run_id, year=2026)
        end = time.perf_counter()
        ws.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{n:,} cases, {len(weights.rows)} DRGs")
    print(f"weights: {mid - start:.2f} s ({n / (mid - start):,.0f} cases/s)")
    print(f"score:   {end - mid:.2f} s ({n / (end - mid):,.0f} cases/s)")
    print(f"peak memory {peak:,.0f} MB")


if __name__ == "__main__":
    main()
