"""Loading code lists, crosswalks and procedure attributes from CSV (UTF-8/GBK) and XLSX."""

from __future__ import annotations

from pathlib import Path

import pytest

from dipdrg.codes.index import CodeIndex
from dipdrg.codes.lists import Columns, load_files, loaded_lists
from dipdrg.errors import UserError

DX_CSV = "code,name\nK35.800,急性阑尾炎\nK35.800x001,急性化脓性阑尾炎\nR31.x00,血尿\nK35.800,重复行\nK35.8,格式错\n,空编码\n"
PX_CSV = "code,name\n47.0100,腹腔镜下阑尾切除术\n47.0900,阑尾切除术\n00.5500x008,支架置入\n"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def problems(report) -> dict[str, int]:
    return {p.kind: p.count for p in report.problems}


def test_utf8_list_loads_and_reports_problems(workspace, tmp_path: Path) -> None:
    [report] = load_files(workspace, diagnoses=write(tmp_path / "dx.csv", DX_CSV))
    rows = workspace.con.execute("SELECT code, name FROM codes ORDER BY code").fetchall()
    # malformed K35.8 is kept (the official list is authoritative), the repeat keeps its first name
    assert rows == [("K35.8", "格式错"), ("K35.800", "急性阑尾炎"), ("K35.800x001", "急性化脓性阑尾炎"), ("R31.x00", "血尿")]
    assert report.rows == 6 and report.loaded == 4
    assert problems(report) == {"empty": 1, "duplicate": 1, "malformed": 1}
    dup = next(p for p in report.problems if p.kind == "duplicate")
    assert dup.examples == ["第 5 行 K35.800"]  # header is line 1


def test_gbk_csv_is_detected(workspace, tmp_path: Path) -> None:
    [report] = load_files(workspace, diagnoses=write(tmp_path / "dx.csv", DX_CSV, "gbk"))
    assert report.loaded == 4
    name = workspace.con.execute("SELECT name FROM codes WHERE code = 'R31.x00'").fetchone()[0]
    assert name == "血尿"


def test_xlsx_with_custom_columns(workspace, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "ICD编码", "诊断名称"])
    sheet.append([1, "K35.800", "急性阑尾炎"])
    sheet.append([2, " R31.x00 ", "血尿"])
    book.save(tmp_path / "dx.xlsx")
    [report] = load_files(
        workspace, diagnoses=tmp_path / "dx.xlsx", columns=Columns(code="ICD编码", name="诊断名称")
    )
    assert report.loaded == 2 and report.problems == []
    assert workspace.con.execute("SELECT code FROM codes ORDER BY code").fetchall() == [("K35.800",), ("R31.x00",)]


def test_chinese_headers_are_recognised(workspace, tmp_path: Path) -> None:
    load_files(workspace, procedures=write(tmp_path / "px.csv", "手术操作编码,手术操作名称\n47.0100,阑尾切除\n"))
    assert workspace.con.execute("SELECT code, name FROM codes").fetchall() == [("47.0100", "阑尾切除")]


def test_missing_column_is_a_chinese_error(workspace, tmp_path: Path) -> None:
    path = write(tmp_path / "dx.csv", "icd,name\nK35.800,x\n")
    with pytest.raises(UserError, match="缺少.*code") as info:
        load_files(workspace, diagnoses=path)
    assert info.value.file == str(path)
    with pytest.raises(UserError, match="缺少列 编码"):
        load_files(workspace, diagnoses=path, columns=Columns(code="编码"))


def test_reload_is_idempotent_and_replaces(workspace, tmp_path: Path) -> None:
    path = write(tmp_path / "dx.csv", DX_CSV)
    load_files(workspace, diagnoses=path)
    load_files(workspace, diagnoses=path)
    assert workspace.con.execute("SELECT COUNT(*) FROM codes").fetchone()[0] == 4
    assert workspace.con.execute("SELECT COUNT(*) FROM code_lists").fetchone()[0] == 1
    load_files(workspace, diagnoses=write(tmp_path / "dx2.csv", "code,name\nA00.000,霍乱\n"))
    assert workspace.con.execute("SELECT code FROM codes").fetchall() == [("A00.000",)]


def test_failed_load_leaves_workspace_unchanged(workspace, tmp_path: Path) -> None:
    load_files(workspace, diagnoses=write(tmp_path / "dx.csv", DX_CSV))
    with pytest.raises(UserError):
        load_files(
            workspace,
            diagnoses=write(tmp_path / "new.csv", "code,name\nA00.000,霍乱\n"),
            procedures=write(tmp_path / "bad.csv", "wrong,header\n1,2\n"),
        )
    assert workspace.con.execute("SELECT COUNT(*) FROM codes").fetchone()[0] == 4


def test_crosswalk_conflicts_and_unlisted_targets(workspace, tmp_path: Path) -> None:
    cw = "source_code,target_code\nA01.000x002, K35.800\nB01.000,K35.900\nC01.000,K35.800\nC01.000,R31.x00\nD01.000,\n"
    [_, report] = load_files(
        workspace, diagnoses=write(tmp_path / "dx.csv", DX_CSV), dx_crosswalk=write(tmp_path / "cw.csv", cw)
    )
    rows = workspace.con.execute("SELECT source_code, target_code FROM code_crosswalk ORDER BY 1").fetchall()
    assert rows == [("A01.000x002", "K35.800"), ("B01.000", "K35.900")]  # conflict C01 left out
    assert problems(report) == {"conflict": 2, "target_unlisted": 1, "empty": 1}
    index = CodeIndex.from_workspace(workspace)
    assert index.normalise("a01000x002", "diagnosis").code == "K35.800"
    assert index.normalise("C01.000", "diagnosis").code is None


def test_categories_fill_codes_and_report_gaps(workspace, tmp_path: Path) -> None:
    cats = (
        "code,name,category,master_code\n"
        "47.0100,腹腔镜下阑尾切除术,手术,True\n"
        "47.0900,阑尾切除术,,True\n"
        "99.9999,不在目录,手术,True\n"
        "86.700x0013,格式错,手术,True\n"
        "00.5500x008,支架置入,介入,True\n"
    )
    [_, report] = load_files(
        workspace, procedures=write(tmp_path / "px.csv", PX_CSV), categories=write(tmp_path / "cat.csv", cats)
    )
    assert workspace.con.execute(
        "SELECT code, category FROM codes WHERE category IS NOT NULL"
    ).fetchall() == [("47.0100", "手术")]
    assert problems(report) == {
        "no_category": 1, "unlisted": 2, "malformed": 1, "bad_category": 1, "missing": 2,
    }
    assert CodeIndex.from_workspace(workspace).category("47.0900") is None


def test_categories_need_a_procedure_list(workspace, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="请先加载手术操作编码目录"):
        load_files(workspace, categories=write(tmp_path / "cat.csv", "code,category\n47.0100,手术\n"))


def test_loaded_lists_show_counts_and_sha(workspace, tmp_path: Path) -> None:
    import hashlib

    path = write(tmp_path / "dx.csv", DX_CSV)
    load_files(workspace, diagnoses=path, version="2.0")
    [(list_id, kind, version, count, sha, source, _)] = loaded_lists(workspace)
    assert (list_id, kind, version, count, source) == ("icd10-yb", "diagnosis", "2.0", 4, str(path))
    assert sha == hashlib.sha256(path.read_bytes()).hexdigest()


def test_index_from_files(tmp_path: Path) -> None:
    index = CodeIndex.from_files(procedures=write(tmp_path / "px.csv", PX_CSV))
    assert index.normalise("4701", "procedure").code == "47.0100"
    assert index.normalise("K35.8", "diagnosis").status == "unchecked"
