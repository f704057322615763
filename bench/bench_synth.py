"""Benchmark of the synthetic region generator: cases per second and peak memory.

    python bench/bench_synth.py [N] [--format parquet|csv] [--out DIR]

N (default 1,000,000) stays are written as 4 years of N/4 stays. Prints wall and CPU time,
stays per second and the peak resident memory (ru_maxrss).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

from dipdrg.synth.region import generate_region


def main() -> None:
    parser = argparse.ArgumentParser(description="合成地区生成速度与内存")
    parser.add_argument("cases", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--format", default="parquet", choices=["parquet", "csv"])
    parser.add_argument("--out", type=Path, default=None, help="输出目录（默认临时目录，结束后删除）")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="bench_synth_"))
    years = 4
    start, cpu = time.perf_counter(), time.process_time()
    manifest = generate_region(out / "region", seed=1, cases_per_year=args.cases // years, years=years,
                               fmt=args.format)
    wall, used_cpu = time.perf_counter() - start, time.process_time() - cpu
    rows = sum(manifest.cases_by_year.values())
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size_mib = sum(p.stat().st_size for p in (out / "region").rglob("*") if p.is_file()) / 2**20
    print(f"stays {rows:,}  wall {wall:.1f} s  cpu {used_cpu:.1f} s  {rows / wall:,.0f} stays/s  "
          f"peak memory {peak_mib:,.0f} MiB  output {size_mib:,.0f} MiB ({args.format})")
    if args.out is None:
        shutil.rmtree(out)


if __name__ == "__main__":
    main()
