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
    # 6 of 165 cases (3.64 % ≤ 5 %) lack a procedure attribute: built, with a loud warning
    flat = out.output.replace("\n", "")
    assert "警告" in flat and "6 例（占纳入测算病例 165 例的 3.64%）" in flat

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


def test_each_command_reports_its_steps_in_order(workspace, tmp_path) -> None:
    from dipdrg.dip.catalog.build import BUILD_STEPS, build_catalog
    from dipdrg.dip.group.workspace import group_steps
    from dipdrg.dip.score.score import SCORE_STEPS, score_cases
    from test_dip_catalog_fixtures import policy

    h = History(workspace.con)
    h.many(3, "K35.800", 1000, pp="47.0900")
    h.flush()
    rules = policy(**{"dip.catalog.year_weights": [D(1)], "dip.catalog.threshold": 3})
    seen: list[str] = []
    build_catalog(workspace, [2025], rules, tmp_path / "pack", on_step=seen.append)
    assert seen == list(BUILD_STEPS)
    seen.clear()
    group_workspace(workspace, load_pack(tmp_path / "pack"), on_step=seen.append)
    assert seen == list(group_steps()) and len(seen) == 11 and seen[0] == "读取病例"
    seen.clear()
    score_cases(workspace, tmp_path / "pack", rules, on_step=seen.append)
    assert seen == list(SCORE_STEPS)


def test_step_bar_counts_the_steps(monkeypatch) -> None:
    from contextlib import contextmanager

    import dipdrg.dip.progress as progress_module
    from rich.progress import Progress

    bars: list[Progress] = []

    @contextmanager
    def fake_progress():
        bar = Progress(disable=True)
        bars.append(bar)
        with bar:
            yield bar

    monkeypatch.setattr(progress_module, "progress", fake_progress)
    with progress_module.step_bar("测算", 3) as on_step:
        on_step("一")
        on_step("二")
        task = bars[0].tasks[0]
        assert (task.completed, task.description) == (1, "测算：二")
        on_step("三")
        assert task.completed == 2
    assert task.completed == 3
