"""Benchmark build_code_map: N distinct raw diagnosis codes against the reference lists.

Usage: python bench/bench_codes.py [N]   (default 200000; needs ../shared/reference)
Prints values/s and peak memory; speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from dipdrg.codes.batch import build_code_map
from dipdrg.codes.lists import load_files
from dipdrg.workspace import init_workspace

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "codes"


def messy_values(codes: list[str], n: int, rng: random.Random) -> list[str]:
    """n distinct raw values: listed codes written badly, truncated, or made up."""
    out: set[str] = set(codes[: n // 4])
    while len(out) < n:
        code = rng.choice(codes)
        pick = rng.random()
        if pick < 0.3:
            code = code.lower().replace(".", "")
        elif pick < 0.5:
            code = code[: rng.randint(3, len(code))]
        elif pick < 0.7:
            code = " ".join(code)
        code += rng.choice(["", "", str(rng.randint(0, 999))])
        out.add(code)
    return list(out)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    with tempfile.TemporaryDirectory() as folder:
        ws = init_workspace(Path(folder) / "ws")
        load_files(
            ws,
            diagnoses=REFERENCE / "icd10-yb-2.0.csv",
            dx_crosswalk=REFERENCE / "icd10-gl-to-yb.csv",
        )
        codes = [r[0] for r in ws.con.execute("SELECT code FROM codes ORDER BY code").fetchall()]
        values = messy_values(codes, n, random.Random(7))
        ws.con.execute("CREATE TEMP TABLE raw_values (v VARCHAR)")
        ws.con.executemany("INSERT INTO raw_values VALUES (?)", [[v] for v in values[:1000]])
        ws.con.register("more", __import__("pyarrow").table({"v": values[1000:]}))
        ws.con.execute("INSERT INTO raw_values SELECT v FROM more")
        start = time.perf_counter()
        build_code_map(ws.con, "diagnosis", "SELECT v FROM raw_values", "dx_map")
        elapsed = time.perf_counter() - start
        counts = ws.con.execute("SELECT status, COUNT(*) FROM dx_map GROUP BY status ORDER BY 2 DESC").fetchall()
        ws.close()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"build_code_map: {n} distinct values in {elapsed:.2f} s = {n / elapsed:,.0f} values/s; peak {peak_mib:.0f} MiB")
    print("statuses:", dict(counts))


if __name__ == "__main__":
    main()
