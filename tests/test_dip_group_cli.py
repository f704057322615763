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


def test_group_file_reads_parquet_and_refuses_a_fake_one(pack, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    src = tmp_path / "cases.parquet"
    pq.write_table(pa.table({"case_id": ["z9", "b2", "a1"], "principal_dx": ["K35.800", None, "K35.800"],
                             "oprn_codes": [None, None, "47.0100"]}), src)
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["dip", "group-file", str(src), "--catalog", str(pack), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    # K35.8 without a procedure is the conservative K4, with 47.0100 the operation K1
    assert [(r["case_id"], r["group_code"], r["status"]) for r in rows] == [
        ("z9", "K4", "grouped"), ("b2", "", "ungrouped"), ("a1", "K1", "grouped")]

    fake = tmp_path / "假的.parquet"
    fake.write_text("case_id,principal_dx\nA,K35.800\n", encoding="utf-8")
    result = runner.invoke(app, ["dip", "group-file", str(fake), "--catalog", str(pack), "-o", str(out)])
    message = str(result.exception)
    assert result.exit_code != 0 and "无法按 Parquet 读取" in message and "假的.parquet" in message
    assert "缺少列" not in message


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


def test_group_rate_total_row_has_no_hospital_name(pack, tmp_path):
    from dipdrg.dip.group.workspace import group_workspace
    from dipdrg.dip.pack import load_pack
    from dipdrg.workspace import init_workspace

    ws_dir = tmp_path / "ws"
    with init_workspace(ws_dir) as ws:
        ws.con.execute("INSERT INTO hospitals (fixmedins_code, fixmedins_name, hosp_lv) VALUES ('H1', '甲医院', '3'), ('H2', '乙医院', '2')")
        ws.con.execute("INSERT INTO cases (setl_id, fixmedins_code, import_id, content_hash) VALUES ('s1', 'H1', 'i', 'h'), ('s2', 'H2', 'i', 'h')")
        ws.con.execute("INSERT INTO case_diagnoses VALUES ('s1', 0, 'K35.800', 'K35.800', NULL, TRUE, NULL), ('s2', 0, 'K35.800', 'K35.800', NULL, TRUE, NULL)")
        rates = group_workspace(ws, load_pack(pack)).rates
    assert [(r.fixmedins_code, r.fixmedins_name, r.cases, r.is_total) for r in rates] == [
        (None, None, 2, True), ("H1", "甲医院", 1, False), ("H2", "乙医院", 1, False)]
    result = runner.invoke(app, ["dip", "group", "-w", str(ws_dir), "--catalog", str(pack)])
    total = next(line for line in result.output.splitlines() if "合计" in line)
    assert "医院" not in total and "2" in total


def test_import_local_errors_name_the_users_file_row_and_column(tmp_path):
    src = tmp_path / "目录.csv"
    # line 1 header, line 2 a good row, line 3 blank (skipped), line 4 a bad combination
    src.write_text("病种编码,病种名称,病种类型,诊断编码,手术操作,治疗方式,分值,基层病种\n"
                   "G1,阑尾切除,核心,K35.8,47.0100,手术操作,300,0\n"
                   "\n"
                   "G2,阑尾切除加,核心,K35.8,47.0100++54.5100,手术操作,320,0\n", encoding="utf-8")
    out = tmp_path / "packs" / "city"
    result = runner.invoke(app, ["dip", "import-pack", str(src), str(out), "--layout", "local"])
    error = result.exception
    assert result.exit_code != 0 and error.file == str(src) and error.row == 4 and error.field == "手术操作"
    assert "groups.csv" not in str(error)
    # nothing left behind: neither the pack nor its staging directory
    assert not out.exists() and list((tmp_path / "packs").iterdir()) == []


def test_import_local_xlsx_error_row_is_the_sheet_row(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["group_code", "group_name", "group_type", "dx_key", "procedures", "treatment", "score"])
    sheet.append(["G1", "阑尾", "core", "K35.8", "47.0100", "手术操作", "300"])
    sheet.append([None] * 7)
    sheet.append(["G1", "重复", "core", "K35.9", "47.0100", "手术操作", "300"])  # duplicate code, sheet row 4
    sheet.insert_rows(1)  # an empty first row: the header is sheet row 2, the rows 3 and 5
    src = tmp_path / "目录.xlsx"
    book.save(src)
    result = runner.invoke(app, ["dip", "import-pack", str(src), str(tmp_path / "pack"), "--layout", "local"])
    error = result.exception
    assert result.exit_code != 0 and error.file == str(src) and error.row == 5 and error.field == "group_code"
    assert "首次出现在第 3 行" in error.message and not (tmp_path / "pack").exists()


def test_import_local_refuses_a_non_empty_output(tmp_path):
    src = tmp_path / "catalog.csv"
    src.write_text(TABLE, encoding="utf-8")
    out = tmp_path / "pack"
    out.mkdir()
    (out / "keep.txt").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["dip", "import-pack", str(src), str(out), "--layout", "local"])
    assert result.exit_code != 0 and "非空" in str(result.exception)
    assert (out / "keep.txt").is_file() and not (out / "groups.csv").exists()


def test_group_file_reads_gbk_and_writes_the_reason(pack, tmp_path):
    src = tmp_path / "cases_gbk.csv"
    src.write_bytes("病例编号,主要诊断编码,其他诊断编码,手术及操作编码\n"
                    "甲1,K35.800,,47.0100\n"
                    "乙2,Q99.900,,\n"
                    "丙3,,,\n".encode("gbk"))
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["dip", "group-file", str(src), "--catalog", str(pack), "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "case_id,group_code,layer,status,reason"
    assert lines[1:] == ["甲1,K1,core,grouped,", "乙2,,ungrouped,ungrouped,NO_COMPREHENSIVE",
                         "丙3,,ungrouped,ungrouped,NO_PDX"]


def test_group_file_truncated_row_names_the_line_in_chinese(pack, tmp_path):
    src = tmp_path / "cases.csv"
    src.write_text("case_id,principal_dx,secondary_dx,oprn_codes\n"
                   "a1,K35.800,,47.0100\n"
                   "a2,K35.800,,\n"
                   "a3,K35.8\n", encoding="utf-8")
    result = runner.invoke(app, ["dip", "group-file", str(src), "--catalog", str(pack), "-o", str(tmp_path / "o.csv")])
    error = result.exception
    assert result.exit_code != 0 and error.row == 4 and error.file == str(src)
    assert "行不完整：应有 4 列，只有 2 列" in error.message and "Expected" not in str(error)
    assert not (tmp_path / "o.csv").exists()


def test_explain_shows_an_invalid_principal_diagnosis_as_typed(pack):
    result = runner.invoke(app, ["dip", "explain", "--catalog", str(pack), "--pdx", "XYZ12", "--proc", "47.0100"])
    assert result.exit_code == 0, result.output
    flat = result.output.replace("\n", "")
    assert "PDX_INVALID" in flat and "主要诊断：XYZ12（无效：" in flat and "格式不正确" in flat
    assert "主要诊断：（无）" not in flat
    result = runner.invoke(app, ["dip", "explain", "--catalog", str(pack), "--proc", "47.0100"])
    assert "主要诊断：（无）" in result.output and "NO_PDX" in result.output
