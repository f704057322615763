"""DRG rate, case units with low/high outliers at their strict edges, and settlement of DRG cases
through the same engine as DIP (DESIGN §5, §4.5–4.6); expected figures worked by hand."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dipdrg.cli import app
from dipdrg.drg.weights.score import score_cases
from dipdrg.errors import UserError
from dipdrg.pay.clearance import settle_year
from dipdrg.pay.monthly import settle_months
from dipdrg.policy import load_policy
from test_drg_weights_data import case, group_run, hospitals

WEIGHTS = "drg,rw\nAAA1,1.2000\nBBB1,0.8000\n"
POLICY = """
[region]
year = 2026

[drg.coefficient]
level_3 = "1.1"

[settle]
month_basis = "settlement"
reserve_ratio = "0.05"

[settle.budget]
method = "ratio"
fund_total = "38000"
dip_share = "0.4"

[drg.budget]
method = "ratio"
share = "0.6"

[settle.bands]
surplus = [ { lower = "0", upper = "0.05", share = "1" }, { lower = "0.05", share = "0.5" } ]
"""


def _files(tmp_path: Path, extra: str = "") -> tuple[Path, object]:
    weights = tmp_path / "weights.csv"
    weights.write_text(WEIGHTS, encoding="utf-8")
    policy = tmp_path / "policy.toml"
    policy.write_text(POLICY + extra, encoding="utf-8")
    return weights, policy


def _units(ws, run_id: str) -> dict[str, tuple]:
    rows = ws.con.execute("SELECT setl_id, standard_cost, cost_ratio, outlier, case_units FROM drg_case_scores"
                          " WHERE run_id = ?", [run_id]).fetchall()
    return {r[0]: r[1:] for r in rows}


EDGES = {  # AAA1 at level 3: standard = 1.2 × 1.1 × 10000 = 13200.00; low edge 0.4 × = 5280.00, high 3 × = 39600.00
    "edge_low": "5280.00", "low": "5279.99", "edge_high": "39600.00", "high": "39600.01", "quad": "52800.00",
}


@pytest.fixture()
def edges(workspace, tmp_path):
    con = workspace.con
    hospitals(con)
    group_run(con)
    for sid, cost in EDGES.items():
        case(con, sid, "AAA1", cost, year=2026)
    case(con, "level2", "BBB1", "5000.00", year=2026, hosp="H2")
    case(con, "ungrouped", None, "3000.00", year=2026, hosp="H2")
    return workspace, tmp_path


def test_outliers_at_strict_edges_formula(edges) -> None:
    ws, tmp_path = edges
    weights, policy = _files(tmp_path, "\n[drg]\nrate = \"10000\"\n")
    result = score_cases(ws, load_policy(policy), str(weights))
    assert (result.rate.value, result.rate.source) == (D("10000.0000"), "policy")
    units = _units(ws, result.run_id)
    assert units["edge_low"] == (D("13200.00"), D("0.4000"), None, D("1.3200"))      # not < 0.4 ×
    # low: 1.32 × 5279.99 / 13200 = 6969.5868 / 13200 = 0.527999 → 0.5280
    assert units["low"] == (D("13200.00"), D("0.4000"), "low", D("0.5280"))
    assert units["edge_high"] == (D("13200.00"), D("3.0000"), None, D("1.3200"))     # not > 3 ×
    # high: 1.32 × (39600.01 / 13200 − 3 + 1) = 1.32 × 1.00000075… = 1.320001 → 1.3200
    assert units["high"] == (D("13200.00"), D("3.0000"), "high", D("1.3200"))
    # four times the standard: 1.32 × (4 − 2) = 2.6400
    assert units["quad"] == (D("13200.00"), D("4.0000"), "high", D("2.6400"))
    # level 2 has no coefficient (1): 0.8 × 10000 = 8000.00; 5000 / 8000 = 0.625, normal
    assert units["level2"] == (D("8000.00"), D("0.6250"), None, D("0.8000"))
    assert units["ungrouped"] == (None, None, None, None)
    assert result.outliers == {"low": 1, "high": 2}


def test_high_cases_flagged_for_review_keep_their_units(edges) -> None:
    ws, tmp_path = edges
    weights, policy = _files(tmp_path, "\n[drg]\nrate = \"10000\"\n[drg.outlier]\nhigh_rule = \"review\"\n"
                                       "high_ratio = \"2\"\nlow_ratio = \"0.5\"\n")
    units = _units(ws, score_cases(ws, load_policy(policy), str(weights)).run_id)
    # low multiple 0.5: 5280.00 < 6600.00 is now low: 1.32 × 5280 / 13200 = 0.5280
    assert units["edge_low"][2:] == ("low", D("0.5280"))
    # high multiple 2 (26400.00) under the review rule: flagged, units unchanged
    assert units["edge_high"][2:] == ("review", D("1.3200"))
    assert units["quad"][2:] == ("review", D("1.3200"))


def test_missing_weight_is_refused(edges) -> None:
    ws, tmp_path = edges
    weights, policy = _files(tmp_path)
    weights.write_text("drg,rw\nAAA1,1.2\n", encoding="utf-8")
    with pytest.raises(UserError, match="BBB1"):
        score_cases(ws, load_policy(policy), str(weights), rate=D("100"))
    assert ws.con.execute("SELECT COUNT(*) FROM drg_case_scores").fetchone() == (0,)


def test_bad_weights_file_names_row_and_field(edges) -> None:
    ws, tmp_path = edges
    weights, policy = _files(tmp_path)
    weights.write_text("DRG编码,相对权重（RW）\nAAA1,1.2\nBBB1,abc\n", encoding="utf-8")
    with pytest.raises(UserError) as info:
        score_cases(ws, load_policy(policy), str(weights), rate=D("100"))
    assert info.value.row == 3 and info.value.field == "rw"


def region(con) -> None:
    """2026 (settlement dates): c1 H3 AAA1 1.32; c2 H2 BBB1 0.8; c3 H3 BBB1 0.88; c4 H2 BBB1 0.8;
    c5 H2 ungrouped; c0 a 2025 case (outside the year)."""
    hospitals(con)
    group_run(con)
    case(con, "c1", "AAA1", "10000.00", fund="7500.00", hosp="H3", settled="2026-01-10")
    case(con, "c2", "BBB1", "6000.00", fund="4500.00", hosp="H2", settled="2026-01-20")
    case(con, "c3", "BBB1", "8000.00", fund="6000.00", hosp="H3", settled="2026-02-05")
    case(con, "c4", "BBB1", "1000.00", fund="750.00", hosp="H2", settled="2026-02-25")
    case(con, "c5", None, "3000.00", fund="2000.00", hosp="H2", settled="2026-02-26")
    case(con, "c0", "AAA1", "9000.00", fund="8000.00", hosp="H3", settled="2025-06-01")


def test_rate_from_budget_and_units(workspace, tmp_path) -> None:
    region(workspace.con)
    weights, policy = _files(tmp_path)
    result = score_cases(workspace, load_policy(policy), str(weights))
    r = result.rate
    # 2026 grouped: weight 1.32 + 0.8 + 0.88 + 0.8 = 3.80; cost 25000.00, fund 18750.00 → ratio 0.7500
    # budget 38000 × 0.6 = 22800.00; rate = 22800 / 0.75 / 3.80 = 8000.0000
    assert (r.source, r.year, r.cases, r.total_weight, r.fund_ratio, r.budget.amount, r.value) == (
        "budget", 2026, 4, D("3.8000"), D("0.7500"), D("22800.00"), D("8000.0000"))
    units = _units(workspace, result.run_id)
    # c4: standard 0.8 × 8000 = 6400.00, 1000 < 2560.00 → low: 0.8 × 1000 / 6400 = 0.1250
    assert units["c4"] == (D("6400.00"), D("0.1563"), "low", D("0.1250"))
    assert units["c1"] == (D("10560.00"), D("0.9470"), None, D("1.3200"))
    # every case of the grouping run is scored: the 2025 case c0 (10560.00 standard, 9000 cost) too
    assert units["c0"] == (D("10560.00"), D("0.8523"), None, D("1.3200"))
    assert result.total_units == D("4.4450")          # 1.32 + 0.8 + 0.88 + 0.125 + 1.32


def test_settle_annual_by_drg_to_the_cent(workspace, tmp_path) -> None:
    region(workspace.con)
    weights, policy = _files(tmp_path)
    workspace.con.execute("CHECKPOINT")
    workspace.close()
    ws_dir = tmp_path / "ws"
    runner = CliRunner()
    res = runner.invoke(app, ["drg", "score", "-w", str(ws_dir), "--weights", str(weights), "--policy", str(policy)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["settle", "annual", "-w", str(ws_dir), "--policy", str(policy), "--method", "drg"])
    assert res.exit_code == 0, res.output
    from dipdrg.workspace import open_workspace

    with open_workspace(ws_dir) as ws:
        run_id, method, units, ratio, rate = ws.con.execute(
            "SELECT run_id, method, total_units, fund_ratio, applied_pv FROM settle_point_values").fetchone()
        # units after outliers 1.32 + 0.8 + 0.88 + 0.125 = 3.125; rate = 22800 / 0.75 / 3.125 = 9728.0000
        assert (method, units, ratio, rate) == ("drg", D("3.1250"), D("0.7500"), D("9728.0000"))
        cases = dict(ws.con.execute("SELECT setl_id, fund_due FROM settle_cases WHERE run_id = ?", [run_id]).fetchall())
        # c1 1.32 × 9728 = 12840.96 × 0.75 = 9630.72; c2 0.8 × 9728 = 7782.40 × 0.75 = 5836.80
        # c3 0.88 × 9728 = 8560.64 × 0.75 = 6420.48;  c4 0.125 × 9728 = 1216.00 × 0.75 = 912.00 (Σ 22800.00)
        assert cases == {"c1": D("9630.72"), "c2": D("5836.80"), "c3": D("6420.48"), "c4": D("912.00"), "c5": None}
        rows = ws.con.execute(
            "SELECT fixmedins_code, method, due, billed_fund, balance, shared_amount, settled_amount,"
            " final_amount, non_dip_cases FROM settle_annual WHERE run_id = ? ORDER BY 1", [run_id]).fetchall()
    # H2: due 5836.80 + 912.00 = 6748.80, billed 5250.00, surplus 1498.80; 5 % band = 337.44 kept whole,
    #     (1498.80 − 337.44) × 0.5 = 580.68 → kept 918.12; settled 5250.00 + 918.12 = 6168.12
    # H3: due 16051.20, billed 13500.00, surplus 2551.20; 802.56 + 1748.64 × 0.5 = 874.32 → 1676.88; 15176.88
    assert rows == [
        ("H2", "drg", D("6748.80"), D("5250.00"), D("1498.80"), D("918.12"), D("6168.12"), D("6168.12"), 1),
        ("H3", "drg", D("16051.20"), D("13500.00"), D("2551.20"), D("1676.88"), D("15176.88"), D("15176.88"), 0),
    ]
    res = runner.invoke(app, ["settle", "statements", "-w", str(ws_dir), "--policy", str(policy),
                              "--method", "drg", "-o", str(tmp_path / "st")])
    assert res.exit_code == 0, res.output
    summary = (tmp_path / "st" / "地区汇总_2026.csv").read_text(encoding="utf-8-sig")
    assert "15176.88" in summary and "6168.12" in summary


def test_monthly_prepayment_by_drg_uses_the_scoring_rate(workspace, tmp_path) -> None:
    region(workspace.con)
    weights, policy = _files(tmp_path)
    pol = load_policy(policy)
    score_cases(workspace, pol, str(weights))
    result = settle_months(workspace, pol, ["2026-01"], method="drg")
    # Jan: c1, c2; ratio 12000 / 16000 = 0.7500 at the scoring rate 8000:
    #   c1 10560.00 × 0.75 = 7920.00 (reserve 396.00); c2 6400.00 × 0.75 = 4800.00 (reserve 240.00)
    assert workspace.con.execute(
        "SELECT fixmedins_code, method, gross_due, reserve, payable FROM settle_monthly WHERE run_id = ?"
        " ORDER BY 1", [result.run_id]).fetchall() == [
        ("H2", "drg", D("4800.00"), D("240.00"), D("4560.00")),
        ("H3", "drg", D("7920.00"), D("396.00"), D("7524.00"))]


def test_same_cases_settled_by_dip_and_by_drg(workspace, tmp_path) -> None:
    region(workspace.con)
    weights, policy = _files(tmp_path)
    pol = load_policy(policy)
    score_cases(workspace, pol, str(weights))
    con = workspace.con
    con.execute("INSERT INTO runs VALUES ('dip-score-1', 'dip-score', current_timestamp, current_timestamp, '{}', '{}')")
    for sid, hosp, score in (("c1", "H3", "100.0000"), ("c2", "H2", "100.0000"), ("c3", "H3", "100.0000"),
                             ("c4", "H2", "100.0000")):
        con.execute("INSERT INTO dip_case_scores (run_id, group_run_id, setl_id, fixmedins_code, group_code,"
                    " base_score, level_coefficient, aux_coefficient, point_value, case_score, pack_sha256)"
                    " VALUES ('dip-score-1', 'g', ?, ?, 'G1', ?, 1, 1, '60.0000', ?, 'p')", [sid, hosp, score, score])
    dip = settle_year(workspace, pol, 2026, method="dip")
    drg = settle_year(workspace, pol, 2026, method="drg")
    assert dip.run_id != drg.run_id
    # separate budgets: DIP 38000 × 0.4 = 15200.00 (settle.budget), DRG 38000 × 0.6 = 22800.00 (drg.budget)
    assert (dip.point_values.budget.amount, drg.point_values.budget.amount) == (D("15200.00"), D("22800.00"))
    # DIP: 400 points, PV = 15200 / 0.75 / 400 = 50.66666… → 50.6667;
    #      each case 100 × 50.6667 = 5066.67 × 0.75 = 3800.0025 → 3800.00
    assert (dip.point_values.applied_pv, drg.point_values.applied_pv) == (D("50.6667"), D("9728.0000"))
    got = con.execute("SELECT run_id, method, SUM(fund_due) FROM settle_cases GROUP BY 1, 2 ORDER BY 2").fetchall()
    assert [(m, s) for _, m, s in got] == [("dip", D("15200.00")), ("drg", D("22800.00"))]
    assert con.execute("SELECT fund_due FROM settle_cases WHERE run_id = ? AND setl_id = 'c4'",
                       [dip.run_id]).fetchone() == (D("3800.00"),)


def test_unknown_method_is_refused(workspace, tmp_path) -> None:
    _, policy = _files(tmp_path)
    with pytest.raises(UserError, match="dip 或 drg"):
        settle_year(workspace, load_policy(policy), 2026, method="fee")
