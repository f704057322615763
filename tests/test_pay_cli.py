"""``dipdrg settle …`` end to end on the seven-case region (through the real command line)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from dipdrg.cli import app
from dipdrg.workspace import init_workspace
from test_pay_data import insert_region, write_policy


def test_settle_commands(tmp_path: Path) -> None:
    with init_workspace(tmp_path / "ws") as ws:
        insert_region(ws.con)
    policy = str(write_policy(tmp_path))
    common = ["-w", str(tmp_path / "ws"), "--policy", policy]
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(app, ["settle", *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    assert "16.0000" in run("point-value", *common, "--year", "2026")
    assert "2,204.43" in run("monthly", *common, "--month", "2026-01")   # 1470.22 + 734.21
    assert "年度清算" in run("annual", *common, "--year", "2026")
    with init_workspace(tmp_path / "ws") as ws:   # H1: 5980.92 − 1470.22 prepaid in January
        assert ws.con.execute("SELECT final_amount FROM settle_annual WHERE fixmedins_code = 'H1'"
                              ).fetchone()[0] == Decimal("4510.70")
    assert "机构等级系数" in run("simulate", *common, "--year", "2026")
    assert "已写出" in run("statements", *common, "--year", "2026", "-o", str(tmp_path / "out"))
    assert (tmp_path / "out" / "地区汇总_2026.xlsx").exists()
    out = run("what-if", *common, "--year", "2026", "--set", "settle.assessment.default=0.9",
              "-o", str(tmp_path / "w.xlsx"))
    assert "参数测算" in out and (tmp_path / "w.xlsx").exists()
    run("review", "apply", "c6", "--type", "高倍率", "--reason", "费用高", "--by", "王", *common)
    run("review", "audit", "TL-DIP-2026-00001", "--by", "李", "-w", str(tmp_path / "ws"))
    assert "审核" in run("review", "list", "-w", str(tmp_path / "ws"))
    run("review", "export", "-o", str(tmp_path / "t.csv"), "-w", str(tmp_path / "ws"))
    assert "审核" in (tmp_path / "t.csv").read_text(encoding="utf-8-sig")
