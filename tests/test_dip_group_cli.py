"""The ``dipdrg dip`` commands end to end: import-pack, group-file (input order kept), explain,
group on a workspace, and Chinese errors for bad input."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dipdrg.cli import app

runner = CliRunner()

TABLE = (
    "group_code,group_name,group_type,dx_key,procedures,treatment,score,primary_care\n"
    "K1,阑尾切除,core,K35.8,47.0100,手术操作,300,0\n"
    "K4,阑尾炎保守,core,K35.8,,保守治疗,120,1\n"
    "ZK35A,K35 相关手术,comprehensive,K35,,相关手术,200,0\n"
)


@pytest.fixture()
def pack(tmp_path: Path) -> Path:
    src = tmp_path / "catalog.csv"
    src.write_text(TABLE, encoding="utf-8")
    result = runner.invoke(app, ["dip", "import-pack", str(src), str(tmp_path / "pack"), "--layout", "local", "--id", "city"])
    assert result.exit_code == 0, result.output
    assert "已生成病种库" in result.output
    return tmp_path / "pack"


def test_group_file_keeps_input_order(pack, tmp_path):
    src = tmp_path / "cases.csv"
    src.write_text(
        "case_id,principal_dx,secondary_dx,principal_proc,other_procs,age,gender,age_days,birth_weight,los,discharge_status,total_cost\n"
        "z9,K35.800,,,,30,1,,,3,1,3000.00\n"
        "a1,K35.800x001,I10.x00,47.0100,,40,2,,,5,1,8000.50\n"
        "m5,K35.300,,39.5000,,50,1,,,4,1,9000\n"
        "b2,,,,,60,1,,,2,1,100\n", encoding="utf-8")
    attr = tmp_path / "attr.csv"
    attr.write_text("code,name,category\n39.5000,血管内操作,介入治疗\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["dip", "group-file", str(src), "--catalog", str(pack), "-o", str(out), "--proc-category", str(attr)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["case_id"], r["group_code"], r["layer"], r["status"]) for r in rows] == [
        ("z9", "K4", "core", "grouped"),
        ("a1", "K1", "core", "grouped"),
        ("m5", "ZK35A", "comprehensive", "grouped"),
        ("b2", "", "ungrouped", "ungrouped"),
    ]


def test_group_file_reports_bad_input_in_chinese(pack, tmp_path):
    src = tmp_path / "cases.csv"
    src.write_text("case_id,other\nA,1\n", encoding="utf-8")
    result = runner.invoke(app, ["dip", "group-file", str(src), "--catalog", str(pack), "-o", str(tmp_path / "o.csv")])
    assert result.exit_code != 0 and "缺少列" in str(result.exception)
    src.write_text("case_id,principal_dx\nA,K35.800\nA,K35.800\n", encoding="utf-8")
    result = runner.invoke(app, ["dip", "group-file", str(src), "--catalog", str(pack), "-o", str(tmp_path / "o.csv")])
    assert "重复" in str(result.exception) and result.exception.row == 3


def test_explain_command(pack):
    result = runner.invoke(app, ["dip", "explain", "--catalog", str(pack), "--pdx", "K35.800x001", "--proc", "47.0100"])
    assert result.exit_code == 0, result.output
    assert "入组：K1" in result.output and "groups.csv 第 2 行" in result.output
    result = runner.invoke(app, ["dip", "explain", "--catalog", str(pack), "--pdx", "K80.200", "--proc", "47.0100"])
    assert "未入组" in result.output and "PROC_ATTR_UNKNOWN" in result.output


def test_explain_with_workspace_attributes(pack, tmp_path):
    from dipdrg.workspace import init_workspace

    with init_workspace(tmp_path / "ws") as ws:
        ws.con.execute("INSERT INTO codes VALUES ('procedure', '39.5000', '血管内操作', '介入治疗', 'icd9')")
    result = runner.invoke(app, ["dip", "explain", "-c", str(pack), "-w", str(tmp_path / "ws"), "--pdx", "K35.300", "--proc", "39.5000"])
    assert result.exit_code == 0, result.output
    assert "入组：ZK35A" in result.output and "相关手术" in result.output


def test_import_pack_refuses_unknown_codes(tmp_path):
    src = tmp_path / "catalog.csv"
    src.write_text(TABLE, encoding="utf-8")
    codes = tmp_path / "icd9.csv"
    codes.write_text("code,name\n47.0901,其他\n", encoding="utf-8")
    out = tmp_path / "pack"
    result = runner.invoke(app, ["dip", "import-pack", str(src), str(out), "--layout", "local", "--code-list", str(codes)])
    assert result.exit_code != 0 and "47.0100" in str(result.exception) and not out.exists()
    result = runner.invoke(app, ["dip", "import-pack", str(src), str(out), "--layout", "local", "--code-list", str(codes), "--allow-unknown"])
    assert result.exit_code == 0 and out.exists()


def test_group_command_on_a_workspace(pack, tmp_path):
    from dipdrg.workspace import init_workspace

    ws_dir = tmp_path / "ws"
    with init_workspace(ws_dir) as ws:
        ws.con.execute("INSERT INTO cases (setl_id, fixmedins_code, import_id, content_hash) VALUES ('s1', 'H1', 'i', 'h'), ('s2', 'H1', 'i', 'h')")
        ws.con.execute("INSERT INTO case_diagnoses VALUES ('s1', 0, 'K35.800', 'K35.800', NULL, TRUE, NULL), ('s2', 0, 'Q99.900', 'Q99.900', NULL, TRUE, NULL)")
    result = runner.invoke(app, ["dip", "group", "-w", str(ws_dir), "--catalog", str(pack)])
    assert result.exit_code == 0, result.output
    assert "入组率 50.00%" in result.output and "无对应的综合病种 1 例" in result.output
