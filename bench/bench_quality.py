"""Benchmark: the quality run on N synthetic cases generated in SQL (default 1,000,000).

Usage: python bench/bench_quality.py [N]. Prints cases/s of run_quality and peak memory.
The cases are made set-based in DuckDB (4 diagnoses and 1 procedure each) with a few per cent
of each kind of defect, so that the rules have findings to write.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time

from dipdrg.policy import load_policy
from dipdrg.quality.run import run_quality
from dipdrg.workspace import init_workspace

CASES_SQL = """
INSERT INTO cases (setl_id, fixmedins_code, fixmedins_name, gend, brdy, age, nwb_age, nwb_bir_wt,
    adm_time, dscg_time, act_ipt_days, medfee_sumamt, hifp_pay, acct_pay, psn_cashpay,
    fee_bed, fee_exam, fee_lab, fee_wm, fee_other, upload_time, import_id, content_hash)
SELECT
    'S' || CAST(i AS VARCHAR),
    'H' || CAST(i % 300 AS VARCHAR), '医院' || CAST(i % 300 AS VARCHAR),
    CASE WHEN i % 97 = 0 THEN NULL ELSE CAST(1 + i % 2 AS VARCHAR) END,
    DATE '1950-01-01' + CAST(i % 25000 AS INTEGER),
    CAST(FLOOR((DATE '2025-03-01' - (DATE '1950-01-01' + CAST(i % 25000 AS INTEGER))) / 365.25) AS INTEGER),
    NULL, NULL,
    TIMESTAMP '2025-03-01 08:00:00' + to_days(CAST(i % 200 AS INTEGER)),
    TIMESTAMP '2025-03-01 10:00:00' + to_days(CAST(i % 200 + i % 11 AS INTEGER)),
    CAST(i % 11 + CASE WHEN i % 53 = 0 THEN 1 ELSE 0 END AS INTEGER),
    CAST(5000 + i % 1000 AS DECIMAL(18,2)), CAST(3500 AS DECIMAL(18,2)), CAST(500 AS DECIMAL(18,2)),
    CAST(1000 + i % 1000 AS DECIMAL(18,2)),
    CAST(1000 AS DECIMAL(18,2)), CAST(1000 AS DECIMAL(18,2)), CAST(1000 AS DECIMAL(18,2)),
    CAST(1000 AS DECIMAL(18,2)), CAST(1000 + i % 1000 + CASE WHEN i % 41 = 0 THEN 1 ELSE 0 END AS DECIMAL(18,2)),
    TIMESTAMP '2025-03-02 10:00:00' + to_days(CAST(i % 200 + i % 11 + i % 9 AS INTEGER)),
    'bench', 'h'
FROM range(?) t(i)
"""
DX_SQL = """
INSERT INTO case_diagnoses (setl_id, seq, diag_code_raw, diag_code, maindiag_flag, adm_cond_type)
SELECT 'S' || CAST(i AS VARCHAR), s,
       c, CASE WHEN (i + s) % 89 = 0 THEN NULL ELSE c END, s = 0, CASE WHEN i % 211 = 0 THEN '4' ELSE '1' END
FROM range(?) t(i), range(4) u(s),
     LATERAL (SELECT CASE s WHEN 0 THEN (CASE WHEN i % 71 = 0 THEN 'R10.400' ELSE 'K35.800' END)
                            WHEN 1 THEN 'I10.x00' WHEN 2 THEN (CASE WHEN i % 61 = 0 THEN 'N40.x00' ELSE 'E11.900' END)
                            ELSE 'Z85.300' END AS c) v
"""
PX_SQL = """
INSERT INTO case_procedures (setl_id, seq, oprn_code_raw, oprn_code, oprn_date, main_oprn_flag)
SELECT 'S' || CAST(i AS VARCHAR), 0, '47.0100', '47.0100',
       TIMESTAMP '2025-03-01 12:00:00' + to_days(CAST(i % 200 + CASE WHEN i % 101 = 0 THEN 30 ELSE 0 END AS INTEGER)), true
FROM range(?) t(i)
"""


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        ws = init_workspace(tmp)
        ws.con.execute("SET enable_progress_bar = false")
        ws.con.execute("INSERT INTO hospitals SELECT 'H' || CAST(i AS VARCHAR), '医院', '2', '综合', NULL, 'b' FROM range(290) t(i)")
        start = time.perf_counter()
        for sql in (CASES_SQL, DX_SQL, PX_SQL):
            ws.con.execute(sql, [n])
        print(f"generated {n:,} cases in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        run_quality(ws, load_policy())
        seconds = time.perf_counter() - start
        findings = ws.con.execute("SELECT COUNT(*) FROM quality_findings").fetchone()[0]
        ws.close()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"quality run: {n:,} cases, {findings:,} findings in {seconds:.2f} s "
          f"= {n / seconds:,.0f} cases/s; peak memory {peak_mib:,.0f} MiB")


if __name__ == "__main__":
    main()
