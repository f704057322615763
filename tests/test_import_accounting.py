"""Every input row is loaded, quarantined or duplicate; failures leave the workspace unchanged."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dipdrg.cases.settlements as settlements
from dipdrg.cases.hospitals import import_hospitals
from dipdrg.cases.settlements import import_settlements
from dipdrg.errors import UserError

HEADER = "setl_id,fixmedins_code,gend,adm_time,dscg_time,medfee_sumamt,main_diag_code\n"
TABLES = ("cases", "case_diagnoses", "case_procedures", "hospitals", "imports", "quarantine",
          "import_duplicates", "runs")


def write(path: Path, text: str | bytes) -> Path:
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def snapshot(ws) -> dict[str, str]:
    """A digest of every row of every import table, to prove 'nothing changed'."""
    out = {}
    for table in TABLES:
        rows = ws.con.execute(f"SELECT * FROM {table}").fetchall()
        out[table] = hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()
    return out


def invariant_holds(ws) -> None:
    for rows_read, loaded, quarantined, duplicates, import_id in ws.con.execute(
        "SELECT rows_read, loaded, quarantined, duplicates, import_id FROM imports"
    ).fetchall():
        assert rows_read == loaded + quarantined + duplicates
        q = ws.con.execute("SELECT count(*) FROM quarantine WHERE import_id = ?", [import_id]).fetchone()[0]
        d = ws.con.execute("SELECT count(*) FROM import_duplicates WHERE import_id = ?", [import_id]).fetchone()[0]
        assert (q, d) == (quarantined, duplicates)


def quarantined(ws) -> dict[int, tuple[str, str]]:
    return {r[0]: (r[1], r[2]) for r in ws.con.execute(
        "SELECT source_row, rule_id, field FROM quarantine").fetchall()}


def test_corrupted_rows_are_each_accounted_for(workspace, tmp_path: Path) -> None:
    text = (HEADER
            + "S1,H1,1,2026-03-01,2026-03-05,100.00,K35.8\n"      # line 2: fine
            + "S2,H1,1,2026-03-01,2026-03-05,一百元,K35.8\n"       # line 3: text in money
            + "S3,H1,1,2026-03-09,2026-03-01,50,K35.8\n"           # line 4: reversed dates: loaded
            + "S1,H1,1,2026-03-01,2026-03-05,999.00,K35.8\n"      # line 5: same id, other content
            + "S1,H1,1,2026/3/1,20260305,100,K35.8\n"             # line 6: same content, other spelling
            + "S4,H1,1,2026-02-30,2026-03-05,10,K35.8\n"          # line 7: impossible date
            + "S5,H1,3,2026-03-01,2026-03-05,10,K35.8\n"          # line 8: odd gender: stored as given
            + ",H1,1,2026-03-01,2026-03-05,10,K35.8\n"            # line 9: no id
            + "S6,H1,1,2026-03-01,2026-03-05,10,K35.8\n"          # line 10: fine, after the rejects
            + "S7,H1,1,2026-03-0")                                 # line 11: truncated line
    (result,) = import_settlements(workspace, [write(tmp_path / "bad.csv", text)])
    assert (result.rows_read, result.loaded, result.quarantined, result.duplicates) == (10, 4, 5, 1)
    assert quarantined(workspace) == {
        3: ("IMP-004", "medfee_sumamt"), 5: ("IMP-010", "setl_id"), 7: ("IMP-005", "adm_time"),
        9: ("IMP-001", "setl_id"), 11: ("IMP-011", None)}
    loaded = dict(workspace.con.execute("SELECT setl_id, source_row FROM cases").fetchall())
    assert loaded == {"S1": 2, "S3": 4, "S5": 8, "S6": 10}
    genders = dict(workspace.con.execute("SELECT setl_id, gend FROM cases").fetchall())
    assert genders["S5"] == "3" and genders["S1"] == "1"
    assert workspace.con.execute("SELECT source_row FROM import_duplicates").fetchall() == [(6,)]
    conflict = workspace.con.execute("SELECT message, raw FROM quarantine WHERE source_row = 5").fetchone()
    assert "第 2 行" in conflict[0]
    assert json.loads(conflict[1])["medfee_sumamt"] == "999.00"       # raw row kept as JSON
    invariant_holds(workspace)


def test_wrong_encoding_bytes_in_one_row(workspace, tmp_path: Path) -> None:
    data = (HEADER + "S1,H1,1,2026-03-01,2026-03-05,1,K35.8\n").encode() \
        + b"S2,H1,\xc4\xd0,2026-03-01,2026-03-05,1,K35.8\n" \
        + ("S3,H1,女,2026-03-01,2026-03-05,1,K35.8\n" * 5).encode()
    (result,) = import_settlements(workspace, [write(tmp_path / "mixed.csv", data)])
    assert result.encoding == "utf-8"
    assert quarantined(workspace) == {3: ("IMP-012", None)}
    assert (result.rows_read, result.loaded, result.quarantined, result.duplicates) == (7, 2, 1, 4)
    invariant_holds(workspace)


def test_conflict_with_workspace_is_never_overwritten(workspace, tmp_path: Path) -> None:
    first = write(tmp_path / "m1.csv", HEADER + "S1,H1,1,2026-03-01,2026-03-05,100,K35.8\n")
    second = write(tmp_path / "m2.csv", HEADER + "S1,H1,1,2026-03-01,2026-03-05,120,K35.8\n"
                   + "S2,H1,1,2026-03-01,2026-03-05,1,K35.8\n")
    import_settlements(workspace, [first])
    (result,) = import_settlements(workspace, [second])
    assert (result.loaded, result.quarantined) == (1, 1)
    assert workspace.con.execute("SELECT medfee_sumamt FROM cases WHERE setl_id = 'S1'").fetchone()[0] == 100
    message = workspace.con.execute("SELECT message FROM quarantine").fetchone()[0]
    assert "m1.csv" in message and "第 2 行" in message
    invariant_holds(workspace)


def test_reimport_changes_nothing(workspace, tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", HEADER + "S1,H1,1,2026-03-01,2026-03-05,100,K35.8\n"
                 + "S2,H1,1,2026-03-01,2026-03-05,abc,K35.8\n")
    import_settlements(workspace, [path])
    before = snapshot(workspace)
    (again,) = import_settlements(workspace, [path])
    assert again.skipped
    assert snapshot(workspace) == before
    # the same rows in another file (other spelling of the same values) are duplicates
    copy = write(tmp_path / "b.csv", HEADER + "S1,H1,男,2026/3/1,20260305,100.00,K35.8\n")
    (dup,) = import_settlements(workspace, [copy])
    assert (dup.loaded, dup.duplicates, dup.quarantined) == (0, 1, 0)
    invariant_holds(workspace)


@pytest.mark.parametrize("error", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_failure_mid_import_leaves_workspace_as_before(workspace, tmp_path: Path, monkeypatch, error) -> None:
    import_settlements(workspace, [write(tmp_path / "a.csv", HEADER + "S1,H1,1,2026-03-01,2026-03-05,1,K35.8\n")])
    before = snapshot(workspace)
    real = settlements.run_step

    def failing(con, name, **values):
        real(con, name, **values)
        if name == "write_lists":          # cases and lists already written in the transaction
            raise error

    monkeypatch.setattr(settlements, "run_step", failing)
    path = write(tmp_path / "b.csv", HEADER + "S2,H1,1,2026-03-01,2026-03-05,1,K35.8\nS3,H1,1,,,abc,\n")
    with pytest.raises(type(error)):
        import_settlements(workspace, [path])
    assert snapshot(workspace) == before
    monkeypatch.setattr(settlements, "run_step", real)
    (result,) = import_settlements(workspace, [path])        # and the file can still be imported
    assert (result.loaded, result.quarantined) == (1, 1)


@pytest.mark.parametrize("content, message", [
    (None, "文件不存在"),
    (b"", "文件为空"),
    (HEADER.encode(), "没有数据行"),
    (b"fixmedins_code,gend\nH1,1\n", "结算ID"),
    ("结算ID,医疗机构编码,性别\nS1,H1,男\n".encode("gbk"), "--encoding gbk"),
])
def test_user_errors_are_one_chinese_sentence(workspace, tmp_path: Path, content, message) -> None:
    path = tmp_path / "in.csv"
    if content is not None:
        path.write_bytes(content)
    before = snapshot(workspace)
    encoding = "utf-8" if message == "--encoding gbk" else "auto"
    with pytest.raises(UserError, match=message) as info:
        import_settlements(workspace, [path], encoding=encoding, allow_missing=True)
    assert "in.csv" in info.value.render()
    assert snapshot(workspace) == before


def test_hospital_registry(workspace, tmp_path: Path) -> None:
    path = write(tmp_path / "h.csv", "机构编码,机构名称,医院级别,机构类型,所属区县\n"
                 "H1,一院,三级甲等,综合,A区\nH2,二院,2,中医,B区\nH3,三院,未定级,综合,B区\n"
                 "H1,一院,三甲,综合,A区\nH1,一院,二级,综合,A区\n,无名,1,,\n")
    result = import_hospitals(workspace, path)
    assert (result.rows_read, result.loaded, result.quarantined, result.duplicates) == (6, 2, 3, 1)
    assert workspace.con.execute("SELECT fixmedins_code, hosp_lv FROM hospitals ORDER BY 1").fetchall() == [
        ("H1", "3"), ("H2", "2")]
    assert quarantined(workspace) == {4: ("IMP-103", "hosp_lv"), 6: ("IMP-110", "fixmedins_code"),
                                      7: ("IMP-101", "fixmedins_code")}
    before = snapshot(workspace)
    assert import_hospitals(workspace, path).skipped
    assert snapshot(workspace) == before
    invariant_holds(workspace)


def test_quarantine_export_and_cli(workspace, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from dipdrg.cases.cli import app

    path = write(tmp_path / "a.csv", HEADER + "S1,H1,1,2026-03-01,2026-03-05,abc,K35.8\n")
    workspace.close()
    runner = CliRunner()
    ws_dir = str(tmp_path / "ws")
    assert runner.invoke(app, ["settlements", str(path), "-w", ws_dir]).exit_code == 0
    out = tmp_path / "q.csv"
    assert runner.invoke(app, ["quarantine", "-w", ws_dir, "-o", str(out)]).exit_code == 0
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 2 and "IMP-004" in lines[1]
    status = runner.invoke(app, ["status", "-w", ws_dir])
    assert status.exit_code == 0 and "结算清单 0 份" in status.output


money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(st.integers(1, 6), money, st.booleans()), min_size=1, max_size=12))
def test_accounting_invariant_holds_for_any_mix(tmp_path_factory, rows) -> None:
    """Random ids (with repeats), amounts and corrupted cells: counts always add up."""
    from dipdrg.workspace import init_workspace

    base = tmp_path_factory.mktemp("h")
    lines = [HEADER]
    for setl, amount, corrupt in rows:
        cell = f"{amount:,}" if not corrupt else "n/a"
        lines.append(f'S{setl},H1,1,2026-03-01,2026-03-05,"{cell}",K35.8\n')
    with init_workspace(base / "ws") as ws:
        (result,) = import_settlements(ws, [write(base / "r.csv", "".join(lines))])
        assert result.rows_read == len(rows)
        invariant_holds(ws)
        first: dict[int, object] = {}
        for setl, amount, corrupt in rows:
            if not corrupt:
                first.setdefault(setl, amount)
        same = sum(1 for s, a, c in rows if not c and a == first[s]) - len(first)
        assert (result.loaded, result.duplicates) == (len(first), same)
        assert result.quarantined == len(rows) - len(first) - same
        for setl, amount in first.items():
            stored = ws.con.execute("SELECT medfee_sumamt FROM cases WHERE setl_id = ?", [f"S{setl}"]).fetchone()[0]
            assert stored == amount
