"""Regressions found by the import audit: bad text in an integer field that ages.sql would
fill in, CSV files mixing CRLF and LF line ends, UTF-16 files. Each row still has exactly one
fate (rows_read = loaded + quarantined + duplicates) and keeps its own line number."""

from __future__ import annotations

from pathlib import Path

import pytest

from dipdrg.cases import newlines
from dipdrg.cases.settlements import import_settlements
from dipdrg.errors import UserError

AGE_HEADER = ("结算ID,定点医疗机构编号,性别,出生日期,年龄,不足1周岁年龄,新生儿出生体重,"
              "入院时间,出院时间,医疗费总额,主要诊断编码\n")


def account(result) -> tuple[int, int, int, int]:
    return result.rows_read, result.loaded, result.quarantined, result.duplicates


def test_bad_text_in_age_fields_is_quarantined_not_derived(workspace, tmp_path: Path) -> None:
    # Every bad row has a birth date, so ages.sql could derive age/nwb_age for it; the bad
    # text must still be reported (IMP-003, naming the field) instead of being overwritten.
    rows = (
        "A1,H001,1,1976-03-02,三十,,,2026-03-01,2026-03-05,100,J18.9\n"          # line 2
        "A2,H001,1,2025-03-02,,十天,,2026-03-01,2026-03-05,100,P07.1\n"          # line 3
        "A3,H001,2,2026-02-28,,2,三千克,2026-03-01,2026-03-05,100,P07.1\n"       # line 4
        "A4,H001,2,1976-03-02,,,,2026-03-01,2026-03-05,100,J18.9\n"              # line 5
    )
    path = tmp_path / "ages.csv"
    path.write_text(AGE_HEADER + rows, encoding="utf-8")
    (result,) = import_settlements(workspace, [path])
    assert account(result) == (4, 1, 3, 0)
    quarantined = workspace.con.execute(
        "SELECT source_row, setl_id, rule_id, field FROM quarantine ORDER BY source_row").fetchall()
    assert quarantined == [(2, "A1", "IMP-003", "age"), (3, "A2", "IMP-003", "nwb_age"),
                           (4, "A3", "IMP-003", "nwb_bir_wt")]
    messages = [m for (m,) in workspace.con.execute("SELECT message FROM quarantine ORDER BY source_row").fetchall()]
    assert "三十" in messages[0] and "十天" in messages[1] and "三千克" in messages[2]
    # the good row still gets its age derived: born 1976-03-02, admitted 2026-03-01 -> 49
    assert workspace.con.execute("SELECT setl_id, age, nwb_age FROM cases").fetchall() == [("A4", 49, None)]


@pytest.mark.parametrize("field_index, field", [(4, "age"), (5, "nwb_age"), (6, "nwb_bir_wt")])
def test_each_integer_age_field_alone(workspace, tmp_path: Path, field_index: int, field: str) -> None:
    cells = "S1,H001,1,2025-12-01,,,,2026-03-01,2026-03-05,100,P07.1".split(",")
    cells[field_index] = "一二"
    path = tmp_path / f"{field}.csv"
    path.write_text(AGE_HEADER + ",".join(cells) + "\n", encoding="utf-8")
    (result,) = import_settlements(workspace, [path])
    assert account(result) == (1, 0, 1, 0)
    assert workspace.con.execute("SELECT source_row, rule_id, field FROM quarantine").fetchall() == [
        (2, "IMP-003", field)]


HEADER = "setl_id,fixmedins_code,gend,adm_time,dscg_time,medfee_sumamt,main_diag_code"


def line(setl_id: str) -> str:
    return f"{setl_id},H1,1,2026-03-01,2026-03-05,10.00,K35.8"


def test_short_unquoted_lf_line_in_crlf_file_is_quarantined(workspace, tmp_path: Path) -> None:
    # A CRLF export with one short line appended/cut without its CR (audit files money5/tr3).
    body = (HEADER + "\r\n" + line("S1") + "\r\n" + line("S2") + "\r\n"
            + "SX,x\n" + line("S3") + "\r\n" + line("S4") + "\r\n")
    path = tmp_path / "mixed.csv"
    path.write_bytes(body.encode("utf-8"))
    (result,) = import_settlements(workspace, [path])
    assert account(result) == (5, 4, 1, 0)
    assert workspace.con.execute("SELECT source_row, rule_id FROM quarantine").fetchall() == [(4, "IMP-011")]
    loaded = dict(workspace.con.execute("SELECT setl_id, source_row FROM cases").fetchall())
    assert loaded == {"S1": 2, "S2": 3, "S3": 5, "S4": 6}


def test_complete_lines_with_mixed_line_ends_all_load(workspace, tmp_path: Path) -> None:
    body = HEADER + "\n" + line("S1") + "\r\n" + line("S2") + "\n" + line("S3") + "\r\n"
    path = tmp_path / "mixed_ok.csv"
    path.write_bytes(body.encode("utf-8"))
    (result,) = import_settlements(workspace, [path])
    assert account(result) == (3, 3, 0, 0)
    loaded = dict(workspace.con.execute("SELECT setl_id, source_row FROM cases").fetchall())
    assert loaded == {"S1": 2, "S2": 3, "S3": 4}


def test_lf_copy_handles_crlf_split_across_chunks(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(newlines, "CHUNK", 3)     # "a,b\r" | "\nc," ...: CR and LF apart
    mixed = tmp_path / "m.csv"
    mixed.write_bytes(b"a,b\r\nc,d\ne,f\r\ng\r")
    copy = newlines.lf_copy_if_mixed(mixed, tmp_path)
    assert copy is not None and copy.read_bytes() == b"a,b\nc,d\ne,f\ng\r"
    crlf_only = tmp_path / "w.csv"
    crlf_only.write_bytes(b"a,b\r\nc,d\r\n")
    assert newlines.lf_copy_if_mixed(crlf_only, tmp_path) is None


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_file_is_refused_in_chinese(workspace, tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"{encoding}.csv"
    path.write_text(HEADER + "\n" + line("S1") + "\n", encoding=encoding)
    with pytest.raises(UserError, match="UTF-16") as caught:
        import_settlements(workspace, [path])
    assert "UTF-8" in caught.value.message and "GBK" in caught.value.message
    assert "state" not in caught.value.message
    assert workspace.con.execute("SELECT count(*) FROM imports").fetchone()[0] == 0
