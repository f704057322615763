"""Grouping against hand-made local catalogs: every tie rule, comprehensive groups, reasons,
the workspace run, and agreement of the SQL path with the single-case path."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dipdrg.dip.explain import group_case
from dipdrg.dip.group.filemode import group_records
from dipdrg.dip.group.workspace import group_workspace
from dipdrg.dip.pack import load_pack
from dipdrg.dip.pack.write_local import write_local_pack

ATTR = {"47.0100": "手术", "39.5000": "介入治疗", "96.0400": "治疗性操作", "45.2300": "诊断性操作"}

ROWS = [
    # K35.8 acute appendicitis: pair, pair + one related, pair + two related, conservative
    dict(group_code="K1", group_name="阑尾切除", group_type="core", dx_key="K35.8", procedures="47.0100/47.0901", score="300"),
    dict(group_code="K2", group_name="阑尾切除+引流", group_type="core", dx_key="K35.8", procedures="47.0100+54.9100", score="350"),
    dict(group_code="K3", group_name="阑尾切除+引流+粘连松解", group_type="core", dx_key="K35.8", procedures="47.0100+54.9100+54.5900", score="420"),
    dict(group_code="K4", group_name="阑尾炎保守", group_type="core", dx_key="K35.8", procedures="", score="120", primary_care="1"),
    # 3-character row with the same procedure as K1: the 4-character row must win
    dict(group_code="K0", group_name="阑尾炎类目切除", group_type="core", dx_key="K35", procedures="47.0100", score="999"),
    # 3-character rows for other codes of K35
    dict(group_code="K9", group_name="K35 保守", group_type="core", dx_key="K35", procedures="", score="110"),
    # ties: same dx, same number of related procedures, different related -> higher score wins
    dict(group_code="I2", group_name="支架+A", group_type="core", dx_key="I21.0", procedures="36.0700+88.5500", score="500"),
    dict(group_code="I1", group_name="支架+B", group_type="core", dx_key="I21.0", procedures="36.0700+00.6600", score="520"),
    # equal score -> lower group code wins
    dict(group_code="I4", group_name="支架+C", group_type="core", dx_key="I21.0", procedures="36.0700+00.4000", score="520"),
    dict(group_code="I0", group_name="支架", group_type="core", dx_key="I21.0", procedures="36.0700", score="450"),
    # comprehensive groups of K35 and K80
    dict(group_code="ZK35A", group_name="K35 相关手术", group_type="comprehensive", dx_key="K35", treatment="相关手术", score="200"),
    dict(group_code="ZK35B", group_name="K35 治疗性操作", group_type="comprehensive", dx_key="K35", treatment="治疗性操作", score="150"),
    dict(group_code="ZK35C", group_name="K35 诊断性操作", group_type="comprehensive", dx_key="K35", treatment="诊断性操作", score="90"),
    dict(group_code="ZK80D", group_name="K80 内科诊疗", group_type="comprehensive", dx_key="K80", treatment="内科诊疗", score="80", primary_care="1"),
]


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    out = tmp_path_factory.mktemp("local") / "pack"
    write_local_pack(out, ROWS, pack_id="test-city", version="2026.1", region="示范市")
    return load_pack(out)


def both(catalog, case: dict) -> tuple[dict, object]:
    """The SQL result and the explanation for one case; they must agree."""
    sql = group_records(catalog, [{"setl_id": "x", **case}], ATTR)[0]
    exp = group_case(catalog, case, ATTR)
    assert (exp.group_code, exp.layer, exp.status, exp.reason, exp.primary_care, exp.treatment) == (
        sql["group_code"], sql["layer"], sql["status"], sql["reason"], sql["primary_care"], sql["treatment"])
    return sql, exp


def test_pair_without_related(catalog):
    sql, exp = both(catalog, {"pdx": "K35.800x001", "procedures": ["47.0100"]})
    assert sql["group_code"] == "K1" and sql["layer"] == "core" and sql["treatment"] == "手术操作"
    assert exp.matched_codes == ["K35.8", "47.0100"]


def test_alternative_principal_procedure(catalog):
    assert both(catalog, {"pdx": "K35.800", "procedures": ["47.0901"]})[0]["group_code"] == "K1"


def test_most_matched_related_procedures(catalog):
    assert both(catalog, {"pdx": "K35.800", "procedures": ["47.0100", "54.9100", "54.5900"]})[0]["group_code"] == "K3"


def test_partial_related_match_takes_the_fully_matched_row(catalog):
    # 54.5900 without 54.9100: K3 does not fully match, K2 lacks 54.9100 -> the pair K1
    assert both(catalog, {"pdx": "K35.800", "procedures": ["47.0100", "54.5900"]})[0]["group_code"] == "K1"
    # 54.9100 only: K2 (one related) beats K1
    assert both(catalog, {"pdx": "K35.800", "procedures": ["47.0100", "99.0000", "54.9100"]})[0]["group_code"] == "K2"


def test_related_procedure_must_not_be_principal_first_term(catalog):
    # principal procedure 54.9100 is no core pair -> comprehensive (attribute unknown -> reason)
    sql, _ = both(catalog, {"pdx": "K35.800", "procedures": ["54.9100", "47.0100"]})
    assert sql["status"] == "ungrouped" and sql["reason"] == "PROC_ATTR_UNKNOWN"


def test_four_character_row_beats_three_character_row(catalog):
    sql, _ = both(catalog, {"pdx": "K35.800", "procedures": ["47.0100"]})
    assert sql["group_code"] == "K1"  # K0 (K35, score 999) loses despite its higher score
    # another K35 subcategory has no 4-character row: the 3-character row applies
    assert both(catalog, {"pdx": "K35.300", "procedures": ["47.0100"]})[0]["group_code"] == "K0"


def test_conservative_group_and_primary_care_flag(catalog):
    sql, exp = both(catalog, {"pdx": "K35.800"})
    assert (sql["group_code"], sql["treatment"], sql["primary_care"]) == ("K4", "保守治疗", True)
    assert both(catalog, {"pdx": "K35.200"})[0]["group_code"] == "K9"


def test_tie_on_related_count_higher_score_then_code(catalog):
    # both I2 (500) and I1 (520) match with one related procedure -> I1
    assert both(catalog, {"pdx": "I21.000", "procedures": ["36.0700", "88.5500", "00.6600"]})[0]["group_code"] == "I1"
    # I1 and I4 both score 520 -> lower code I1
    assert both(catalog, {"pdx": "I21.000", "procedures": ["36.0700", "00.4000", "00.6600"]})[0]["group_code"] == "I1"
    assert both(catalog, {"pdx": "I21.000", "procedures": ["36.0700", "00.4000"]})[0]["group_code"] == "I4"


@pytest.mark.parametrize(("proc", "group", "treatment"), [
    ("39.5000", "ZK35A", "相关手术"),   # 介入治疗 counts as 相关手术
    ("96.0400", "ZK35B", "治疗性操作"),
    ("45.2300", "ZK35C", "诊断性操作"),
])
def test_comprehensive_by_attribute_of_principal_procedure(catalog, proc, group, treatment):
    sql, _ = both(catalog, {"pdx": "K35.800", "procedures": [proc]})
    assert (sql["group_code"], sql["layer"], sql["treatment"]) == (group, "comprehensive", treatment)


def test_comprehensive_medical_without_procedure(catalog):
    sql, _ = both(catalog, {"pdx": "K80.200"})
    assert (sql["group_code"], sql["treatment"], sql["primary_care"]) == ("ZK80D", "内科诊疗", True)


def test_ungrouped_reasons(catalog):
    assert both(catalog, {"pdx": "K80.200", "procedures": ["47.0100"]})[0]["reason"] == "NO_COMPREHENSIVE"
    assert both(catalog, {"pdx": "K35.800", "procedures": ["12.3456"]})[0]["reason"] == "PROC_ATTR_UNKNOWN"
    sql, exp = both(catalog, {"pdx": ""})
    assert (sql["reason"], sql["layer"]) == ("NO_PDX", "ungrouped")
    assert "无主要诊断" in exp.reason_text


def test_messy_codes_group_like_clean_ones(catalog):
    clean = both(catalog, {"pdx": "K35.800x001", "procedures": ["47.0100", "54.9100"]})[0]
    messy = both(catalog, {"pdx": " k35.800X001 ", "procedures": [" 47.0100", "54.9100 "]})[0]
    messier = both(catalog, {"pdx": "Ｋ３５．８００ｘ００１", "procedures": ["47。0100", "54.91"]})[0]
    assert clean["group_code"] == messy["group_code"] == messier["group_code"] == "K2"


def test_codes_that_are_not_codes_stop_grouping(catalog):
    assert both(catalog, {"pdx": "阑尾炎"})[0]["reason"] == "PDX_INVALID"
    assert both(catalog, {"pdx": "K35.800", "procedures": ["切除术", "47.0100"]})[0]["reason"] == "PROC_INVALID"


CODES = st.sampled_from(["K35.800", "K35.800x001", "K35.300", "K35.x00", "I21.000", "K80.200", "R31.x00", "A00.000"])
PROCS = st.sampled_from(["47.0100", "47.0901", "54.9100", "54.5900", "36.0700", "88.5500", "00.6600",
                         "00.4000", "39.5000", "96.0400", "45.2300", "99.9999"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cases=st.lists(st.tuples(CODES, st.lists(CODES, max_size=2), st.lists(PROCS, max_size=4)), min_size=1, max_size=15))
def test_sql_and_single_case_paths_agree(catalog, cases):
    records = [{"setl_id": f"c{i}", "pdx": p, "sdx": s, "procedures": x} for i, (p, s, x) in enumerate(cases)]
    sql = group_records(catalog, records, ATTR)
    for record, row in zip(records, sql):
        exp = group_case(catalog, record, ATTR)
        assert (exp.group_code, exp.layer, exp.status, exp.reason, exp.primary_care, exp.treatment) == (
            row["group_code"], row["layer"], row["status"], row["reason"], row["primary_care"], row["treatment"])


# -- workspace ------------------------------------------------------------------------------
def _insert_case(ws, setl_id: str, hospital: str, dx: list[str | None], procs: list[str | None]) -> None:
    ws.con.execute("INSERT INTO cases (setl_id, fixmedins_code, import_id, content_hash) VALUES (?, ?, 'imp1', 'h')",
                   [setl_id, hospital])
    for seq, code in enumerate(dx):
        ws.con.execute("INSERT INTO case_diagnoses VALUES (?, ?, ?, ?, NULL, ?, NULL)",
                       [setl_id, seq, code or "坏码", code, seq == 0])
    for seq, code in enumerate(procs):
        ws.con.execute("INSERT INTO case_procedures VALUES (?, ?, ?, ?, NULL, NULL, ?, NULL, NULL)",
                       [setl_id, seq, code or "坏码", code, seq == 0])


def test_workspace_run_stores_results_and_grouping_rate(workspace, catalog):
    ws = workspace
    ws.con.execute("INSERT INTO imports VALUES ('imp1', 'settlement', 'a.csv', 'abc', 'csv', current_timestamp, 5, 5, 0, 0)")
    for code, cat in ATTR.items():
        ws.con.execute("INSERT INTO codes VALUES ('procedure', ?, NULL, ?, 'icd9')", [code, cat])
    _insert_case(ws, "s1", "H1", ["K35.800x001"], ["47.0100"])          # K1
    _insert_case(ws, "s2", "H1", ["K35.800"], [])                       # K4 基层
    _insert_case(ws, "s3", "H2", ["K35.800"], ["96.0400"])              # comprehensive ZK35B
    _insert_case(ws, "s4", "H2", [None], [])                            # diag code not normalised
    _insert_case(ws, "s5", "H2", ["K35.800"], [None])                   # principal procedure not normalised
    run = group_workspace(ws, catalog)
    rows = dict((r[0], r[1:]) for r in ws.con.execute(
        "SELECT setl_id, group_code, status, reason, primary_care, pack_id, pack_version, pack_sha256"
        " FROM dip_case_groups WHERE run_id = ?", [run.run_id]).fetchall())
    assert rows["s1"][:2] == ("K1", "grouped")
    assert rows["s2"][0] == "K4" and rows["s2"][3] is True
    assert rows["s3"][0] == "ZK35B"
    assert rows["s4"][1:3] == ("ungrouped", "PDX_INVALID")
    assert rows["s5"][1:3] == ("ungrouped", "PROC_INVALID")
    assert {r[4:] for r in rows.values()} == {("test-city", "2026.1", catalog.sha256)}
    overall = run.overall
    assert (overall.cases, overall.grouped, overall.core, overall.comprehensive, overall.primary_care) == (5, 3, 2, 1, 1)
    assert overall.rate == Decimal("0.6000")
    by_hospital = {r.fixmedins_code: r for r in run.rates if r.fixmedins_code}
    assert by_hospital["H1"].rate == Decimal("1.0000")
    assert by_hospital["H2"].rate == Decimal("0.3333")
    assert "入组率 60.00%" in run.summary_zh()
    recorded = ws.con.execute("SELECT kind, inputs FROM runs WHERE run_id = ?", [run.run_id]).fetchone()
    assert recorded[0] == "dip-group" and catalog.sha256 in recorded[1]
    # no step table is left behind on the workspace connection
    assert not ws.con.execute("SELECT table_name FROM duckdb_tables() WHERE temporary").fetchall()


def test_workspace_failure_leaves_nothing(workspace, catalog, monkeypatch):
    ws = workspace
    _insert_case(ws, "s1", "H1", ["K35.800"], [])
    import dipdrg.dip.group.workspace as module

    def broken(con, cat, on_step=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(module, "run_steps", broken)
    with pytest.raises(RuntimeError):
        group_workspace(ws, catalog)
    assert ws.con.execute("SELECT COUNT(*) FROM dip_case_groups").fetchone()[0] == 0
    assert ws.con.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 0


def test_reason_texts_in_workspace_match_explanations(workspace):
    from dipdrg.dip.group.reasons import REASONS

    assert dict(workspace.con.execute("SELECT reason, description FROM dip_ungrouped_reasons").fetchall()) == REASONS


def test_empty_workspace_is_a_user_error(workspace, catalog):
    from dipdrg.errors import UserError

    with pytest.raises(UserError, match="没有病例"):
        group_workspace(workspace, catalog)
