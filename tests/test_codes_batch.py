"""build_code_map: the set-based path agrees with the per-case normaliser."""

from __future__ import annotations

from pathlib import Path

from dipdrg.codes.batch import build_code_map
from dipdrg.codes.index import CodeIndex
from dipdrg.codes.lists import load_files


def test_code_map_one_row_per_distinct_value(workspace, tmp_path: Path) -> None:
    dx = tmp_path / "dx.csv"
    dx.write_text("code,name\nK35.800,a\nK35.800x001,b\nR31.x00,c\nK35.200,d\n", encoding="utf-8")
    load_files(workspace, diagnoses=dx)
    con = workspace.con
    con.execute("CREATE TEMP TABLE raw_dx (v VARCHAR)")
    con.executemany(
        "INSERT INTO raw_dx VALUES (?)",
        [["K35.800"], ["k35.8"], ["k35.8"], [None], ["K35"], ["R31"], ["ZZZ"], [""], ["k35800X001"]],
    )
    build_code_map(con, "diagnosis", "SELECT v FROM raw_dx", "dx_map")
    rows = {r[0]: r[1:] for r in con.execute("SELECT * FROM dx_map").fetchall()}
    assert set(rows) == {"K35.800", "k35.8", "K35", "R31", "ZZZ", "", "k35800X001"}
    assert rows["k35.8"][:2] == ("K35.800", "padded") and rows["k35.8"][3:] == ("K35", "K35.8")
    assert rows["K35"][:2] == (None, "heading")
    assert rows["R31"][0] == "R31.x00" and rows["R31"][3:] == ("R31", None)
    assert rows["ZZZ"][1] == "malformed" and rows[""][1] == "malformed"
    assert rows["k35800X001"][0] == "K35.800x001"
    index = CodeIndex.from_workspace(workspace)
    for raw, (code, status, message, key3, key4) in rows.items():
        single = index.normalise(raw, "diagnosis")
        assert (single.code, single.status, single.message, single.key3, single.key4) == (code, status, message, key3, key4)
    # replaced on a second call, and usable in a join
    build_code_map(con, "diagnosis", "SELECT 'K35.200'", "dx_map")
    assert con.execute("SELECT raw, code FROM dx_map").fetchall() == [("K35.200", "K35.200")]


def test_code_map_without_list_is_unchecked(workspace) -> None:
    build_code_map(workspace.con, "procedure", "SELECT * FROM (VALUES ('4701'), ('47.0100')) AS t(c)", "px_map")
    rows = workspace.con.execute("SELECT raw, code, status FROM px_map ORDER BY raw").fetchall()
    assert rows == [("47.0100", "47.0100", "unchecked"), ("4701", "47.0100", "unchecked")]


def test_code_map_types_and_empty_input(workspace) -> None:
    build_code_map(workspace.con, "diagnosis", "SELECT CAST(NULL AS VARCHAR) WHERE 1 = 0", "empty_map")
    assert workspace.con.execute("SELECT COUNT(*) FROM empty_map").fetchone()[0] == 0
    types = {r[0]: r[1] for r in workspace.con.execute("DESCRIBE empty_map").fetchall()}
    assert types == {c: "VARCHAR" for c in ("raw", "code", "status", "message", "key3", "key4")}
