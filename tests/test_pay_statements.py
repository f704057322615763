"""Statements and exports: the simulation (模拟付费) exported and included in the statements,
method-aware wording for DRG, and byte-identical XLSX files on identical re-runs."""

from __future__ import annotations

import time
from datetime import datetime
from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from dipdrg.cli import app
from dipdrg.drg.weights.score import score_cases
from dipdrg.pay.clearance import settle_year
from dipdrg.pay.monthly import settle_months
from dipdrg.pay.simulate import simulate
from dipdrg.pay.statements import write_statements
from dipdrg.policy import load_policy
from dipdrg.workspace import init_workspace
from test_drg_weights_payment import _files, region as drg_region
from test_pay_data import insert_region, write_policy


@pytest.fixture()
def region(workspace, tmp_path: Path):
    insert_region(workspace.con)
    return workspace, load_policy(write_policy(tmp_path))


def _cli(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_simulate_exports_hospitals_and_groups(tmp_path: Path) -> None:
    with init_workspace(tmp_path / "ws") as ws:
        insert_region(ws.con)
    out = _cli("settle", "simulate", "-w", str(tmp_path / "ws"), "--policy", str(write_policy(tmp_path)),
               "--year", "2026", "-o", str(tmp_path / "sim.xlsx"))
    assert "G3" in out and "高倍率病例" in out     # the group table is printed too
    book = load_workbook(tmp_path / "sim.xlsx")
    assert book.sheetnames == ["模拟付费（机构）", "模拟付费（DIP组）"]
    hospitals = {r[0]: r for r in book["模拟付费（机构）"].iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in book["模拟付费（机构）"][1]]
    assert header[:3] == ["医疗机构编码", "医疗机构名称", "DIP病例数"] and header[-1] == "主要原因"
    # H1 (test_simulated_payment_reasons_add_up): 5650.00 by item, 5980.92 by DIP, +330.92, 机构等级系数
    assert hospitals["H1"][1] == "一号医院"
    assert [D(str(v)) for v in (hospitals["H1"][3], hospitals["H1"][5], hospitals["H1"][6])] == [
        D("5650.00"), D("5980.92"), D("330.92")]
    assert hospitals["H1"][-1] == "机构等级系数"
    groups = {r[0]: r for r in book["模拟付费（DIP组）"].iter_rows(min_row=2, values_only=True)}
    # G3 (c6): 5300.00 by item, 4800.00 by DIP, −500.00, a high outlier
    assert (D(str(groups["G3"][2])), D(str(groups["G3"][3])), D(str(groups["G3"][4])), groups["G3"][-1]) == (
        D("5300.00"), D("4800.00"), D("-500.00"), "高倍率病例")


def test_statements_include_the_simulation_when_one_exists(region, tmp_path: Path) -> None:
    ws, policy = region
    settle_year(ws, policy, 2026)
    plain = write_statements(ws, 2026, tmp_path / "plain")
    assert not any("模拟付费" in p.name for p in plain.files)
    simulate(ws, policy, 2026)
    with_sim = write_statements(ws, 2026, tmp_path / "sim")
    names = {p.name for p in with_sim.files}
    assert {"模拟付费（机构）_2026.csv", "模拟付费（DIP组）_2026.csv"} <= names
    text = (tmp_path / "sim" / "模拟付费（机构）_2026.csv").read_text(encoding="utf-8-sig")
    assert "H1,一号医院,4,5650.00" in text and "330.92" in text
    summary = load_workbook(tmp_path / "sim" / "地区汇总_2026.xlsx")
    assert "模拟付费（DIP组）" in summary.sheetnames
    own = load_workbook(tmp_path / "sim" / "医疗机构" / "H2_2026.xlsx")["模拟付费"]
    lines = {r[0]: r[1] for r in own.iter_rows(min_row=2, values_only=True)}
    assert lines["医疗机构编码"] == "H2" and lines["主要原因"]


def test_drg_statements_and_messages_use_drg_words(workspace, tmp_path: Path) -> None:
    drg_region(workspace.con)
    weights, policy_path = _files(tmp_path)
    policy = load_policy(policy_path)
    score_cases(workspace, policy, str(weights))
    settle_year(workspace, policy, 2026, method="drg")
    workspace.con.execute("CHECKPOINT")
    workspace.close()
    common = ["-w", str(tmp_path / "ws"), "--policy", str(policy_path), "--method", "drg"]
    out = _cli("settle", "point-value", *common)
    assert "DRG基金预算" in out and "预算费率" in out and "结算费率" in out and "总权重" in out
    assert "点值" not in out and "DIP" not in out
    out = _cli("settle", "monthly", *common, "--month", "2026-01")
    assert "DRG病例" in out and "DIP" not in out
    out = _cli("settle", "annual", *common)
    assert "结算费率" in out and "点值" not in out
    _cli("settle", "statements", *common, "-o", str(tmp_path / "st"))
    header = (tmp_path / "st" / "地区汇总_2026.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert "DRG病例数" in header and "总权重" in header and "非DRG病例数" in header and "DIP" not in header
    book = load_workbook(tmp_path / "st" / "地区汇总_2026.xlsx")
    assert "费率" in book.sheetnames and "点值" not in book.sheetnames
    assert [c.value for c in book["费率"][1]][3:4] == ["DRG基金预算"]
    assert "预算费率" in [c.value for c in book["费率"][1]]
    cases = (tmp_path / "st" / "病例明细_2026.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert "病例权重" in cases and "DRG组编码" in cases and "分值" not in cases


def test_identical_reruns_give_identical_xlsx_bytes(region, tmp_path: Path) -> None:
    ws, policy = region
    outputs = []
    for attempt in (1, 2):
        settle_months(ws, policy, ["2026-01", "2026-02"])
        settle_year(ws, policy, 2026)
        simulate(ws, policy, 2026)
        result = write_statements(ws, 2026, tmp_path / f"out{attempt}")
        outputs.append({p.relative_to(result.directory): p.read_bytes() for p in result.files})
        time.sleep(2.1)       # the clock moves on (zip times count in 2 s): nothing may depend on it
    assert outputs[0] == outputs[1]
    assert sum(1 for p in outputs[0] if p.suffix == ".xlsx") == 3
    props = load_workbook(tmp_path / "out1" / "地区汇总_2026.xlsx").properties
    assert props.created == props.modified == datetime(2026, 12, 31, 23, 59, 59)
