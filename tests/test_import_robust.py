"""Broken CSV lines never stop an import; setl_id stays unique without a PRIMARY KEY."""

from __future__ import annotations

import csv
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dipdrg.cases.settlements import import_settlements
from dipdrg.workspace import init_workspace

HEADER = '"setl_id","fixmedins_code","gend","adm_time","dscg_time","medfee_sumamt","main_diag_code"\n'


def row(setl_id: str, amount: str = "10.00") -> str:
    return f'"{setl_id}","H1","1",2026-03-01,2026-03-05,{amount},"K35.8"\n'


def accounts(ws) -> list[tuple[int, int, int, int]]:
    return ws.con.execute(
        "SELECT rows_read, loaded, quarantined, duplicates FROM imports ORDER BY import_id").fetchall()


def test_truncated_line_with_open_quote_keeps_the_next_line(workspace, tmp_path: Path) -> None:
    """A line cut inside a quoted field opens a quote that swallows the next line in CSV
    terms; that next line is still a row of its own (loaded, with its own line number)."""
    text = (HEADER + row("S1")                                # line 2
            + '"S2","H1","1",2026-03-01,2026-03-05,10.00,"K3\n'  # line 3: cut inside "K35.8"
            + row("S3")                                       # line 4: swallowed by DuckDB
            + row("S4")                                       # line 5
            + '"S5","H1","1",2026-03-01\n'                    # line 6: too few fields
            + row("S6"))                                      # line 7
    path = tmp_path / "cut.csv"
    path.write_text(text, encoding="utf-8")
    (result,) = import_settlements(workspace, [path])
    assert (result.rows_read, result.loaded, result.quarantined, result.duplicates) == (6, 4, 2, 0)
    loaded = dict(workspace.con.execute("SELECT setl_id, source_row FROM cases").fetchall())
    assert loaded == {"S1": 2, "S3": 4, "S4": 5, "S6": 7}
    rules = workspace.con.execute("SELECT source_row, rule_id FROM quarantine ORDER BY 1").fetchall()
    assert rules == [(3, "IMP-011"), (6, "IMP-011")]


def test_gbk_file_with_undecodable_bytes_and_a_cut_line(workspace, tmp_path: Path) -> None:
    """A GBK export with one undecodable row and one cut row: both quarantined, the rest load
    with their own line numbers (the file is not refused for a few bad bytes)."""
    def gbk(text: str) -> bytes:
        return text.encode("gbk")

    data = (gbk(HEADER + row("S1").replace('"1"', '"男"'))        # line 2
            + b'"S2","H1","\x81\x20",2026-03-01,2026-03-05,10,"K35.8"\n'   # line 3: bad bytes
            + gbk('"S3","H1","女",2026-03-01,2026-03-05,10,"K35\n')         # line 4: cut, quote open
            + gbk(row("S4").replace('"1"', '"女"'))                          # line 5
            + gbk(row("S5")))                                                # line 6
    path = tmp_path / "gbk.csv"
    path.write_bytes(data)
    (result,) = import_settlements(workspace, [path])
    assert result.encoding == "gbk"
    assert (result.rows_read, result.loaded, result.quarantined) == (5, 3, 2)
    assert workspace.con.execute("SELECT source_row, rule_id FROM quarantine ORDER BY 1").fetchall() == [
        (3, "IMP-012"), (4, "IMP-011")]
    assert workspace.con.execute("SELECT setl_id, source_row, gend FROM cases ORDER BY 2").fetchall() == [
        ("S1", 2, "1"), ("S4", 5, "2"), ("S5", 6, "1")]


def test_empty_first_procedure_slot_means_no_principal(workspace, tmp_path: Path) -> None:
    path = tmp_path / "op.csv"
    path.write_text("setl_id,fixmedins_code,gend,adm_time,dscg_time,medfee_sumamt,oprn_codes\n"
                    "S1,H1,1,2026-03-01,2026-03-05,10,|47.0100||99.2500\n"
                    "S2,H1,1,2026-03-01,2026-03-05,10,\"36.0700, 88.7200\"\n", encoding="utf-8")
    import_settlements(workspace, [path])
    procedures = workspace.con.execute(
        "SELECT setl_id, seq, oprn_code_raw, main_oprn_flag FROM case_procedures ORDER BY 1, 2").fetchall()
    assert procedures == [("S1", 1, "47.0100", False), ("S1", 2, "99.2500", False),
                          ("S2", 0, "36.0700", True), ("S2", 1, "88.7200", False)]


def _file_lines(path: Path) -> list[str]:
    """The physical lines of a part, decoded the way the importer decodes GBK files."""
    return path.read_bytes().decode("gb18030", errors="replace").split("\n")


def _first_field(line: str) -> str:
    return next(csv.reader([line]))[0] if line else ""


def test_messy_region_every_row_accounted(tmp_path: Path) -> None:
    """Seeds 0 and 1 both cut lines in the GBK part (seed 0 inside a quoted field)."""
    from dipdrg.synth.region import generate_region

    for seed in (0, 1):
        region = tmp_path / f"region{seed}"
        generate_region(region, seed, cases_per_year=1000, years=1, hospitals=8, messy=True)
        with (region / "labels.csv").open(encoding="utf-8") as handle:
            broken = {r["id"] for r in csv.DictReader(handle) if r["kind"] == "broken_row"}
        assert broken
        parts = sorted((region / "settlements").iterdir())
        with init_workspace(tmp_path / f"ws{seed}") as ws:
            results = import_settlements(ws, parts)
            data_lines = 0
            quarantined_ids: set[str] = set()
            for result in results:
                assert result.rows_read == result.loaded + result.quarantined + result.duplicates
                if result.format != "csv":
                    continue
                lines = _file_lines(result.file)
                data_lines += sum(1 for line in lines[1:] if line.strip())
                for source_row, setl_id in ws.con.execute(
                        "SELECT source_row, setl_id FROM quarantine WHERE source_file = ?",
                        [str(result.file)]).fetchall():
                    quarantined_ids.add(setl_id or _first_field(lines[source_row - 1]))
                # every loaded case points at its own line of the file
                for setl_id, source_row in ws.con.execute(
                        "SELECT setl_id, source_row FROM cases WHERE import_id = ?",
                        [result.import_id]).fetchall():
                    assert _first_field(lines[source_row - 1]) == setl_id
            assert data_lines == sum(r.rows_read for r in results if r.format == "csv")
            assert quarantined_ids == broken
            rules = dict(ws.con.execute("SELECT rule_id, count(*) FROM quarantine GROUP BY 1").fetchall())
            assert set(rules) <= {"IMP-004", "IMP-011"} and rules.get("IMP-004", 0) >= 1


ids = st.sampled_from(["S1", "S2", "S3"])
amounts = st.sampled_from(["10.00", "20.00"])


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.lists(st.lists(st.tuples(ids, amounts), min_size=1, max_size=5), min_size=1, max_size=3),
       one_run=st.booleans())
def test_no_setl_id_is_ever_loaded_twice(tmp_path_factory, files, one_run) -> None:
    """Repeated ids within a file, across files of one run and across runs: one row each.

    The cases/list tables have no PRIMARY KEY; the importer's duplicate and conflict rules
    are what keeps setl_id (and setl_id + seq) unique.
    """
    base = tmp_path_factory.mktemp("u")
    paths = []
    for n, rows in enumerate(files):
        path = base / f"f{n}.csv"
        # a column the importer ignores makes every file distinct (an identical file is skipped)
        text = HEADER.rstrip("\n") + ',"batch"\n' + "".join(row(s, a).rstrip("\n") + f",{n}\n" for s, a in rows)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    with init_workspace(base / "ws") as ws:
        if one_run:
            import_settlements(ws, paths)
        else:
            for path in paths:
                import_settlements(ws, [path])
        con = ws.con
        assert con.execute("SELECT count(*) - count(DISTINCT setl_id) FROM cases").fetchone()[0] == 0
        for table in ("case_diagnoses", "case_procedures"):
            assert con.execute(
                f"SELECT count(*) FROM (SELECT setl_id, seq FROM {table} GROUP BY 1, 2 HAVING count(*) > 1)"
            ).fetchone()[0] == 0
        first: dict[str, str] = {}
        for rows in files:
            for s, a in rows:
                first.setdefault(s, a)
        stored = {s: str(a) for s, a in con.execute("SELECT setl_id, medfee_sumamt FROM cases").fetchall()}
        assert stored == first                     # the first occurrence wins, never overwritten
        total = sum(len(r) for r in files)
        assert sum(r[0] for r in accounts(ws)) == total


def test_line_endings_crlf_and_cr(workspace, tmp_path: Path) -> None:
    """Windows (CRLF) and old Mac (CR) exports read like LF files, line numbers included."""
    for n, newline in enumerate(("\r\n", "\r")):
        text = (HEADER + row(f"A{n}") + '"X","H1"\n' + row(f"B{n}")).replace("\n", newline)
        path = tmp_path / f"eol{n}.csv"
        path.write_text(text, encoding="utf-8", newline="")
        (result,) = import_settlements(workspace, [path])
        assert (result.rows_read, result.loaded, result.quarantined) == (3, 2, 1)
    rows = workspace.con.execute("SELECT setl_id, source_row FROM cases ORDER BY 1").fetchall()
    assert rows == [("A0", 2), ("A1", 2), ("B0", 4), ("B1", 4)]
    assert workspace.con.execute("SELECT DISTINCT source_row, rule_id FROM quarantine").fetchall() == [
        (3, "IMP-011")]
