"""End to end through the CLI: build a catalog from history, group with the DIP grouper using
that pack, score the grouped cases — the pack and the score table are the contracts."""

from __future__ import annotations

import random
from decimal import Decimal as D

from typer.testing import CliRunner

from dipdrg.cli import app
from dipdrg.dip.group.workspace import group_workspace
from dipdrg.dip.pack.load import load_pack
from dipdrg.workspace import open_workspace
from test_dip_catalog_fixtures import History


def test_build_group_score(tmp_path) -> None:
    from dipdrg.workspace import init_workspace

    ws = init_workspace(tmp_path / "ws")
    h = History(ws.con)
    rng = random.Random(3)
    for year in (2023, 2024, 2025):
        h.many(20, "K35.800", [rng.randint(5000, 9000) for _ in range(20)], year=year, pp="47.0900")
        h.many(20, "I21.000", [rng.randint(25000, 30000) for _ in range(20)], year=year, pp="36.0700", hosp="H2")
        h.many(10, "I21.000", [rng.randint(42000, 46000) for _ in range(10)], year=year, pp="36.0700", others=["00.2400"])
        h.many(3, "J18.000", 3000, year=year, hosp="H1")
        h.many(2, "K35.800", 3000, year=year, pp="99.9999")
    h.flush()
    ws.close()
    runner = CliRunner()
    out = runner.invoke(app, ["dip", "build-catalog", "-w", str(tmp_path / "ws"), "--years", "2023,2024,2025",
                              "-o", str(tmp_path / "pack"), "--report", str(tmp_path / "build.xlsx")])
    assert out.exit_code == 0, out.output
    assert "核心病种 3 组" in out.output and (tmp_path / "build.xlsx").is_file()

    catalog = load_pack(tmp_path / "pack")  # the grouper accepts the pack
    assert {r.group_code for r in catalog.rules} == {"K35.8:47.0900", "I21.0:36.0700", "I21.0:36.0700+00.2400"}
    with open_workspace(tmp_path / "ws") as ws:
        group_workspace(ws, catalog)
    out = runner.invoke(app, ["dip", "score", "-w", str(tmp_path / "ws"), "--catalog", str(tmp_path / "pack")])
    assert out.exit_code == 0, out.output
    with open_workspace(tmp_path / "ws") as ws:
        rows = ws.con.execute("SELECT s.group_code, s.base_score, s.case_score, g.group_code, s.pack_sha256"
                              " FROM dip_case_scores s JOIN dip_case_groups g USING (setl_id)").fetchall()
    assert len(rows) == 165  # every case of the grouping run has a row
    assert all(r[0] == r[3] for r in rows)
    assert {r[4] for r in rows} == {catalog.sha256}
    # the 6 cases whose principal procedure has no attribute stay outside DIP, with no score
    assert sum(1 for r in rows if r[0] is None and r[2] is None) == 6
    assert all(r[1] > D(0) and r[2] is not None for r in rows if r[0] is not None)
