"""Benchmark: set-based DIP grouping of N cases against a generated local catalog.

Generates (in DuckDB) a local catalog of core groups (diagnosis key × principal procedure
[+ related procedure], conservative pairs) plus comprehensive groups, and N cases drawing on
the same codes (most land in a core group, some in comprehensive groups, a few nowhere), then
times ``run_steps`` and the single-case explanation. Prints cases/s and peak memory.

    /tmp/venv/bin/python bench/bench_dip_group.py [--cases 1000000] [--groups 6000]
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

import duckdb

from dipdrg.dip.explain import group_case
from dipdrg.dip.group.engine import run_steps
from dipdrg.dip.pack import load_pack
from dipdrg.dip.pack.manifest import Manifest, write_manifest

CATALOG_SQL = """
COPY (
    WITH g AS (SELECT i FROM range(1, {groups} + 1) AS t(i)),
    shaped AS (
        SELECT i,
               chr(65 + CAST(i % 20 AS INTEGER)) || lpad(CAST((i // 20) % 100 AS VARCHAR), 2, '0') AS dx3,
               CAST((i // 2000) % 10 AS VARCHAR) AS sub,
               i % 4 AS shape
        FROM g
    )
    SELECT 'G' || lpad(CAST(i AS VARCHAR), 6, '0') AS group_code,
           '病种' || CAST(i AS VARCHAR) AS group_name,
           'core' AS group_type,
           CASE WHEN shape = 3 THEN dx3 ELSE dx3 || '.' || sub END AS dx_key,
           CASE shape
               WHEN 0 THEN ''
               WHEN 1 THEN lpad(CAST(i % 90 + 10 AS VARCHAR), 2, '0') || '.' || lpad(CAST(i % 9000 AS VARCHAR), 4, '0')
               WHEN 2 THEN lpad(CAST(i % 90 + 10 AS VARCHAR), 2, '0') || '.' || lpad(CAST(i % 9000 AS VARCHAR), 4, '0')
                           || '+' || '88.' || lpad(CAST(i % 7000 AS VARCHAR), 4, '0') || '/89.0001'
               ELSE lpad(CAST(i % 90 + 10 AS VARCHAR), 2, '0') || '.' || lpad(CAST(i % 9000 AS VARCHAR), 4, '0') || 'x001'
           END AS procedures,
           CASE WHEN shape = 0 THEN '保守治疗' ELSE '手术操作' END AS treatment,
           CAST(100 + i % 3000 AS VARCHAR) || '.5' AS score,
           CASE WHEN i % 50 = 0 THEN '1' ELSE '0' END AS primary_care
    FROM shaped
    UNION ALL
    SELECT 'Z' || dx3 || t.code, '综合' || dx3 || t.name, 'comprehensive', dx3, '', t.name, '80', '0'
    FROM (SELECT DISTINCT chr(65 + CAST(i % 20 AS INTEGER)) || lpad(CAST((i // 20) % 100 AS VARCHAR), 2, '0') AS dx3
          FROM range(0, 2000) AS t(i)) AS c
    CROSS JOIN (VALUES ('1', '相关手术'), ('2', '治疗性操作'), ('3', '诊断性操作'), ('4', '内科诊疗')) AS t(code, name)
) TO '{path}' (HEADER, DELIMITER ',')
"""

CASES_SQL = """
CREATE OR REPLACE TABLE groups AS SELECT * FROM read_csv('{path}', all_varchar = true) WHERE group_type = 'core';
CREATE OR REPLACE TABLE g_idx AS SELECT ROW_NUMBER() OVER (ORDER BY group_code) - 1 AS k, * FROM groups;
CREATE OR REPLACE TABLE bench_case AS
SELECT 'S' || CAST(i AS VARCHAR) AS setl_id, i, CAST((i * 7919) % (SELECT COUNT(*) FROM g_idx) AS BIGINT) AS k
FROM range(0, {cases}) AS t(i);
CREATE OR REPLACE TABLE dipg_in_case AS
SELECT setl_id, CAST(NULL AS INTEGER) AS age_days, CAST(NULL AS INTEGER) AS birth_weight FROM bench_case;
CREATE OR REPLACE TABLE dipg_in_dx AS
SELECT c.setl_id, 0 AS seq,
       CASE WHEN length(g.dx_key) = 3 THEN g.dx_key || '.' || CAST(c.i % 10 AS VARCHAR) || '00' ELSE g.dx_key || '00x00' || CAST(c.i % 9 AS VARCHAR) END AS code,
       'raw' AS raw
FROM bench_case AS c JOIN g_idx AS g ON g.k = c.k
UNION ALL
SELECT setl_id, 1, 'I10.x00', 'raw' FROM bench_case WHERE i % 2 = 0;
CREATE OR REPLACE TABLE dipg_in_proc AS
SELECT c.setl_id, 0 AS seq,
       CASE WHEN c.i % 17 = 0 THEN '99.0' || CAST(c.i % 3 AS VARCHAR) || '00' ELSE split_part(split_part(g.procedures, '+', 1), '/', 1) END AS code,
       'raw' AS raw
FROM bench_case AS c JOIN g_idx AS g ON g.k = c.k
WHERE g.procedures <> '' OR c.i % 17 = 0
UNION ALL
SELECT c.setl_id, 1, CASE WHEN c.i % 3 = 0 THEN '88.' || lpad(CAST(CAST(substr(g.group_code, 2) AS INTEGER) % 7000 AS VARCHAR), 4, '0') ELSE '89.0001' END, 'raw'
FROM bench_case AS c JOIN g_idx AS g ON g.k = c.k
WHERE g.procedures LIKE '%+%';
CREATE OR REPLACE TABLE dipg_proc_attr AS
SELECT '99.0' || CAST(i AS VARCHAR) || '00' AS code, CASE i WHEN 0 THEN '手术' WHEN 1 THEN '治疗性操作' ELSE '诊断性操作' END AS category
FROM range(0, 3) AS t(i);
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--groups", type=int, default=6000)
    parser.add_argument("--explain", type=int, default=2000, help="单病例解释计时的病例数")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pack = Path(tmp) / "pack"
        pack.mkdir()
        con = duckdb.connect()
        con.execute(CATALOG_SQL.format(groups=args.groups, path=pack / "groups.csv"))
        write_manifest(pack, Manifest(id="bench", kind="dip-local", version="1", region="bench"))
        t0 = time.perf_counter()
        catalog = load_pack(pack)
        t_load = time.perf_counter() - t0
        con.execute(CASES_SQL.format(path=pack / "groups.csv", cases=args.cases))
        t0, c0 = time.perf_counter(), time.process_time()
        run_steps(con, catalog)
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        stats = con.execute(
            "SELECT layer, COUNT(*) FROM dipg_result GROUP BY layer ORDER BY layer"
        ).fetchall()
        sample = con.execute(
            "SELECT setl_id FROM dipg_in_case ORDER BY setl_id LIMIT ?", [args.explain]
        ).fetchall()
        cases = []
        for (setl_id,) in sample:
            dx = [r[0] for r in con.execute("SELECT code FROM dipg_in_dx WHERE setl_id = ? ORDER BY seq", [setl_id]).fetchall()]
            px = [r[0] for r in con.execute("SELECT code FROM dipg_in_proc WHERE setl_id = ? ORDER BY seq", [setl_id]).fetchall()]
            cases.append({"pdx": dx[0], "sdx": dx[1:], "procedures": px})
        attr = dict(con.execute("SELECT code, category FROM dipg_proc_attr").fetchall())
        group_case(catalog, cases[0], proc_attr=attr)  # builds the in-memory indexes once
        t0 = time.perf_counter()
        for case in cases:
            group_case(catalog, case, proc_attr=attr)
        per_case_ms = (time.perf_counter() - t0) / len(cases) * 1000
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    core = len(catalog.rules)
    print(f"病种库：核心病种 {core} 个，综合病种 {len(catalog.comprehensive)} 个；载入 {t_load:.2f} s")
    print(f"分组 {args.cases:,} 例：{elapsed:.2f} s，{args.cases / elapsed:,.0f} 例/秒"
          f"（进程 CPU {cpu:.2f} s；机器被其他进程占用时墙钟时间偏长）")
    print("按层级：" + "，".join(f"{layer} {n:,}" for layer, n in stats))
    print(f"单病例解释：平均 {per_case_ms:.3f} ms/例（{len(cases)} 例）")
    print(f"峰值内存：{peak_mb:,.0f} MB；负载 {os.getloadavg()[0]:.1f}（{os.cpu_count()} 核）")


if __name__ == "__main__":
    main()
