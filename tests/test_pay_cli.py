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


def test_deductions_dated_outside_the_settled_year_are_named(tmp_path: Path) -> None:
    """A deduction mistyped into another year is not applied, and the user is told which."""
    from test_pay_data import POLICY

    with init_workspace(tmp_path / "ws") as ws:
        insert_region(ws.con)
    policy = tmp_path / "policy.toml"
    policy.write_text(POLICY.replace(
        'reason = "高套分组" } ]',
        'reason = "高套分组" }, { fixmedins_code = "H1", month = "2025-12", amount = "80.50" } ]'),
        encoding="utf-8")
    common = ["-w", str(tmp_path / "ws"), "--policy", str(policy)]
    runner = CliRunner()
    for command in (["monthly", "--month", "2026-02"], ["annual", "--year", "2026"]):
        result = runner.invoke(app, ["settle", *command, *common], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        text = "".join(result.output.split())                 # the console wraps long lines
        # only row 2 is listed: row 1 (H2, 2026-02) is in the year and applied
        assert "有1条审核扣款的月份不在2026年内，本次结算未扣减：第2行H12025-1280.50元" in text
    with init_workspace(tmp_path / "ws") as ws:
        assert ws.con.execute("SELECT deductions FROM settle_monthly WHERE fixmedins_code = 'H1'"
                              ).fetchone()[0] == Decimal("0.00")
    # the unchanged policy has no deduction outside 2026: no warning
    (tmp_path / "plain").mkdir()
    result = runner.invoke(app, ["settle", "monthly", "--month", "2026-02", "-w", str(tmp_path / "ws"),
                                 "--policy", str(write_policy(tmp_path / "plain"))])
    assert result.exit_code == 0 and "未扣减" not in result.output


def test_monthly_defaults_to_the_policy_year(tmp_path: Path) -> None:
    with init_workspace(tmp_path / "ws") as ws:
        insert_region(ws.con)
    policy = write_policy(tmp_path, "\n[region]\nyear = 2026\n")
    result = CliRunner().invoke(app, ["settle", "monthly", "-w", str(tmp_path / "ws"), "--policy", str(policy)])
    assert result.exit_code == 0, result.output
    with init_workspace(tmp_path / "ws") as ws:
        periods = ws.con.execute("SELECT DISTINCT period FROM settle_monthly ORDER BY 1").fetchall()
    assert periods == [("2026-01",), ("2026-02",), ("2026-03",)]      # the months of 2026 with cases
    assert "月度预付（12 个月）" not in result.output                    # the bar is not printed off a terminal


class _Bar:
    """Records what the commands report to the progress bar."""

    def __init__(self) -> None:
        self.tasks: list[list] = []

    def add_task(self, description: str, total: int) -> int:
        self.tasks.append([description, total, 0])
        return len(self.tasks) - 1

    def update(self, task: int, advance: int, description: str) -> None:
        self.tasks[task][2] += advance


def test_long_commands_drive_a_progress_bar_to_its_end(tmp_path: Path, monkeypatch) -> None:
    from contextlib import contextmanager

    import dipdrg.console

    bar = _Bar()

    @contextmanager
    def fake_progress():
        yield bar

    monkeypatch.setattr(dipdrg.console, "progress", fake_progress)
    with init_workspace(tmp_path / "ws") as ws:
        insert_region(ws.con)
    common = ["-w", str(tmp_path / "ws"), "--policy", str(write_policy(tmp_path))]
    runner = CliRunner()
    for args in (["monthly", "--year", "2026"], ["annual"], ["simulate"], ["statements", "-o", str(tmp_path / "o")]):
        result = runner.invoke(app, ["settle", *args, *common])
        assert result.exit_code == 0, result.output
    assert [t[0] for t in bar.tasks] == ["月度预付（12 个月）", "年度清算", "模拟付费", "生成结算单"]
    assert all(done == total > 0 for _, total, done in bar.tasks), bar.tasks
    assert bar.tasks[-1][1] == 4          # the regional files, then one step per hospital (2)
