"""Internal consistency of a build on a larger random history (issue 5 "Tests").

- one year, no trimming: Σ RW × n = Σ cost / M × 1000 = N × 1000, up to rounding;
- three years: core + comprehensive + ungrouped cases add up to the usable cases, the
  coverage equals core cases / usable cases, and each group's count is its cases;
- the previous-pack comparison and the XLSX report.
"""

from __future__ import annotations

import csv
import random
from decimal import Decimal as D

from openpyxl import load_workbook

from dipdrg.dip.catalog.build import build_catalog
from test_dip_catalog_fixtures import History, policy

DX = ["I21.000", "K35.800", "J18.000", "S72.000", "C34.100", "N18.500", "R31.x00", "E11.900"]
PROCS = [None, "36.0700", "47.0900", "99.2500", "45.1300", "00.6600"]
OTHERS = [[], [], [], ["88.5500"], ["00.2400"], ["88.5500", "00.2400"], ["54.5100"]]


def random_history(ws, years, n_per_year, seed=7):
    rng = random.Random(seed)
    h = History(ws.con)
    for year in years:
        for _ in range(n_per_year):
            dx = rng.choice(DX)
            pp = rng.choice(PROCS)
            cost = D(rng.randint(50000, 5000000)) / 100
            h.case(dx, cost, year=year, pp=pp, others=rng.choice(OTHERS) if pp else [],
                   hosp=rng.choice(["H1", "H2", "H3"]), los=rng.randint(1, 20),
                   drug=(cost * D("0.3")).quantize(D("0.01")), age=rng.randint(0, 90),
                   nwb_age=rng.randint(0, 364), dscg_way=rng.choice("1111115"))
    h.flush()


def read_groups(path):
    return list(csv.DictReader((path / "groups.csv").open(encoding="utf-8")))


def test_scores_times_counts_add_up_to_n_times_1000(workspace, tmp_path) -> None:
    random_history(workspace, [2025], 3000)
    result = build_catalog(workspace, [2025], policy(**{
        "dip.catalog.year_weights": [D(1)], "dip.catalog.trim_min_cases": 10**9}), tmp_path / "p")
    groups = read_groups(tmp_path / "p")
    n = sum(int(g["case_count"]) for g in groups)
    assert n == 3000  # every procedure here has an attribute: nothing ungrouped
    total = sum(D(g["score"]) * int(g["case_count"]) for g in groups)
    # each RW is off by ≤ 0.00005 + its mean's half cent (0.005 / M × 1000); M itself by ≤ 0.005
    m = result.region_mean
    tolerance = n * (D("0.00005") + D("0.005") / m * 1000) + n * 1000 * D("0.005") / m
    assert abs(total - n * 1000) <= tolerance
    # budget point value: Σ cost / Σ RW over one year ≈ M / 1000
    assert abs(result.point_value - m / 1000) <= D("0.0002")


def test_counts_and_coverage_agree_over_three_years(workspace, tmp_path) -> None:
    random_history(workspace, [2023, 2024, 2025], 1500, seed=11)
    result = build_catalog(workspace, [2023, 2024, 2025], policy(**{"dip.catalog.threshold": 40}), tmp_path / "p")
    groups = read_groups(tmp_path / "p")
    core = sum(int(g["case_count"]) for g in groups if g["group_type"] == "core")
    comp = sum(int(g["case_count"]) for g in groups if g["group_type"] == "comprehensive")
    f = result.figures
    assert (f["core_cases"], f["comprehensive_cases"]) == (core, comp)
    assert core + comp + f["ungrouped_cases"] == f["ok_cases"] == 4500
    assert f["coverage"] == (D(core) / D(4500)).quantize(D("0.0001"))
    assert all(int(g["case_count"]) >= 40 for g in groups if g["group_type"] == "core")
    # the build's assignment agrees with groups.csv case counts
    assigned = dict(workspace.con.execute(
        "SELECT group_code, COUNT(*) FROM cat_case_groups WHERE group_code IS NOT NULL GROUP BY group_code").fetchall())
    assert assigned == {g["group_code"]: int(g["case_count"]) for g in groups}


def test_previous_pack_comparison_and_xlsx(workspace, tmp_path) -> None:
    h = History(workspace.con)
    h.many(20, "K35.800", 5000, pp="47.0900")
    h.many(20, "J18.000", 2000)
    h.flush()
    one_year = {"dip.catalog.year_weights": [D(1)]}
    build_catalog(workspace, [2025], policy(**one_year), tmp_path / "old")
    h.many(20, "K35.800", 7000, pp="47.0900")
    h.many(20, "I21.000", 30000, pp="36.0700")
    h.flush()
    workspace.con.execute("DELETE FROM case_diagnoses WHERE diag_code = 'J18.000'")
    result = build_catalog(workspace, [2025], policy(**one_year), tmp_path / "new",
                           previous=tmp_path / "old", report=tmp_path / "report.xlsx")
    changes = {(c[0], c[1]) for c in result.figures["changes"]}
    assert changes == {("new", "I21.0:36.0700"), ("removed", "J18.0:C"), ("rescored", "K35.8:47.0900")}
    rescored = next(c for c in result.figures["changes"] if c[0] == "rescored")
    assert rescored[5] == rescored[4] - rescored[3]
    book = load_workbook(tmp_path / "report.xlsx", read_only=True)
    assert {"概览", "变异系数分布", "最大20个病种", "与上一版对比"} <= set(book.sheetnames)
    rows = list(book["与上一版对比"].iter_rows(values_only=True))
    assert rows[0][0] == "变化" and len(rows) == 4
    assert "新增 1 组，删除 1 组，分值调整 1 组" in (tmp_path / "new" / "summary.md").read_text(encoding="utf-8")
