"""Benchmark: import of an N-row flat settlement CSV (default 1,000,000), then the quality run.

Usage: python bench/bench_import.py [--rows N] [--keep DIR] [--csv FILE] [--steps]
The CSV is generated set-based by DuckDB in a child process (so its memory does not count)
(Chinese-free canonical headers, '|'-joined lists, 0-6 secondary diagnoses, 0-3 procedures,
14 fee items summing to the total, money with two decimals, dates in two formats) and then
imported through ``import_settlements``; ``run_quality`` is timed after it. Prints rows/s for
import alone and for import + quality, wall and CPU seconds (the machine is shared: CPU time
is the steadier figure), the load average, and peak memory (ru_maxrss). ``--steps`` adds the
wall/CPU time of each SQL step of the import.
Target: >= 50,000 rows/s for import + quality, peak < 4 GiB.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

DIAGNOSES = ["K35.800", "K35.900", "I10.x00", "E11.900", "J18.900", "I63.900", "I25.100",
             "N18.500", "C34.900", "O80.000", "K80.100", "S72.000", "J44.100", "I50.900",
             "A41.900", "K29.700", "M17.900", "N39.000", "R10.400", "Z51.100"]
PROCEDURES = ["47.0100", "47.0900", "51.2300", "81.5400", "36.0700", "74.1x00", "99.2500",
              "88.7200", "45.2300", "00.6600"]

CSV_SQL = """
COPY (
SELECT
    'S' || lpad(CAST(i AS VARCHAR), 9, '0') AS setl_id,
    'M' || CAST(i AS VARCHAR) AS mdtrt_id,
    'P' || CAST(i % 700000 AS VARCHAR) AS psn_no,
    'H' || lpad(CAST(i % 300 AS VARCHAR), 4, '0') AS fixmedins_code,
    '医院' || CAST(i % 300 AS VARCHAR) AS fixmedins_name,
    CASE WHEN i % 3 = 0 THEN '310' ELSE '390' END AS insutype,
    CASE WHEN i % 2 = 0 THEN '男' ELSE '2' END AS gend,
    strftime(DATE '1940-01-01' + CAST(i % 29000 AS INTEGER), '%Y-%m-%d') AS brdy,
    CAST(i % 85 AS VARCHAR) AS age,
    CASE WHEN i % 2 = 0
         THEN strftime(TIMESTAMP '2025-01-01 08:00:00' + to_days(CAST(i % 300 AS INTEGER)), '%Y-%m-%d %H:%M:%S')
         ELSE strftime(TIMESTAMP '2025-01-01 08:00:00' + to_days(CAST(i % 300 AS INTEGER)), '%Y/%m/%d %H:%M')
    END AS adm_time,
    strftime(TIMESTAMP '2025-01-01 10:00:00' + to_days(CAST(i % 300 + los AS INTEGER)),
             '%Y-%m-%d %H:%M:%S') AS dscg_time,
    CAST(los AS VARCHAR) AS act_ipt_days,
    '1' AS dscg_way,
    'D' || CAST(i % 20 AS VARCHAR) AS adm_caty,
    'D' || CAST(i % 20 AS VARCHAR) AS dscg_caty,
    'DR' || CAST(i % 3000 AS VARCHAR) AS chfpdr_code,
    CASE WHEN i % 50 = 0 THEN '0/13/20' ELSE '' END AS vent_used_dura,
    CAST(f1 + f2 + f3 + f4 + f5 AS VARCHAR) AS medfee_sumamt,
    CAST(CAST((f1 + f2 + f3 + f4 + f5) * 0.7 AS DECIMAL(18, 2)) AS VARCHAR) AS hifp_pay,
    CAST(f1 AS VARCHAR) AS fee_bed, '0' AS fee_consult, CAST(f2 AS VARCHAR) AS fee_exam,
    CAST(f3 AS VARCHAR) AS fee_lab, '0' AS fee_treat, '0' AS fee_oprn, '0' AS fee_nursing,
    '0' AS fee_material, CAST(f4 AS VARCHAR) AS fee_wm, '0' AS fee_herb,
    '0' AS fee_tcm_patent, '0' AS fee_general, '0' AS fee_reg, CAST(f5 AS VARCHAR) AS fee_other,
    strftime(TIMESTAMP '2025-01-01' + to_days(CAST(i % 300 + los + 2 AS INTEGER)), '%Y%m%d') AS upload_time,
    $dx[1 + CAST(hash(i, 1) % 20 AS INTEGER)] AS main_diag_code,
    array_to_string(list_transform(range(CAST(hash(i, 2) % 7 AS INTEGER)),
                    lambda k: $dx[1 + CAST(hash(i, k + 3) % 20 AS INTEGER)]), '|') AS other_diag_codes,
    array_to_string(list_transform(range(CAST(hash(i, 4) % 4 AS INTEGER)),
                    lambda k: $op[1 + CAST(hash(i, k + 9) % 10 AS INTEGER)]), '|') AS oprn_codes
FROM (
    SELECT i, 1 + CAST(hash(i, 5) % 20 AS INTEGER) AS los,
           CAST((hash(i, 6) % 500000) / 100.0 AS DECIMAL(18, 2)) AS f1,
           CAST((hash(i, 7) % 300000) / 100.0 AS DECIMAL(18, 2)) AS f2,
           CAST((hash(i, 8) % 200000) / 100.0 AS DECIMAL(18, 2)) AS f3,
           CAST((hash(i, 9) % 900000) / 100.0 AS DECIMAL(18, 2)) AS f4,
           CAST((hash(i, 10) % 100000) / 100.0 AS DECIMAL(18, 2)) AS f5
    FROM range($rows) t(i)
)) TO '$path' (HEADER, DELIMITER ',')
"""


def generate(path: Path, rows: int) -> None:
    """Write the benchmark CSV with DuckDB (set-based, a few seconds for a million rows)."""
    dx = "[" + ", ".join(f"'{c}'" for c in DIAGNOSES) + "]"
    op = "[" + ", ".join(f"'{c}'" for c in PROCEDURES) + "]"
    sql = CSV_SQL.replace("$dx", dx).replace("$op", op).replace("$rows", str(rows)).replace("$path", str(path))
    duckdb.connect().execute(sql)


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Clock:
    """Wall and CPU (all threads of this process) seconds of a block."""

    def __enter__(self) -> "Clock":
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def profile_steps() -> list[tuple[str, float, float]]:
    """Time every SQL step of the import (and the reader) by wrapping them in place."""
    import dipdrg.cases.settlements as settlements

    timings: list[tuple[str, float, float]] = []

    def timed(fn, label):
        def wrapper(*args, **kwargs):
            with Clock() as clock:
                result = fn(*args, **kwargs)
            timings.append((label(args), clock.wall, clock.cpu))
            return result
        return wrapper

    settlements.run_step = timed(settlements.run_step, lambda a: a[1])
    settlements.read_table = timed(settlements.read_table, lambda a: "read_table")
    settlements._normalise_codes = timed(settlements._normalise_codes, lambda a: "normalise_codes")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, default=None, help="use this directory instead of a temporary one")
    parser.add_argument("--csv", type=Path, default=None, help="import this CSV instead of generating one")
    parser.add_argument("--steps", action="store_true", help="print the time of each import step")
    parser.add_argument("--generate-only", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate_only:
        generate(args.generate_only, args.rows)
        return

    from dipdrg.cases.settlements import import_settlements
    from dipdrg.workspace import init_workspace

    timings = profile_steps() if args.steps else []
    with tempfile.TemporaryDirectory(prefix="dipdrg-bench-") as tmp:
        base = args.keep or Path(tmp)
        base.mkdir(parents=True, exist_ok=True)
        csv_path = args.csv or base / "settlements.csv"
        if args.csv is None:
            t0 = time.perf_counter()
            subprocess.run([sys.executable, __file__, "--rows", str(args.rows), "--generate-only", str(csv_path)],
                           check=True)
            print(f"生成 {args.rows:,} 行 CSV：{time.perf_counter() - t0:.1f} s，{csv_path.stat().st_size / 2**20:.0f} MiB")
        print(f"负载（1/5/15 分钟）：{'、'.join(f'{x:.2f}' for x in os.getloadavg())}；CPU {os.cpu_count()} 核")

        ws = init_workspace(base / "ws")
        with Clock() as imp:
            (result,) = import_settlements(ws, [csv_path])
        rows = result.rows_read
        print(f"导入：墙钟 {imp.wall:.1f} s（{rows / imp.wall:,.0f} 行/秒），CPU {imp.cpu:.1f} s；"
              f"峰值内存 {peak_mib():,.0f} MiB（载入 {result.loaded:,}，隔离 {result.quarantined:,}，"
              f"重复 {result.duplicates:,}）")
        for label, wall, cpu in timings:
            print(f"  {label:<18} 墙钟 {wall:6.2f} s  CPU {cpu:6.2f} s")
        from dipdrg.policy import load_policy
        from dipdrg.quality.run import run_quality

        with Clock() as qc:
            run_quality(ws, load_policy(None))
        print(f"质控：墙钟 {qc.wall:.1f} s（{rows / qc.wall:,.0f} 行/秒），CPU {qc.cpu:.1f} s")
        ws.close()
        wall, cpu = imp.wall + qc.wall, imp.cpu + qc.cpu
        print(f"导入+质控：墙钟 {wall:.1f} s（{rows / wall:,.0f} 行/秒），CPU {cpu:.1f} s；"
              f"峰值内存 {peak_mib():,.0f} MiB；负载 {os.getloadavg()[0]:.2f}")
    sys.exit(0)


if __name__ == "__main__":
    main()
