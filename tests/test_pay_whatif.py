"""What-if (协商谈判) with case-scoring parameters: re-scored inside the rolled-back transaction
(DRG by hand; DIP against a real re-scoring and settlement), and keys it cannot apply refused."""

from __future__ import annotations

import random
from decimal import Decimal as D
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dipdrg.cli import app
from dipdrg.drg.weights.score import score_cases
from dipdrg.errors import UserError
from dipdrg.pay.clearance import settle_year
from dipdrg.pay.whatif import what_if
from dipdrg.policy import load_policy
from test_drg_weights_payment import _files, region
from test_pay_data import insert_region, write_policy

TABLES = ["runs", "drg_case_scores", "dip_case_scores", "settle_cases", "settle_annual", "settle_monthly"]


def _counts(ws) -> dict:
    return {t: ws.con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}


@pytest.mark.parametrize("key, method, named", [
    ("quality.upload_deadline_days=5", "dip", "quality.upload_deadline_days"),
    ("dip.catalog.threshold=3", "dip", "dip.catalog.threshold"),
    ("drg.outlier.high_ratio=3", "dip", "drg.outlier.high_ratio"),     # a DRG key does not act on DIP
    ("dip.outlier.high_ratio=3", "drg", "dip.outlier.high_ratio"),
    ("drg.weights.trim_lower=0.01", "drg", "drg.weights.trim_lower"),   # weights measurement, not scoring
])
def test_keys_the_what_if_cannot_apply_are_refused(workspace, tmp_path: Path, key, method, named) -> None:
    insert_region(workspace.con)
    with pytest.raises(UserError) as info:
        what_if(workspace, load_policy(write_policy(tmp_path)), dict([key.split("=")]), 2026, method=method)
    assert named in info.value.message and "可调整的参数：settle.*" in info.value.message
    assert ("dip.outlier.*" in info.value.message) == (method == "dip")


def test_dip_scoring_key_needs_the_pack(workspace, tmp_path: Path) -> None:
    insert_region(workspace.con)
    before = _counts(workspace)
    with pytest.raises(UserError, match="--pack"):
        what_if(workspace, load_policy(write_policy(tmp_path)), {"dip.outlier.high_ratio": 3}, 2026)
    assert _counts(workspace) == before


def test_drg_scoring_key_rescores_the_cases(workspace, tmp_path: Path) -> None:
    region(workspace.con)
    weights, policy_path = _files(tmp_path)
    policy = load_policy(policy_path)
    score_cases(workspace, policy, str(weights))
    before = _counts(workspace)
    rows = {r[0]: r for r in what_if(workspace, policy, {"drg.outlier.low_ratio": "0.1"}, 2026, method="drg")}
    # before: the annual DRG clearance of test_settle_annual_by_drg_to_the_cent (H2 6168.12, H3 15176.88).
    # after: c4 (1000 / 6400 = 0.156) is no longer low at 0.1 ×: units 0.8; total 3.80, rate
    #   22800 / 0.75 / 3.8 = 8000.0000; c1 10560.00 → 7920.00, c2 6400.00 → 4800.00, c3 7040.00 → 5280.00,
    #   c4 4800.00. H2 due 9600.00, billed 5250.00, surplus 4350.00: 5 % = 480.00 kept whole,
    #   (4350 − 480) × 0.5 = 1935.00 → 2415.00 kept, settled 7665.00.
    #   H3 due 13200.00, billed 13500.00, overrun 300.00 inside the national 10 % band × 0.7 = 210.00,
    #   settled 13410.00.
    assert (rows["H2"][4], rows["H2"][5], rows["H2"][6]) == (D("6168.12"), D("7665.00"), D("1496.88"))
    assert (rows["H3"][4], rows["H3"][5], rows["H3"][6]) == (D("15176.88"), D("13410.00"), D("-1766.88"))
    assert _counts(workspace) == before      # the re-scoring runs were rolled back


def _dip_region(tmp_path: Path) -> Path:
    from dipdrg.dip.group.workspace import group_workspace
    from dipdrg.dip.pack.load import load_pack
    from dipdrg.workspace import init_workspace, open_workspace
    from test_dip_catalog_fixtures import History

    ws = init_workspace(tmp_path / "ws")
    h = History(ws.con)
    rng = random.Random(5)
    for year in (2023, 2024, 2025):
        h.many(20, "K35.800", [rng.randint(5000, 9000) for _ in range(20)], year=year, pp="47.0900")
        h.many(20, "I21.000", [rng.randint(25000, 30000) for _ in range(20)], year=year, pp="36.0700", hosp="H2")
    h.many(3, "K35.800", 21000, year=2025, pp="47.0900")        # about 3 × the group's standard
    h.flush()
    ws.con.execute("UPDATE cases SET hifp_pay = ROUND(medfee_sumamt * 0.7, 2), setl_end_date = CAST(dscg_time AS DATE)")
    ws.close()
    out = CliRunner().invoke(app, ["dip", "build-catalog", "-w", str(tmp_path / "ws"), "--years", "2023,2024,2025",
                                   "-o", str(tmp_path / "pack"), "--report", str(tmp_path / "build.xlsx")])
    assert out.exit_code == 0, out.output
    with open_workspace(tmp_path / "ws") as ws:
        group_workspace(ws, load_pack(tmp_path / "pack"))
    return tmp_path / "pack"


def test_dip_scoring_key_matches_a_real_rescoring(tmp_path: Path) -> None:
    from dipdrg.dip.score.score import score_cases as score_dip
    from dipdrg.workspace import open_workspace

    pack = _dip_region(tmp_path)
    base = tmp_path / "policy.toml"
    base.write_text('[settle.budget]\nmethod = "ratio"\nfund_total = "2000000"\ndip_share = "0.5"\n', encoding="utf-8")
    changed = tmp_path / "changed.toml"
    changed.write_text(base.read_text(encoding="utf-8") + '[dip.outlier]\nhigh_ratio = "5"\n', encoding="utf-8")
    with open_workspace(tmp_path / "ws") as ws:
        original = score_dip(ws, pack, load_policy(base))
        high = original.outliers.get("high", 0)
        assert high > 0
        before = _counts(ws)
        rows = {r[0]: r for r in what_if(ws, load_policy(base), {"dip.outlier.high_ratio": "5"}, 2025, pack=pack)}
        assert _counts(ws) == before
        # the same change made for real: score again, settle the year under each policy
        real_before = settle_year(ws, load_policy(base), 2025, original.run_id)
        rescored = score_dip(ws, pack, load_policy(changed), point_value=original.point_value)
        assert rescored.outliers.get("high", 0) < high      # fewer cases above 5 × than above 2 ×
        real_after = settle_year(ws, load_policy(changed), 2025, rescored.run_id)
        settled = {run: dict(ws.con.execute("SELECT fixmedins_code, settled_amount FROM settle_annual"
                                            " WHERE run_id = ?", [run]).fetchall())
                   for run in (real_before.run_id, real_after.run_id)}
    assert {c: (r[4], r[5]) for c, r in rows.items()} == {
        c: (settled[real_before.run_id][c], settled[real_after.run_id][c]) for c in rows}
    assert any(r[6] != 0 for r in rows.values())      # the change moved money between hospitals
