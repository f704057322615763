from pathlib import Path

import pytest

from dipdrg.errors import UserError
from dipdrg.workspace import SCHEMA_VERSION, init_workspace, open_workspace


def test_init_creates_schema(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "w")
    assert ws.schema_version() == SCHEMA_VERSION
    tables = {r[0] for r in ws.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {"cases", "case_diagnoses", "case_procedures", "quarantine", "runs", "hospitals"} <= tables
    ws.close()


def test_open_missing_workspace_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="dipdrg init"):
        open_workspace(tmp_path / "nothing")


def test_newer_workspace_is_refused(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "w")
    ws.con.execute("UPDATE dipdrg_meta SET value = '999' WHERE key = 'schema_version'")
    ws.close()
    with pytest.raises(UserError, match="升级"):
        open_workspace(tmp_path / "w")


def test_older_workspace_is_migrated(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "w")
    # simulate a workspace created before the last migration existed
    ws.con.execute("UPDATE dipdrg_meta SET value = '0' WHERE key = 'schema_version'")
    for (name,) in ws.con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall():
        ws.con.execute(f'DROP VIEW "{name}"')
    for (name,) in ws.con.execute("SELECT table_name FROM duckdb_tables() WHERE table_name <> 'dipdrg_meta'").fetchall():
        ws.con.execute(f'DROP TABLE "{name}"')
    ws.close()
    ws = open_workspace(tmp_path / "w")
    assert ws.schema_version() == SCHEMA_VERSION
    assert ws.con.execute("SELECT count(*) FROM cases").fetchone()[0] == 0
    ws.close()


def test_failed_run_leaves_no_trace(workspace) -> None:
    with pytest.raises(RuntimeError):
        with workspace.run("test", {"x": "abc"}) as run_id:
            workspace.con.execute(
                "INSERT INTO hospitals VALUES ('H1', '甲医院', '3', '综合', '城区', ?)", [run_id]
            )
            raise RuntimeError("boom")
    assert workspace.con.execute("SELECT count(*) FROM hospitals").fetchone()[0] == 0
    assert workspace.con.execute("SELECT count(*) FROM runs").fetchone()[0] == 0


def test_cases_fingerprint_follows_the_imported_case_set(workspace, tmp_path: Path) -> None:
    from dipdrg.cases.settlements import import_settlements
    from dipdrg.workspace.fingerprint import cases_fingerprint

    empty = cases_fingerprint(workspace.con)
    assert cases_fingerprint(workspace.con) == empty           # stable on the same data
    source = tmp_path / "s.csv"
    source.write_text(
        "setl_id,fixmedins_code,gend,adm_time,dscg_time,medfee_sumamt,main_diag_code\n"
        "S1,H1,1,2026-03-01,2026-03-05,1000.00,K35.800\n", encoding="utf-8")
    import_settlements(workspace, [source])
    loaded = cases_fingerprint(workspace.con)
    assert loaded != empty
    import_settlements(workspace, [source])                    # re-import changes nothing
    assert cases_fingerprint(workspace.con) == loaded
