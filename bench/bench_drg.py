"""Benchmark the CHS-DRG grouper: set-based SQL over a workspace, and single-case explain.

The 2,000 public reference cases are replicated (new setl_id per copy) to N cases in a fresh
workspace; ``dipdrg drg group`` logic (group_workspace: input, all steps, result insert
inside a recorded run) is timed. Prints cases/s and the process's peak memory.

    /tmp/venv/bin/python bench/bench_drg.py [--cases 1000000] [--reference ../shared/reference]
"""

from __future__ import annotations

import argparse
import csv
import resource
import tempfile
import time
from pathlib import Path

from dipdrg.drg.batch import group_workspace
from dipdrg.drg.case import case_from_layout
from dipdrg.drg.explain import explain_case
from dipdrg.drg.importer import import_pack
from dipdrg.drg.pack import load_pack
from dipdrg.workspace import init_workspace

FILL = """
CREATE TEMP TABLE src AS
SELECT * FROM read_csv('{public}', all_varchar = true, header = true);
CREATE TEMP TABLE copies AS SELECT range AS copy_no FROM range({copies});
INSERT INTO cases (setl_id, fixmedins_code, gend, age, nwb_age, nwb_bir_wt, import_id, content_hash)
SELECT s.case_id || '-' || CAST(c.copy_no AS VARCHAR), 'H' || CAST(c.copy_no % 50 AS VARCHAR),
       s.gender, TRY_CAST(s.age AS INTEGER), TRY_CAST(s.age_days AS INTEGER),
       TRY_CAST(s.birth_weight AS INTEGER), 'bench', 'x'
FROM src s CROSS JOIN copies c;
CREATE TEMP TABLE src_dx AS
SELECT s.case_id, CAST(o.pos - 1 AS INTEGER) AS seq, o.code
FROM src s CROSS JOIN UNNEST(string_split_regex(COALESCE(s.principal_dx, '') ||
     CASE WHEN s.secondary_dx <> '' THEN '|' || s.secondary_dx ELSE '' END, '[,|]'))
     WITH ORDINALITY AS o(code, pos);
CREATE TEMP TABLE src_proc AS
SELECT s.case_id, CAST(o.pos - 1 AS INTEGER) AS seq, o.code
FROM src s CROSS JOIN UNNEST(string_split_regex(COALESCE(s.principal_proc, '') ||
     CASE WHEN s.other_procs <> '' THEN '|' || s.other_procs ELSE '' END, '[,|]'))
     WITH ORDINALITY AS o(code, pos)
WHERE COALESCE(s.principal_proc, '') <> '' OR COALESCE(s.other_procs, '') <> '';
INSERT INTO case_diagnoses (setl_id, seq, diag_code_raw, diag_code, maindiag_flag)
SELECT d.case_id || '-' || CAST(c.copy_no AS VARCHAR), d.seq, d.code, d.code, d.seq = 0
FROM src_dx d CROSS JOIN copies c;
INSERT INTO case_procedures (setl_id, seq, oprn_code_raw, oprn_code, main_oprn_flag)
SELECT p.case_id || '-' || CAST(c.copy_no AS VARCHAR), p.seq, p.code, p.code, p.seq = 0
FROM src_proc p CROSS JOIN copies c;
"""


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--reference", type=Path,
                        default=Path(__file__).resolve().parents[2] / "shared" / "reference")
    args = parser.parse_args()
    public = args.reference / "cases" / "chs-drg-1.1" / "public_2000.csv"
    copies = max(1, args.cases // 2000)
    with tempfile.TemporaryDirectory() as tmp:
        import_pack(args.reference / "chs-drg-1.1", Path(tmp) / "pack")
        started = time.perf_counter()
        pack = load_pack(Path(tmp) / "pack")
        print(f"方案包加载与校验：{time.perf_counter() - started:.2f} s")
        ws = init_workspace(Path(tmp) / "ws")
        started = time.perf_counter()
        ws.con.execute(FILL.format(public=str(public).replace("'", "''"), copies=copies))
        n = ws.con.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
        print(f"准备 {n:,} 例：{time.perf_counter() - started:.1f} s")

        started, cpu = time.perf_counter(), time.process_time()
        summary = group_workspace(ws, pack)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"工作区分组 {summary.total:,} 例：{elapsed:.2f} s（CPU {cpu:.2f} s），"
              f"{summary.total / elapsed:,.0f} 例/秒（{summary.by_status}）")
        ws.close()

        rows = list(csv.DictReader(open(public, encoding="utf-8")))
        cases = [case_from_layout(**{k: r[k] for k in (
            "gender", "age", "age_days", "birth_weight", "principal_dx", "secondary_dx",
            "principal_proc", "other_procs")}) for r in rows]
        started = time.perf_counter()
        explain_case(pack, cases[0])                      # build the in-memory index once
        print(f"解释索引构建（每个方案包一次）：{time.perf_counter() - started:.2f} s")
        started = time.perf_counter()
        for case in cases:
            explain_case(pack, case)
        per_case = (time.perf_counter() - started) / len(cases) * 1000
        print(f"单病例解释：{per_case:.3f} ms/例（{len(cases):,} 例平均）")
    print(f"峰值内存：{peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
