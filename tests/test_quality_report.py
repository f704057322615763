"""Quality report figures on a hand-made 4-case dataset, the XLSX/CSV output and the CLI."""

from __future__ import annotations

import csv
from datetime import datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from dipdrg.errors import UserError
from dipdrg.policy import load_policy
from dipdrg.quality.report import FINDING_HEADERS, HOSPITAL_HEADERS, hospital_quality, write_report
from dipdrg.quality.run import run_quality
from dipdrg.report import xlsx as xlsx_module
from dipdrg.report.xlsx import display_width, write_table
from dipdrg.workspace import init_workspace
from test_quality_fixture import insert_case

D = Decimal


def _dataset(ws) -> None:
    """H001: S1 clean, S2 no gender + uploaded on day 10, S3 wrong LOS and not uploaded;
    H002: S4 man with an ovarian tumour (warning only), uploaded on day 7."""
    ws.con.execute("INSERT INTO hospitals VALUES ('H001', '第一人民医院', '3', '综合', '城区', 't')")
    ws.con.execute("INSERT INTO hospitals VALUES ('H002', '第二人民医院', '2', '综合', '城区', 't')")
    insert_case(ws, setl_id="S1")
    insert_case(ws, setl_id="S2", gend=None, upload_time=datetime(2025, 6, 25, 9))
    insert_case(ws, setl_id="S3", act_ipt_days=5, upload_time=None)
    insert_case(ws, setl_id="S4", fixmedins_code="H002", fixmedins_name="二院（清单上的名称）",
                upload_time=datetime(2025, 6, 22, 18),
                diagnoses=[{"diag_code_raw": "C56.x00", "diag_code": "C56.x00", "adm_cond_type": "1"}])
    run_quality(ws, load_policy())


def test_findings_of_the_dataset(workspace):
    _dataset(workspace)
    assert sorted(workspace.con.execute("SELECT setl_id, rule_id FROM quality_findings").fetchall()) == [
        ("S2", "QC-102"), ("S2", "QC-401"), ("S3", "QC-302"), ("S4", "QC-306")]


def test_hospital_figures_hand_computed(workspace):
    _dataset(workspace)
    h1, h2, total = hospital_quality(workspace)
    # H001: 3 cases; S2 incomplete -> 2/3; only S1 error-free -> 1/3; S1, S2 uploaded, S1 on time -> 1/2
    assert (h1.code, h1.name, h1.cases, h1.complete, h1.qualified, h1.uploaded, h1.on_time) == \
        ("H001", "第一人民医院", 3, 2, 1, 2, 1)
    assert (h1.completeness, h1.pass_rate, h1.timeliness) == (D("0.6667"), D("0.3333"), D("0.5000"))
    assert (h1.errors, h1.warnings) == (2, 1)
    # H002: the sex conflict is a warning, so the case is complete and qualified; day 7 is on time
    assert (h2.name, h2.completeness, h2.pass_rate, h2.timeliness, h2.errors, h2.warnings) == \
        ("第二人民医院", D("1.0000"), D("1.0000"), D("1.0000"), 0, 1)
    assert (total.code, total.cases, total.completeness, total.pass_rate, total.timeliness) == \
        ("合计", 4, D("0.7500"), D("0.5000"), D("0.6667"))


def test_timeliness_blank_without_upload_times(workspace):
    insert_case(workspace, upload_time=None)
    run_quality(workspace, load_policy())
    assert hospital_quality(workspace)[0].timeliness is None


def test_xlsx_report(workspace, tmp_path):
    _dataset(workspace)
    path = tmp_path / "质控报告.xlsx"
    write_report(workspace, path)
    book = load_workbook(path)
    assert book.sheetnames == ["机构质控汇总", "规则问题分布", "病例质控明细", "说明"]
    summary = book["机构质控汇总"]
    assert [c.value for c in summary[1]] == list(HOSPITAL_HEADERS)
    assert summary.freeze_panes == "A2"
    assert summary["A1"].font.bold
    first = [c.value for c in summary[2]]
    assert first[:4] == ["H001", "第一人民医院", 3, 2]
    assert Decimal(str(first[4])) == D("0.6667") and summary["E2"].number_format == "0.00%"
    assert [c.value for c in summary[4]][:3] == ["合计", "全部机构", 4]
    assert summary.column_dimensions["B"].width >= display_width("第一人民医院")
    details = book["病例质控明细"]
    assert [c.value for c in details[1]] == list(FINDING_HEADERS)
    rows = [tuple(c.value for c in row) for row in details.iter_rows(min_row=2)]
    assert [(r[0], r[2], r[3]) for r in rows] == [
        ("S2", "QC-102", "错误"), ("S2", "QC-401", "警告"), ("S3", "QC-302", "错误"), ("S4", "QC-306", "警告")]
    assert rows[1][6] == "结算清单未在出院后规定天数内上传" and rows[1][7] == "出院后第 10 天上传，时限 7 天"
    by_rule = [tuple(c.value for c in row) for row in book["规则问题分布"].iter_rows(min_row=2)]
    assert ("H002", "第二人民医院", "QC-306", "警告", "逻辑性", "诊断与性别冲突", 1) in by_rule
    notes = dict(tuple(c.value for c in row) for row in book["说明"].iter_rows(min_row=2))
    assert notes["quality.upload_deadline_days"].startswith("7（依据：")


def test_csv_report(workspace, tmp_path):
    _dataset(workspace)
    write_report(workspace, None, tmp_path / "csv")
    with (tmp_path / "csv" / "机构质控汇总.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(HOSPITAL_HEADERS)
    assert rows[1][:7] == ["H001", "第一人民医院", "3", "2", "0.6667", "1", "0.3333"]
    with (tmp_path / "csv" / "病例质控明细.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert len(list(csv.reader(handle))) == 1 + 4


def test_report_needs_a_quality_run(workspace, tmp_path):
    with pytest.raises(UserError, match="尚未运行质控"):
        write_report(workspace, tmp_path / "r.xlsx")


# -- the generic XLSX writer --------------------------------------------------------------
def test_write_table_to_path_and_workbook(tmp_path):
    path = tmp_path / "t.xlsx"
    result = write_table(path, "表", ["名称", "金额", "比率"], [("甲", D("1234.50"), D("0.1234"))],
                         {"金额": "money", "比率": "percent"})
    sheet = load_workbook(path)["表"]
    assert result.rows == 1 and not result.truncated
    assert sheet["B2"].number_format == "#,##0.00" and sheet["C2"].number_format == "0.00%"
    assert sheet.freeze_panes == "A2"
    book = Workbook()
    write_table(book, "一", ["甲"], [(1,)])
    write_table(book, "二", ["乙"], [(2,)], {"乙": "0.0"})
    assert book.sheetnames == ["一", "二"] and book["二"]["A2"].number_format == "0.0"
    assert book["一"]["A1"].font.bold


def test_write_table_stops_at_the_row_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_module, "EXCEL_MAX_ROWS", 4)
    result = write_table(tmp_path / "t.xlsx", "表", ["序号"], ((i,) for i in range(10)))
    assert result.rows == 3 and result.truncated
    assert load_workbook(tmp_path / "t.xlsx")["表"].max_row == 4


def test_display_width_counts_chinese_twice():
    assert display_width("ab") == 2 and display_width("完整度") == 6 and display_width(None) == 0


# -- CLI ------------------------------------------------------------------------------------
def test_cli_run_report_rules(tmp_path):
    from dipdrg.cli import app

    directory = tmp_path / "ws"
    with init_workspace(directory) as ws:
        _dataset(ws)
    runner = CliRunner()
    result = runner.invoke(app, ["quality", "run", "-w", str(directory)])
    assert result.exit_code == 0, result.output
    assert "病例 4 例；有错误 2 例，有警告 2 例" in result.output
    assert "合格率 50.00%" in result.output and "及时率 66.67%" in result.output
    out = tmp_path / "r.xlsx"
    result = runner.invoke(app, ["quality", "report", "-w", str(directory), "-o", str(out), "--csv", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    assert load_workbook(out).sheetnames[0] == "机构质控汇总"
    assert (tmp_path / "c" / "规则问题分布.csv").exists()
    result = runner.invoke(app, ["quality", "rules"])
    assert result.exit_code == 0 and "QC-303" in result.output


def test_cli_run_with_policy_and_report_usage(tmp_path):
    from dipdrg.cli import app

    directory = tmp_path / "ws"
    with init_workspace(directory) as ws:
        _dataset(ws)
    policy = tmp_path / "policy.toml"
    policy.write_text("[quality]\nupload_deadline_days = 10\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["quality", "run", "-w", str(directory), "--policy", str(policy)])
    assert result.exit_code == 0, result.output
    assert "及时率 100.00%" in result.output          # S2, uploaded on day 10, is now on time
    result = runner.invoke(app, ["quality", "report", "-w", str(directory)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "机构汇总" in result.output and "合计" in result.output and "100.00%" in result.output
    result = runner.invoke(app, ["quality", "rules", "--basis"])
    assert result.exit_code == 0 and "依据" in result.output and "QC-303" in result.output
