"""Benchmark: build a local DIP catalog from 3 years × N cases generated in DuckDB.

Target (issue 5): 3 × 1,000,000 cases in < 60 s on the 2-core machine, peak memory < 6 GiB.

    python bench/bench_dip_catalog.py                # 1,000,000 cases a year
    python bench/bench_dip_catalog.py --cases 100000 # quicker run while developing
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from dipdrg.dip.catalog.build import build_catalog
from dipdrg.policy.loader import load_policy
from dipdrg.workspace import init_workspace

YEARS = [2023, 2024, 2025]

GENERATE = [
    "SELECT setseed(0.42)",
    """INSERT INTO hospitals (fixmedins_code, fixmedins_name, hosp_lv)
       SELECT 'H' || i, '医院' || i, CAST(1 + i % 3 AS VARCHAR) FROM range(300) t(i)""",
    # 1,000 procedure codes with an attribute (a few without, reported as ungrouped)
    """INSERT INTO codes (kind, code, name, category, list_id)
       SELECT 'procedure', printf('%02d.%02d00', i // 100 + 1, i % 100), '手术' || i,
              CASE i % 4 WHEN 0 THEN '手术' WHEN 1 THEN '介入治疗' WHEN 2 THEN '治疗性操作' ELSE '诊断性操作' END, 'bench'
       FROM range(990) t(i)""",
    """CREATE TEMP TABLE gen AS
       SELECT i, CAST(floor(pow(random(), 2) * 4000) AS INTEGER) AS dx,
              random() AS r_proc, CAST(floor(pow(random(), 2) * 1000) AS INTEGER) AS proc,
              random() AS r_other, CAST(floor(random() * 1000) AS INTEGER) AS other,
              random() AS r_cost, random() AS r_age, random() AS r_misc
       FROM range({total}) t(i)""",
    """INSERT INTO cases (setl_id, fixmedins_code, age, nwb_age, dscg_time, act_ipt_days, dscg_way, icu_minutes,
                          medfee_sumamt, fee_wm, fee_material, import_id, content_hash)
       SELECT 'S' || i, 'H' || (i * 7919 % 300), CAST(floor(r_age * 95) AS INTEGER),
              CASE WHEN r_age < 0.02 THEN CAST(floor(r_misc * 364) AS INTEGER) END,
              TIMESTAMP '2023-01-01' + INTERVAL (i % 3) YEAR + INTERVAL (i % 360) DAY,
              CAST(1 + floor(r_misc * 20) AS INTEGER), CASE WHEN r_misc < 0.01 THEN '5' ELSE '1' END,
              CASE WHEN r_misc > 0.95 THEN CAST(floor(r_cost * 40000) AS INTEGER) END,
              CAST(round((2000 + (dx % 97) * 300 + CASE WHEN r_proc < 0.6 THEN 8000 ELSE 0 END)
                         * exp(r_cost * 1.2 - 0.6), 2) AS DECIMAL(18,2)),
              CAST(round(1000 * r_cost, 2) AS DECIMAL(18,2)), CAST(round(500 * r_misc, 2) AS DECIMAL(18,2)),
              'bench', 'x'
       FROM gen""",
    """INSERT INTO case_diagnoses (setl_id, seq, diag_code, maindiag_flag)
       SELECT 'S' || i, 0, chr(65 + dx % 26) || lpad(CAST(dx // 26 % 100 AS VARCHAR), 2, '0') || '.'
              || CAST(dx // 2600 + dx % 7 AS VARCHAR) || '00', TRUE
       FROM gen WHERE r_misc > 0.001""",
    """INSERT INTO case_diagnoses (setl_id, seq, diag_code, maindiag_flag)
       SELECT 'S' || i, 1, CASE WHEN r_other < 0.1 THEN 'A41.900' ELSE 'J18.900' END, FALSE
       FROM gen WHERE r_other < 0.4""",
    """INSERT INTO case_procedures (setl_id, seq, oprn_code, main_oprn_flag)
       SELECT 'S' || i, 0, printf('%02d.%02d00', proc // 100 + 1, proc % 100), TRUE FROM gen WHERE r_proc < 0.6""",
    """INSERT INTO case_procedures (setl_id, seq, oprn_code, main_oprn_flag)
       SELECT 'S' || i, 1, printf('%02d.%02d00', other // 100 + 1, other % 100), FALSE
       FROM gen WHERE r_proc < 0.6 AND r_other < 0.3 AND other <> proc""",
    "DROP TABLE gen",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases per year")
    args = parser.parse_args()
    total = args.cases * len(YEARS)
    with tempfile.TemporaryDirectory() as tmp:
        ws = init_workspace(Path(tmp) / "ws")
        started = time.perf_counter()
        for sql in GENERATE:
            ws.con.execute(sql.replace("{total}", str(total)))
        generated = time.perf_counter() - started
        started = time.perf_counter()
        result = build_catalog(ws, YEARS, load_policy(None), Path(tmp) / "pack")
        elapsed = time.perf_counter() - started
        peak_gib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
        f = result.figures
        print(f"generated {total:,} cases in {generated:.1f} s")
        print(f"build: {elapsed:.1f} s, {total / elapsed:,.0f} cases/s, peak memory {peak_gib:.2f} GiB")
        print(f"core {f['core_groups']:,} groups ({f['coverage'] * 100:.2f} % of cases), comprehensive "
              f"{f['comprehensive_groups']:,}, combos split {f['combos_split']:,}/{f['combos']:,}, "
              f"aux types {f['aux_types']:,}, point value {result.point_value}")
        ws.close()


if __name__ == "__main__":
    main()
