"""Settlement import: one test per format and per list layout, values hand-checked."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dipdrg.cases.settlements import import_settlements

HEADER_ZH = "结算ID,定点医疗机构编号,性别,年龄,入院时间,出院时间,医疗费总额,西药费,呼吸机使用时长,主要诊断编码,其他诊断编码,手术操作编码\n"
ROWS_ZH = (
    'S1,H001,男,50,2026/3/1 8:30,20260305,"1,234.50",100.25,1/13/24,K35.8,I10|E11.9,47.0100\n'
    "S2,H001,女,30,2026-03-02,2026-03-04 10:00:00,88,,,J18.9,,\n"
)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def accounted(ws, import_id: str) -> tuple[int, int, int, int]:
    return ws.con.execute(
        "SELECT rows_read, loaded, quarantined, duplicates FROM imports WHERE import_id = ?", [import_id]
    ).fetchone()


def case(ws, setl_id: str) -> dict:
    cur = ws.con.execute("SELECT * FROM cases WHERE setl_id = ?", [setl_id])
    names = [d[0] for d in cur.description]
    return dict(zip(names, cur.fetchone()))


def diagnoses(ws, setl_id: str) -> list[tuple]:
    return ws.con.execute(
        "SELECT seq, diag_code_raw, maindiag_flag FROM case_diagnoses WHERE setl_id = ? ORDER BY seq",
        [setl_id],
    ).fetchall()


def procedures(ws, setl_id: str) -> list[tuple]:
    return ws.con.execute(
        "SELECT seq, oprn_code_raw, main_oprn_flag, oprn_date FROM case_procedures WHERE setl_id = ? ORDER BY seq",
        [setl_id],
    ).fetchall()


def check_s1(ws) -> None:
    """The first row of ROWS_ZH, whichever format carried it."""
    s1 = case(ws, "S1")
    assert s1["fixmedins_code"] == "H001"
    assert s1["gend"] == "1"                                  # 男 -> 1
    assert s1["age"] == 50
    assert s1["adm_time"] == datetime(2026, 3, 1, 8, 30)
    assert s1["dscg_time"] == datetime(2026, 3, 5)
    assert s1["medfee_sumamt"] == Decimal("1234.50")          # thousands separator removed
    assert s1["fee_wm"] == Decimal("100.25")
    assert s1["vent_used_minutes"] == 1 * 1440 + 13 * 60 + 24  # 1/13/24 = 2244 minutes
    assert diagnoses(ws, "S1") == [(0, "K35.8", True), (1, "I10", False), (2, "E11.9", False)]
    assert [p[:3] for p in procedures(ws, "S1")] == [(0, "47.0100", True)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_with_chinese_headers_in_each_encoding(workspace, tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path / "list.csv", HEADER_ZH + ROWS_ZH, encoding)
    (result,) = import_settlements(workspace, [path])
    assert (result.rows_read, result.loaded, result.quarantined, result.duplicates) == (2, 2, 0, 0)
    assert result.encoding == ("gbk" if encoding.startswith("gb") else "utf-8")
    check_s1(workspace)
    assert case(workspace, "S2")["gend"] == "2"
    assert diagnoses(workspace, "S2") == [(0, "J18.9", True)]


def test_xlsx_first_sheet_with_excel_types(workspace, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["结算ID", "定点医疗机构编号", "性别", "年龄", "入院时间", "出院时间", "医疗费总额",
                  "西药费", "呼吸机使用时长", "主要诊断编码", "其他诊断编码", "手术操作编码"])
    sheet.append(["S1", "H001", "男", 50, datetime(2026, 3, 1, 8, 30), datetime(2026, 3, 5), 1234.5,
                  100.25, "1/13/24", "K35.8", "I10,E11.9", "47.0100"])
    book.save(tmp_path / "list.xlsx")
    (result,) = import_settlements(workspace, [tmp_path / "list.xlsx"])
    assert (result.format, result.loaded) == ("xlsx", 1)
    check_s1(workspace)
    assert workspace.con.execute("SELECT source_row FROM cases").fetchone()[0] == 2   # Excel row 2


def test_parquet_with_list_column(workspace, tmp_path: Path) -> None:
    table = pa.table({
        "setl_id": ["S1"], "fixmedins_code": ["H001"], "gend": ["1"], "age": [50],
        "adm_time": [datetime(2026, 3, 1, 8, 30)], "dscg_time": [datetime(2026, 3, 5)],
        "medfee_sumamt": pa.array([Decimal("1234.50")], pa.decimal128(18, 2)),
        "fee_wm": pa.array([Decimal("100.25")], pa.decimal128(18, 2)),
        "vent_used_dura": ["1/13/24"], "main_diag_code": ["K35.8"],
        "other_diag_codes": pa.array([["I10", "E11.9"]], pa.list_(pa.string())),
        "oprn_codes": ["47.0100"],
    })
    pq.write_table(table, tmp_path / "list.parquet")
    (result,) = import_settlements(workspace, [tmp_path / "list.parquet"])
    assert (result.format, result.loaded) == ("parquet", 1)
    check_s1(workspace)


def record(setl_id: str, **setl: object) -> dict:
    return {
        "setlinfo": {"setl_id": setl_id, "fixmedins_code": "H001", "gend": "1", "age": 50,
                     "adm_time": "2026-03-01 08:30:00", "dscg_time": "2026-03-05 00:00:00",
                     "medfee_sumamt": 1234.50, "vent_used_dura": "1/13/24", **setl},
        "diseinfo": [
            {"diag_type": "1", "diag_code": "I10", "maindiag_flag": "0"},
            {"diag_type": "1", "diag_code": "K35.8", "maindiag_flag": "1"},
            {"diag_type": "1", "diag_code": "E11.9", "maindiag_flag": "0"},
        ],
        "oprninfo": [{"oprn_oprt_code": "47.0100", "oprn_oprt_date": "2026-03-02", "main_oprn_flag": "1"}],
        "iteminfo": [{"med_chrgitm": "09", "amt": "60.25"}, {"med_chrgitm": "9", "amt": 40}],
        "icuinfo": [{"scs_cutd_sum_dura": "0/2/0"}, {"scs_cutd_sum_dura": "0/1/30"}],
    }


@pytest.mark.parametrize("layout", ["array", "lines", "envelope"])
def test_json_4101_records(workspace, tmp_path: Path, layout: str) -> None:
    records = [record("S1"), record("S2", gend="2")]
    path = tmp_path / "upload.json"
    if layout == "array":
        path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    elif layout == "lines":
        path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    else:
        path.write_text(json.dumps([{"infno": "4101", "input": r} for r in records]), encoding="utf-8")
    (result,) = import_settlements(workspace, [path])
    assert (result.format, result.rows_read, result.loaded) == ("json", 2, 2)
    check_s1(workspace)
    s1 = case(workspace, "S1")
    assert s1["fee_wm"] == Decimal("100.25")      # item 09 listed twice: 60.25 + 40
    assert s1["icu_minutes"] == 120 + 90          # two ICU stays summed
    assert procedures(workspace, "S1")[0][3] == datetime(2026, 3, 2)


def test_numbered_list_columns(workspace, tmp_path: Path) -> None:
    path = write(tmp_path / "n.csv",
                 "setl_id,fixmedins_code,gend,adm_time,dscg_time,medfee_sumamt,main_diag_code,"
                 "其他诊断编码1,其他诊断编码2,其他诊断编码3,oprn_code_1,oprn_code_2,oprn_date_1,oprn_date_2\n"
                 "S1,H1,1,2026-03-01,2026-03-05,10,K35.8,I10,,E11.9,47.0100,99.2500,2026-03-02,2026-03-03\n")
    import_settlements(workspace, [path])
    # the empty slot 2 is skipped, numbering stays dense
    assert diagnoses(workspace, "S1") == [(0, "K35.8", True), (1, "I10", False), (2, "E11.9", False)]
    assert procedures(workspace, "S1") == [
        (0, "47.0100", True, datetime(2026, 3, 2)), (1, "99.2500", False, datetime(2026, 3, 3))]


def test_separate_diagnosis_and_procedure_tables(workspace, tmp_path: Path) -> None:
    main = write(tmp_path / "setl.csv", "结算ID,医疗机构编码,性别,入院时间,出院时间,总费用\n"
                 "S1,H1,1,2026-03-01,2026-03-05,10\nS2,H1,2,2026-03-01,2026-03-02,20\n")
    dx = write(tmp_path / "diag.csv", "setl_id,diag_code,maindiag_flag,adm_cond_type\n"
               "S1,I10,0,1\nS1,K35.8,1,1\nS2,J18.9,1,4\nS9,A00.0,1,1\n")
    op = write(tmp_path / "oprn.csv", "setl_id,oprn_oprt_code,main_oprn_flag,oprn_oprt_date\n"
               "S1,47.0100,1,2026-03-02 09:00\n")
    results = import_settlements(workspace, [main], diagnoses=dx, procedures=op)
    by_kind = {r.kind: r for r in results}
    assert by_kind["settlement"].loaded == 2
    assert (by_kind["settlement-diagnoses"].rows_read, by_kind["settlement-diagnoses"].loaded,
            by_kind["settlement-diagnoses"].quarantined) == (4, 3, 1)          # S9 has no settlement
    assert by_kind["settlement-procedures"].loaded == 1
    assert diagnoses(workspace, "S1") == [(0, "K35.8", True), (1, "I10", False)]
    assert procedures(workspace, "S1") == [(0, "47.0100", True, datetime(2026, 3, 2, 9, 0))]
    rule = workspace.con.execute("SELECT rule_id, setl_id FROM quarantine").fetchall()
    assert rule == [("IMP-020", "S9")]


def test_reference_case_layout_needs_hospital_and_allow_missing(workspace, tmp_path: Path) -> None:
    from dipdrg.errors import UserError

    path = write(tmp_path / "ref.csv",
                 "case_id,gender,age,age_days,birth_weight,los,discharge_status,principal_dx,"
                 "secondary_dx,principal_proc,other_procs,expected_drg\n"
                 "C1,2,0,20,2500,5,1,P07.100,P22.000|P59.900,,,PS19\n"
                 "C2,1,60,,,3,1,,,,,0000\n")
    with pytest.raises(UserError, match="fixmedins_code"):
        import_settlements(workspace, [path])
    with pytest.raises(UserError, match="--allow-missing"):
        import_settlements(workspace, [path], hospital="REF")
    (result,) = import_settlements(workspace, [path], hospital="REF", allow_missing=True)
    assert (result.loaded, result.ignored_columns) == (2, ["expected_drg"])
    c1 = case(workspace, "C1")
    assert (c1["fixmedins_code"], c1["nwb_age"], c1["nwb_bir_wt"], c1["act_ipt_days"], c1["adm_time"]) == (
        "REF", 20, 2500, 5, None)
    assert diagnoses(workspace, "C1") == [(0, "P07.100", True), (1, "P22.000", False), (2, "P59.900", False)]
    assert diagnoses(workspace, "C2") == []       # empty principal_dx: no diagnosis at all


def test_reference_cases_all_accounted(workspace, reference: Path) -> None:
    """The 2,000 labelled reference cases load in full; principal diagnoses land in seq 0."""
    import csv

    path = reference / "cases" / "chs-drg-1.1" / "public_2000.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    (result,) = import_settlements(workspace, [path], hospital="REF", allow_missing=True)
    assert (result.rows_read, result.loaded) == (len(rows), len(rows))
    with_principal = sum(1 for r in rows if r["principal_dx"].strip())
    assert workspace.con.execute("SELECT count(*) FROM case_diagnoses WHERE seq = 0").fetchone()[0] == with_principal
    secondary = sum(len([c for c in r["secondary_dx"].split("|") if c.strip()]) for r in rows)
    assert workspace.con.execute("SELECT count(*) FROM case_diagnoses WHERE seq > 0").fetchone()[0] == secondary
