"""The CHS-DRG 1.1 pack imported from ../shared/reference agrees with the oracle on every case.

24 officially labelled cases and 2,000 OpenDRG-labelled cases: (MDC, ADRG, DRG) and status
must match through the workspace SQL grouper, the file mode (reference layout and
settlement-list columns) and the single-case explain path.
"""

from __future__ import annotations

import csv

import pyarrow as pa
import pytest

from dipdrg.drg.batch import group_file, group_workspace
from dipdrg.drg.case import case_from_layout
from dipdrg.drg.explain import explain_case
from dipdrg.drg.importer import import_pack
from dipdrg.drg.pack import load_pack

INPUTS = ("gender", "age", "age_days", "birth_weight", "principal_dx", "secondary_dx",
          "principal_proc", "other_procs")


@pytest.fixture(scope="module")
def pack(reference, tmp_path_factory):
    out = tmp_path_factory.mktemp("drg") / "chs-drg-1.1"
    return load_pack(import_pack(reference / "chs-drg-1.1", out, version="1.1"))


@pytest.fixture(scope="module")
def labelled(reference) -> list[dict]:
    """Every reference case with its expected (status, mdc, adrg, drg)."""
    folder = reference / "cases" / "chs-drg-1.1"
    status = {r["case_id"]: r["status"] for r in csv.DictReader(
        open(folder / "public_2000_status.csv", encoding="utf-8"))}
    rows = []
    for name in ("labelled_24.csv", "public_2000.csv"):
        for row in csv.DictReader(open(folder / name, encoding="utf-8")):
            # the 24 official cases are all grouped; the 2,000 have their status file
            row["expected"] = (status.get(row["case_id"], "SUCCESS"), row["expected_mdc"],
                               row["expected_adrg"], row["expected_drg"])
            rows.append(row)
    assert len(rows) == 2024
    return rows


def test_import_translates_the_source_layout(pack):
    assert (pack.id, pack.version) == ("chs-drg", "1.1")
    assert pack.switches == {"qy_enabled": False, "fall_through_after_mdc": True,
                             "code_mapping": False}
    counts = {name: pack.tables[name].num_rows for name in ("mdc", "adrg", "drg")}
    assert counts == {"mdc": 26, "adrg": 376, "drg": 628}
    mdc = {r["mdc"]: r for r in pack.rows("mdc")}
    assert mdc["MDCA"]["entry_shape"] == "pproc_in_or_list" and mdc["MDCA"]["qy_adrg"] == ""
    assert (mdc["MDCP"]["age_years_min"], mdc["MDCP"]["age_years_max"]) == ("0", "0")
    assert mdc["MDCZ"]["min_regions"] == "2"
    assert (mdc["MDCM"]["gender"], mdc["MDCN"]["gender"]) == ("1", "2")
    assert (mdc["MDCB"]["qy_adrg"], mdc["MDCB"]["qy_position"]) == ("BQY", "11")


def test_explain_path_matches_oracle(pack, labelled):
    wrong = []
    for row in labelled:
        e = explain_case(pack, case_from_layout(**{k: row[k] for k in INPUTS}))
        if (e.status, e.mdc, e.adrg, e.drg) != row["expected"]:
            wrong.append((row["case_id"], row["expected"], (e.status, e.mdc, e.adrg, e.drg)))
    assert wrong == []


def test_file_mode_matches_oracle_in_input_order(pack, reference, labelled, tmp_path):
    folder = reference / "cases" / "chs-drg-1.1"
    got = []
    for name in ("labelled_24.csv", "public_2000.csv"):
        summary = group_file(folder / name, pack, tmp_path / name)
        got += list(csv.DictReader(open(tmp_path / name, encoding="utf-8")))
        assert summary.total == (24 if name.startswith("labelled") else 2000)
    assert list(got[0].keys()) == ["case_id", "mdc", "adrg", "drg", "status", "reason"]
    assert [r["case_id"] for r in got] == [r["case_id"] for r in labelled]
    wrong = [(r["case_id"], e["expected"]) for r, e in zip(got, labelled)
             if (r["status"], r["mdc"], r["adrg"], r["drg"]) != e["expected"]]
    assert wrong == []
    # every case that was not grouped says why, with the workspace's reason codes
    assert all(r["reason"] for r in got if r["status"] != "SUCCESS")
    assert {r["reason"] for r in got if r["status"] == "FAIL"} <= {"no_mdc", "no_adrg"}


def test_file_mode_reads_settlement_list_columns(pack, labelled, tmp_path):
    """Chinese labels, numbered other-diagnosis columns and one procedure column."""
    rows = labelled[:400]
    width = max(len(r["secondary_dx"].split("|")) for r in rows)
    source = tmp_path / "清单.csv"
    with open(source, "w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["结算ID", "性别", "年龄", "不足1周岁年龄", "新生儿出生体重", "主要诊断编码"]
                        + [f"其他诊断编码{i}" for i in range(1, width + 1)] + ["手术操作编码"])
        for r in rows:
            others = r["secondary_dx"].split("|") if r["secondary_dx"] else []
            procs = "|".join(p for p in (r["principal_proc"], r["other_procs"]) if p)
            writer.writerow([r["case_id"], r["gender"], r["age"], r["age_days"], r["birth_weight"],
                             r["principal_dx"]] + others + [""] * (width - len(others)) + [procs])
    group_file(source, pack, tmp_path / "out.csv")
    got = list(csv.DictReader(open(tmp_path / "out.csv", encoding="utf-8")))
    assert [(g["case_id"], g["status"], g["mdc"], g["adrg"], g["drg"]) for g in got] == [
        (r["case_id"], *r["expected"]) for r in rows]


def _load_workspace(ws, labelled: list[dict]) -> None:
    """Put the reference cases into the workspace tables; half the codes only as raw text."""
    cases, dx, proc = [], [], []
    for n, r in enumerate(labelled):
        setl_id = f"{r['case_id']}#{n}"
        cases.append((setl_id, r["gender"] or None, r["age"] or None, r["age_days"] or None,
                      r["birth_weight"] or None))
        c = case_from_layout(**{k: r[k] for k in INPUTS})
        for seq, code in enumerate(c.diagnoses):
            dx.append((setl_id, seq, code, code if n % 2 else None))
        for seq, code in enumerate(c.procedures):
            proc.append((setl_id, seq, code, None if n % 2 else code))
    ws.con.register("t_cases", pa.table(list(zip(*cases)), names=["s", "g", "a", "d", "w"]))
    ws.con.register("t_dx", pa.table(list(zip(*dx)), names=["s", "q", "raw", "code"]))
    ws.con.register("t_proc", pa.table(list(zip(*proc)), names=["s", "q", "raw", "code"]))
    ws.con.execute(
        "INSERT INTO cases (setl_id, fixmedins_code, gend, age, nwb_age, nwb_bir_wt, import_id,"
        " content_hash) SELECT s, 'H1', g, CAST(a AS INTEGER), CAST(d AS INTEGER),"
        " CAST(w AS INTEGER), 'test', 'x' FROM t_cases")
    ws.con.execute("INSERT INTO case_diagnoses (setl_id, seq, diag_code_raw, diag_code,"
                   " maindiag_flag) SELECT s, q, raw, code, q = 0 FROM t_dx")
    ws.con.execute("INSERT INTO case_procedures (setl_id, seq, oprn_code_raw, oprn_code,"
                   " main_oprn_flag) SELECT s, q, raw, code, q = 0 FROM t_proc")


def test_workspace_sql_matches_oracle_and_records_the_run(pack, labelled, workspace):
    _load_workspace(workspace, labelled)
    summary = group_workspace(workspace, pack)
    assert summary.total == 2024
    rows = workspace.con.execute(
        "SELECT setl_id, status, mdc, adrg, drg, reason, pack_id, pack_version, pack_sha256, run_id"
        " FROM drg_case_groups").fetchall()
    got = {r[0]: r[1:5] for r in rows}
    wrong = [(r["case_id"], r["expected"], got.get(f"{r['case_id']}#{n}"))
             for n, r in enumerate(labelled) if got.get(f"{r['case_id']}#{n}") != r["expected"]]
    assert wrong == []
    assert {r[6:9] for r in rows} == {("chs-drg", "1.1", pack.sha256)}
    assert {r[9] for r in rows} == {summary.run_id}
    # every ungrouped case has a reason; CHECK_FAILED reasons name the check
    reasons = {(r[1], r[5]) for r in rows if r[1] != "SUCCESS"}
    assert {s for s, _ in reasons} == {"CHECK_FAILED", "FAIL"}
    assert {why for s, why in reasons if s == "FAIL"} <= {"no_mdc", "no_adrg"}
    assert {why for s, why in reasons if s == "CHECK_FAILED"} <= {"gender", "age", "age_days", "birth_weight"}
    run = workspace.con.execute("SELECT kind, inputs FROM runs WHERE run_id = ?",
                                [summary.run_id]).fetchone()
    assert run[0] == "drg-group" and pack.sha256 in run[1]
    current = workspace.con.execute("SELECT COUNT(*) FROM drg_current_groups").fetchone()[0]
    assert current == 2024


def test_workspace_reasons_agree_with_explain(pack, labelled, workspace):
    _load_workspace(workspace, labelled)
    group_workspace(workspace, pack)
    got = dict(workspace.con.execute("SELECT setl_id, reason FROM drg_case_groups").fetchall())
    for n, r in enumerate(labelled):
        e = explain_case(pack, case_from_layout(**{k: r[k] for k in INPUTS}))
        assert got[f"{r['case_id']}#{n}"] == e.reason, r["case_id"]


def test_failed_run_leaves_nothing(pack, labelled, workspace, monkeypatch):
    _load_workspace(workspace, labelled[:50])
    import dipdrg.drg.batch as batch

    def broken(con, pack):
        raise RuntimeError("步骤失败")

    monkeypatch.setattr(batch, "run_steps", broken)
    with pytest.raises(RuntimeError):
        group_workspace(workspace, pack)
    assert workspace.con.execute("SELECT COUNT(*) FROM drg_case_groups").fetchone()[0] == 0
    assert workspace.con.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 0
