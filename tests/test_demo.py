"""The demo runs the whole pipeline end to end and its figures hold together."""

from __future__ import annotations

from pathlib import Path

import pytest

from dipdrg.demo import run_demo
from dipdrg.errors import UserError
from dipdrg.workspace import open_workspace


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "out"
    return run_demo(out, seed=7, cases_per_year=3_000, hospitals=12)


def test_every_row_is_accounted_for(demo) -> None:
    f = demo.figures
    assert f["rows_read"] == f["loaded"] + f["quarantined"] + f["duplicates"]
    assert f["loaded"] > 0


def test_files_exist(demo) -> None:
    for name in ("质控报告", "病种库测算报告", "摘要"):
        assert demo.files[name].is_file(), name
    assert (demo.files["病种库"] / "groups.csv").is_file()
    assert any(demo.files["结算单目录"].rglob("*.xlsx"))
    summary = demo.files["摘要"].read_text(encoding="utf-8")
    assert "年度清算" in summary and "预算点值" in summary


def test_annual_money_adds_up(demo) -> None:
    count, due, billed, settled, paid, final = demo.figures["dip"]["totals"]
    assert count == 12
    assert final == settled - paid
    with open_workspace(demo.files["工作区"]) as ws:
        per_case = ws.con.execute(
            "SELECT SUM(c.hifp_pay) FROM settle_cases s JOIN cases c USING (setl_id)"
            " WHERE s.run_id = ? AND s.in_scope", [demo.figures["dip"]["annual"].run_id]
        ).fetchone()[0]
    assert per_case == billed


def test_demo_refuses_a_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("占用", encoding="utf-8")
    with pytest.raises(UserError, match="非空"):
        run_demo(tmp_path)


def test_demo_replaces_its_own_earlier_output(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    run_demo(out, seed=3, cases_per_year=400, hospitals=6)
    (out / "stale.txt").write_text("上次运行留下的文件", encoding="utf-8")
    result = run_demo(out, seed=3, cases_per_year=400, hospitals=6)
    assert not (out / "stale.txt").exists()
    assert result.files["摘要"].is_file()


def test_demo_settles_by_drg_too_when_given_a_pack(reference: Path, tmp_path: Path) -> None:
    from dipdrg.drg.importer import import_pack

    pack = tmp_path / "drg11"
    import_pack(reference / "chs-drg-1.1", pack)
    result = run_demo(tmp_path / "demo", seed=5, cases_per_year=2_000, hospitals=10, drg_pack=pack)
    grouped = result.figures["drg_grouping"]
    assert grouped.by_status.get("SUCCESS", 0) >= 0.9 * grouped.total
    count, due, billed, settled, paid, final = result.figures["drg"]["totals"]
    assert count == 10 and final == settled - paid
    assert any((tmp_path / "demo" / "statements-drg").rglob("*.xlsx"))
    assert "DRG 年度清算" in result.files["摘要"].read_text(encoding="utf-8")
