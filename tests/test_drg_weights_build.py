"""DRG relative weights from history (DESIGN §5, §4.6 "Year weights", "Trimming", "Rounding"),
every expected figure worked by hand in the comments."""

from __future__ import annotations

import csv
import hashlib
from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from dipdrg.cli import app
from dipdrg.drg.weights.build import build_weights
from dipdrg.errors import UserError
from dipdrg.policy import load_policy
from test_drg_weights_data import case, group_run, hospitals

YEARS = [2023, 2024, 2025]


def _policy(tmp_path: Path, text: str = "") -> object:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return load_policy(path)


def three_drgs(con) -> None:
    """A: 2023 {1000, 2000} and 2025 {3000}, no 2024 case; B: 2024 {1000}, 2025 {2000, 2001};
    C: 2025 {500, 700}; plus an ungrouped case, a case without cost and one outside the years."""
    hospitals(con)
    group_run(con)
    case(con, "a1", "AAA1", "1000.00", year=2023, los=2)
    case(con, "a2", "AAA1", "2000.00", year=2023, los=4)
    case(con, "a3", "AAA1", "3000.00", year=2025, los=10)
    case(con, "b1", "BBB1", "1000.00", year=2024)
    case(con, "b2", "BBB1", "2000.00", year=2025)
    case(con, "b3", "BBB1", "2001.00", year=2025)
    case(con, "c1", "CCC5", "500.00", year=2025)
    case(con, "c2", "CCC5", "700.00", year=2025)
    case(con, "u1", None, "99999.00", year=2025)      # ungrouped: outside M
    case(con, "n1", "AAA1", None, year=2025)          # no cost: counted, not measured
    case(con, "o1", "AAA1", "99999.00", year=2022)    # outside the measured years


def test_weights_by_hand_with_a_missing_year(workspace, tmp_path) -> None:
    three_drgs(workspace.con)
    result = build_weights(workspace, _policy(tmp_path, "[drg.weights]\nmin_cases = 3\n"), YEARS)
    # M over all grouped cases, untrimmed: 2023 mean 1500, 2024 mean 1000, 2025 mean 8201 / 5 = 1640.2
    #   M = (1 × 1500 + 2 × 1000 + 7 × 1640.2) / 10 = 14981.4 / 10 = 1498.14
    assert result.region_mean == D("1498.14")
    assert result.region_cases == 8
    assert result.status_counts == {"ok": 8, "ungrouped": 1, "no_cost": 1}
    rows = {r[0]: r for r in result.rows}
    # A has no 2024 case: weights renormalise over 2023 and 2025: (1 × 1500 + 7 × 3000) / 8 = 2812.50
    #   RW = 2812.50 / 1498.14 = 1.877328… → 1.8773; LOS (1 × 3 + 7 × 10) / 8 = 9.125 → 9.13 (half up)
    assert rows["AAA1"] == ("AAA1", "MDCA", "AAA", 3, 3, D("2812.50"), D("9.13"), rows["AAA1"][7], D("1.8773"), False)
    # B: (2 × 1000 + 7 × 2000.5) / 9 = 16003.5 / 9 = 1778.1666… → 1778.17; RW 1778.17 / 1498.14 = 1.186918… → 1.1869
    assert rows["BBB1"][5] == D("1778.17") and rows["BBB1"][8] == D("1.1869")
    # C: 2025 only, mean 600.00, RW 600 / 1498.14 = 0.400496… → 0.4005; 2 cases < 3: flagged
    #   CV: population sd of {500, 700} = 100, / 600 = 0.1667
    assert rows["CCC5"][5:] == (D("600.00"), None, D("0.1667"), D("0.4005"), True)
    stored = workspace.con.execute("SELECT drg, rw, low_count FROM drg_weights WHERE run_id = ? ORDER BY drg",
                                   [result.run_id]).fetchall()
    assert stored == [("AAA1", D("1.8773"), False), ("BBB1", D("1.1869"), False), ("CCC5", D("0.4005"), True)]
    assert workspace.con.execute("SELECT group_run_id, years, region_mean, min_cases FROM drg_weight_runs"
                                 " WHERE run_id = ?", [result.run_id]).fetchone() == (
        "drg-group-1", "2023:1,2024:2,2025:7", D("1498.14"), 3)


def _forty(con, drg: str = "TTT1") -> None:
    hospitals(con)
    group_run(con)
    for i in range(1, 41):
        case(con, f"t{i}", drg, f"{i * 100}.00", year=2025)


@pytest.mark.parametrize("min_cases, mean, kept, rw", [
    # 40 cases ≥ 40: nearest rank keeps x[ceil(0.025·40)] = x[1] = 100 … x[ceil(0.975·40)] = x[39] = 3900:
    #   39 cases, mean 100 × (1 + … + 39) / 39 = 2000.00; M uses all 40: 2050.00; RW 0.975609… → 0.9756
    (40, D("2000.00"), 39, D("0.9756")),
    # threshold 41: the group-year is not trimmed, mean 2050.00 = M, RW 1.0000
    (41, D("2050.00"), 40, D("1.0000")),
])
def test_trimming_threshold(workspace, tmp_path, min_cases, mean, kept, rw) -> None:
    _forty(workspace.con)
    result = build_weights(workspace, _policy(tmp_path, f"[drg.weights]\ntrim_min_cases = {min_cases}\n"), YEARS)
    assert result.region_mean == D("2050.00")
    (row,) = result.rows
    assert (row[3], row[4], row[5], row[8]) == (40, kept, mean, rw)


def test_weights_round_half_up_exactly(workspace, tmp_path) -> None:
    con = workspace.con
    hospitals(con)
    group_run(con)
    case(con, "h", "HHH1", "1000.10", year=2025)
    case(con, "k", "KKK1", "2999.90", year=2025)
    rows = {r[0]: r[8] for r in build_weights(workspace, _policy(tmp_path), YEARS).rows}
    # M = 4000.00 / 2 = 2000.00; 1000.10 / 2000 = 0.50005 → 0.5001; 2999.90 / 2000 = 1.49995 → 1.5000
    assert rows == {"HHH1": D("0.5001"), "KKK1": D("1.5000")}


def test_year_weights_must_match_the_years(workspace, tmp_path) -> None:
    three_drgs(workspace.con)
    with pytest.raises(UserError, match="drg.weights.year_weights"):
        build_weights(workspace, _policy(tmp_path), [2024, 2025])
    assert workspace.con.execute("SELECT COUNT(*) FROM runs WHERE kind = 'drg-weights'").fetchone() == (0,)


def test_no_grouping_run_is_refused(workspace, tmp_path) -> None:
    with pytest.raises(UserError, match="DRG 分组"):
        build_weights(workspace, _policy(tmp_path), YEARS)


def test_cli_writes_csv_and_xlsx_and_score_reads_the_run(workspace, tmp_path) -> None:
    three_drgs(workspace.con)
    workspace.con.execute("CHECKPOINT")
    workspace.close()
    ws_dir = tmp_path / "ws"
    out = tmp_path / "out" / "weights.csv"
    runner = CliRunner()
    res = runner.invoke(app, ["drg", "weights", "-w", str(ws_dir), "--years", "2023,2024,2025", "-o", str(out)])
    assert res.exit_code == 0, res.output
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["drg"], r["rw"], r["low_count"]) for r in rows] == [
        ("AAA1", "1.8773", "1"), ("BBB1", "1.1869", "1"), ("CCC5", "0.4005", "1")]   # default threshold 5
    sheet = load_workbook(out.with_suffix(".xlsx")).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[0] == "DRG编码" and "相对权重（RW）" in header
    assert sheet.cell(2, header.index("相对权重（RW）") + 1).value == pytest.approx(1.8773)
    from dipdrg.workspace import open_workspace

    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    with open_workspace(ws_dir) as ws:
        run_id, stored = ws.con.execute("SELECT run_id, weights_sha256 FROM drg_weight_runs").fetchone()
    assert stored == digest
    res = runner.invoke(app, ["drg", "score", "-w", str(ws_dir), "--weights", run_id, "--rate", "1000"])
    assert res.exit_code == 0, res.output
    with open_workspace(ws_dir) as ws:
        # a3 (AAA1, level 3, coefficient 1): standard 1.8773 × 1000 = 1877.30, cost 3000: normal
        assert ws.con.execute("SELECT rw, standard_cost, case_units, weights_sha256 FROM drg_case_scores"
                              " WHERE setl_id = 'a3'").fetchone() == (D("1.8773"), D("1877.30"), D("1.8773"), digest)
