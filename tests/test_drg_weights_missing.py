"""DRGs without a relative weight (policy drg.weights.missing = refuse | adrg | exclude), worked
by hand: ADRG BBB has BBB3 (RW 0.6, two cases) and BBB5 (RW 0.3, one case) but no BBB1 weight."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dipdrg.cli import app
from dipdrg.drg.weights.score import score_cases
from dipdrg.errors import UserError
from dipdrg.pay.clearance import settle_year
from dipdrg.policy import load_policy
from test_drg_weights_data import case, group_run, hospitals

WEIGHTS = "drg,rw\nAAA1,1.2000\nBBB3,0.6000\nBBB5,0.3000\n"


@pytest.fixture()
def cases(workspace, tmp_path: Path):
    """Level-2 hospital (coefficient 1), fixed rate 10000; b1 is the case with no weight."""
    con = workspace.con
    hospitals(con)
    group_run(con)
    for sid, drg, cost in (("a1", "AAA1", "12000.00"), ("b3a", "BBB3", "6000.00"), ("b3b", "BBB3", "6000.00"),
                           ("b5", "BBB5", "3000.00"), ("b1", "BBB1", "5000.00")):
        case(con, sid, drg, cost, year=2026, hosp="H2")
    weights = tmp_path / "w.csv"
    weights.write_text(WEIGHTS, encoding="utf-8")
    return workspace, tmp_path, str(weights)


def _policy(tmp_path: Path, mode: str | None):
    path = tmp_path / "p.toml"
    text = '[drg]\nrate = "10000"\n[settle.budget]\nfund_total = "100000"\n[drg.budget]\nmethod = "ratio"\n'
    if mode:
        text += f'[drg.weights]\nmissing = "{mode}"\n'
    path.write_text(text, encoding="utf-8")
    return load_policy(path)


def _row(ws, run_id: str, setl_id: str) -> tuple:
    return ws.con.execute("SELECT drg, rw, rw_source, standard_cost, case_units, unpaid_reason FROM drg_case_scores"
                          " WHERE run_id = ? AND setl_id = ?", [run_id, setl_id]).fetchone()


@pytest.mark.parametrize("mode", [None, "refuse"])
def test_refuse_is_the_default(cases, mode) -> None:
    ws, tmp_path, weights = cases
    with pytest.raises(UserError, match="BBB1.*drg.weights.missing") as info:
        score_cases(ws, _policy(tmp_path, mode), weights)
    assert info.value.field == "drg.weights.missing"
    assert ws.con.execute("SELECT COUNT(*) FROM drg_case_scores").fetchone() == (0,)


def test_adrg_takes_the_case_weighted_mean_of_its_drgs(cases) -> None:
    ws, tmp_path, weights = cases
    result = score_cases(ws, _policy(tmp_path, "adrg"), weights)
    # case-weighted: (0.6 + 0.6 + 0.3) / 3 = 0.5000 (the plain mean of the two DRGs would be 0.45)
    # standard 0.5 × 1 × 10000 = 5000.00; cost 5000.00 is normal: units 0.5000
    assert _row(ws, result.run_id, "b1") == ("BBB1", D("0.5000"), "adrg", D("5000.00"), D("0.5000"), None)
    assert _row(ws, result.run_id, "b3a")[1:3] == (D("0.6000"), "drg")
    assert result.missing_weights == {"adrg": 1}


def test_adrg_without_any_weighted_drg_is_refused(cases) -> None:
    ws, tmp_path, weights = cases
    case(ws.con, "c1", "CCC1", "4000.00", year=2026, hosp="H2")
    with pytest.raises(UserError, match="ADRG（共 1 个，如 CCC）"):
        score_cases(ws, _policy(tmp_path, "adrg"), weights)


def test_exclude_leaves_the_case_outside_drg_payment(cases) -> None:
    ws, tmp_path, weights = cases
    policy = _policy(tmp_path, "exclude")
    result = score_cases(ws, policy, weights)
    drg, rw, source, standard, units, reason = _row(ws, result.run_id, "b1")
    assert (drg, rw, source, standard, units) == ("BBB1", None, None, None, None) and "没有该 DRG 的相对权重" in reason
    assert result.missing_weights == {"exclude": 1} and result.grouped == 5
    annual = settle_year(ws, policy, 2026, method="drg")
    assert ws.con.execute("SELECT in_scope, fund_due FROM settle_cases WHERE run_id = ? AND setl_id = 'b1'",
                          [annual.run_id]).fetchone() == (False, None)
    # 4 DRG cases; the excluded one counted with the non-DRG cases and their fund (5000.00)
    assert ws.con.execute("SELECT dip_cases, non_dip_cases, non_dip_fund FROM settle_annual WHERE run_id = ?",
                          [annual.run_id]).fetchone() == (4, 1, D("5000.00"))


def test_cli_reports_excluded_cases(cases) -> None:
    ws, tmp_path, weights = cases
    _policy(tmp_path, "exclude")
    ws.con.execute("CHECKPOINT")
    ws.close()
    out = CliRunner().invoke(app, ["drg", "score", "-w", str(tmp_path / "ws"), "--weights", weights,
                                   "--policy", str(tmp_path / "p.toml")])
    assert out.exit_code == 0, out.output
    assert "无权重、不纳入 DRG 付费（例）" in out.output and "1" in out.output.split("不纳入 DRG 付费（例）")[1][:20]


def test_weights_and_score_drive_a_progress_bar(cases, monkeypatch) -> None:
    from contextlib import contextmanager

    import dipdrg.console
    from test_pay_cli import _Bar

    ws, tmp_path, weights = cases
    bar = _Bar()

    @contextmanager
    def fake_progress():
        yield bar

    monkeypatch.setattr(dipdrg.console, "progress", fake_progress)
    _policy(tmp_path, "adrg")
    with (tmp_path / "p.toml").open("a", encoding="utf-8") as handle:
        handle.write('year_weights = ["1"]\n')
    ws.con.execute("CHECKPOINT")
    ws.close()
    common = ["-w", str(tmp_path / "ws"), "--policy", str(tmp_path / "p.toml")]
    out = CliRunner().invoke(app, ["drg", "weights", *common, "--years", "2026", "-o", str(tmp_path / "rw.csv")])
    assert out.exit_code == 0, out.output
    out = CliRunner().invoke(app, ["drg", "score", *common, "--weights", weights])
    assert out.exit_code == 0, out.output
    assert [t[0] for t in bar.tasks] == ["DRG 权重测算", "DRG 病例权重"]
    assert all(done == total > 0 for _, total, done in bar.tasks), bar.tasks
