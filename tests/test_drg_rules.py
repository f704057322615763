"""Each rule shape, entry shape, severity rule and switch on the hand-made pack.

Expected groups are worked out by hand from test_drg_minipack.mini_tables(); every case
runs through the SQL grouper (file mode) and the explain path, which must agree.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_drg_minipack import case, group_both, mini_pack

from dipdrg.drg.explain import explain_case

OK, FAIL, CHECK = "SUCCESS", "FAIL", "CHECK_FAILED"
NONE = ("0000", "00", "0000")


@pytest.fixture()
def pack(tmp_path):
    return mini_pack(tmp_path)


def run(pack, tmp_path, pairs):
    """Group the cases of (case, expected) pairs and compare with the expectations."""
    got = group_both(pack, [c for c, _ in pairs], tmp_path)
    assert got == [e for _, e in pairs]


def test_input_checks_in_order(pack, tmp_path):
    run(pack, tmp_path, [
        (case("DC1", gender=None), (CHECK, *NONE)),
        (case("DC1", gender=9), (CHECK, *NONE)),
        (case("DC1", age=None), (CHECK, *NONE)),
        (case("DC1", age=0, age_days=None), (CHECK, *NONE)),
        (case("DC1", age=0, age_days=28, weight=None), (CHECK, *NONE)),
        # 29 days: no weight needed; MDCC entered, CR1
        (case("DC1", age=0, age_days=29, weight=None), (OK, "MDCC", "CR1", "CR15")),
    ])
    reasons = [explain_case(pack, c).reason for c in (
        case("DC1", gender=3), case("DC1", age=None), case("DC1", age=0),
        case("DC1", age=0, age_days=3))]
    assert reasons == ["gender", "age", "age_days", "birth_weight"]


def test_pproc_and_anyproc_pair_in_mdca(pack, tmp_path):
    run(pack, tmp_path, [
        (case("DC1", procs=["PTX"]), (OK, "MDCA", "AA1", "AA19")),
        # PTX must be the principal procedure for AA1
        (case("DC1", procs=["POR1", "PTX"]), (OK, "MDCC", "CR1", "CR15")),
        # AC1 needs a proc of list proc and one of proc2 anywhere; MDCA is entered via POR1
        (case("DC1", procs=["POR1", "PP", "PK"]), (OK, "MDCA", "AC1", "AC19")),
        (case("DC1", procs=["POR1", "PK"]), (OK, "MDCC", "CR1", "CR15")),
        # MDCA needs the principal procedure on the OR list: PK is not
        (case("DC1", procs=["PK", "PP"]), (OK, "MDCC", "CR1", "CR15")),
    ])


def test_newborn_weight_age_days_and_always(pack, tmp_path):
    run(pack, tmp_path, [
        (case("DP1", age=0, age_days=5, weight=1200), (OK, "MDCP", "PS1", "PS19")),
        # any diagnosis may carry the PS1 code (DW1 is in no MDC list); the upper bound is open
        (case("DP2", ["DW1"], age=0, age_days=5, weight=1499), (OK, "MDCP", "PS1", "PS19")),
        (case("DP1", age=0, age_days=5, weight=1500), (OK, "MDCP", "PV1", "PV19")),
        (case("DP2", age=0, age_days=5, weight=1200), (OK, "MDCP", "PV1", "PV19")),
        # weight 0 passes the check but skips the weight rule
        (case("DP1", age=0, age_days=5, weight=0), (OK, "MDCP", "PV1", "PV19")),
        # older than 28 days: neither PS1 nor PB1
        (case("DP1", ["DX1"], ["POR1"], age=0, age_days=40, weight=1200), (OK, "MDCP", "PV1", "PV19")),
        (case("DP1", procs=["POR1"], age=0, age_days=20, weight=3000), (OK, "MDCP", "PB1", "PB19")),
        # MDCP needs age 0 years
        (case("DP1", age=1), (FAIL, *NONE)),
    ])


def test_trauma_regions_and_or_list_rules(pack, tmp_path):
    run(pack, tmp_path, [
        (case("DZ1", ["DZ2"]), (OK, "MDCZ", "ZZ1", "ZZ19")),
        # two codes of the same region: MDCZ not entered, no other MDC
        (case("DZ1", ["DZ3"]), (FAIL, *NONE)),
        (case("DZ1", ["DZ2"], ["POR2"]), (OK, "MDCZ", "ZB1", "ZB19")),
        # an OR procedure in second place blocks ZZ1 and is not principal for ZB1
        (case("DZ1", ["DZ2"], ["PK", "POR2"]), (FAIL, *NONE)),
        (case("DZ1", ["DZ2"], ["PK"]), (OK, "MDCZ", "ZZ1", "ZZ19")),
    ])
    assert explain_case(pack, case("DZ1", ["DZ2"], ["PK", "POR2"])).reason == "no_adrg"
    assert explain_case(pack, case("DZ1", ["DZ3"])).reason == "no_mdc"


def test_gender_entry_and_pdx_pproc(pack, tmp_path):
    run(pack, tmp_path, [
        (case("DM1", procs=["POR1"]), (OK, "MDCM", "MA1", "MA19")),
        (case("DM1"), (OK, "MDCM", "MR1", "MR15")),
        (case("DM1", gender=2), (FAIL, *NONE)),
    ])


def test_proc_categories_anyproc_pairs_and_custom_shape(pack, tmp_path):
    run(pack, tmp_path, [
        (case("DB1", procs=["PC2", "PC1"]), (OK, "MDCB", "BA1", "BA19")),    # 1&2
        (case("DB1", procs=["PK", "PC3"]), (OK, "MDCB", "BA1", "BA19")),     # 3
        (case("DB1", procs=["PC1"]), (OK, "MDCB", "BR1", "BR19")),           # 1 alone
        (case("DB2", procs=["PC1", "PC2"]), (OK, "MDCB", "BR1", "BR19")),    # pdx not in BA1
        (case("DB1", procs=["PK", "POR2", "POR1"]), (OK, "MDCB", "BB1", "BB19")),
        # PBOTH opens MDCA (OR list) without an A rule, then satisfies both BB1 lists alone
        (case("DB1", procs=["PBOTH"]), (OK, "MDCB", "BB1", "BB19")),
        (case("DB4", ["DX9"]), (OK, "MDCB", "BT1", "BT19")),
        (case("DX9", ["DB4"]), (FAIL, *NONE)),
        (case("DB4"), (FAIL, *NONE)),
    ])
    trace = explain_case(pack, case("DB1", procs=["PC2", "PC1"]))
    assert [e.atom for e in trace.evidence] == ["pdx_in", "proc_categories"]


def test_anydx_entry_and_fall_through(pack, tmp_path):
    run(pack, tmp_path, [
        (case("DC1", ["DY1"], ["POR1"]), (OK, "MDCY", "YC1", "YC19")),
        (case("DY1"), (OK, "MDCY", "YR1", "YR19")),
        # MDCY entered through a secondary code, no Y rule holds: fall through to MDCC
        (case("DC1", ["DY1"]), (OK, "MDCC", "CR1", "CR15")),
        # DF1 enters MDCM (no M rule for it) and falls through to MDCC
        (case("DF1"), (OK, "MDCC", "CR1", "CR15")),
    ])


def test_fall_through_off_stops_at_first_entered_mdc(tmp_path):
    pack = mini_pack(tmp_path, fall_through_after_mdc=False)
    run(pack, tmp_path, [
        (case("DF1"), (FAIL, *NONE)),
        (case("DC1", ["DY1"]), (FAIL, *NONE)),
        # MDCA entered (POR1 principal) without a matching ADRG: nothing later
        (case("DC1", procs=["POR1"]), (FAIL, *NONE)),
        (case("DC1"), (OK, "MDCC", "CR1", "CR15")),
    ])
    trace = explain_case(pack, case("DF1"))
    assert trace.reason == "no_adrg"
    assert [t.mdc for t in trace.mdc_trials if t.entered] == ["MDCM"]


def test_qy_switch(tmp_path):
    off = mini_pack(tmp_path / "off")
    on = mini_pack(tmp_path / "on", qy_enabled=True)
    cases = [case("DB1", procs=["PC1"]), case("DB1"), case("DB1", procs=["PC2", "PC1"]),
             case("DB1", procs=["PK"])]
    assert group_both(off, cases, tmp_path / "off") == [
        (OK, "MDCB", "BR1", "BR19"), (OK, "MDCB", "BR1", "BR19"), (OK, "MDCB", "BA1", "BA19"),
        (OK, "MDCB", "BR1", "BR19")]
    # QY after the 2 surgical rules: an OR procedure with no surgical match -> BQY
    assert group_both(on, cases, tmp_path / "on") == [
        (OK, "MDCB", "BQY", "BQY"), (OK, "MDCB", "BR1", "BR19"), (OK, "MDCB", "BA1", "BA19"),
        (OK, "MDCB", "BR1", "BR19")]
    assert explain_case(on, cases[0]).reason == "qy"


def test_severity_and_exclusion_tables(pack, tmp_path):
    run(pack, tmp_path, [
        (case("DM2", ["DX1"]), (OK, "MDCM", "MR1", "MR11")),         # MCC
        (case("DM2", ["DX3"]), (OK, "MDCM", "MR1", "MR13")),         # CC
        (case("DM2", ["DX4", "DX2"]), (OK, "MDCM", "MR1", "MR11")),  # MCC beats CC
        (case("DM1", ["DX1"]), (OK, "MDCM", "MR1", "MR15")),         # MCC in DM1's table T1
        (case("DM1", ["DX1", "DX3"]), (OK, "MDCM", "MR1", "MR15")),  # both excluded
        (case("DM1", ["DX1", "DX4"]), (OK, "MDCM", "MR1", "MR13")),  # CC of T3 counts
        (case("DM1", ["DX2"]), (OK, "MDCM", "MR1", "MR11")),
        (case("DX1", ["DM2"]), (FAIL, *NONE)),                       # principal DX1: no MDC
        (case("DC1", ["DX3"]), (OK, "MDCC", "CR1", "CR15")),         # CR1 splits 1/5 only
        (case("DC1", ["DX2"]), (OK, "MDCC", "CR1", "CR11")),
        (case("DM2", ["DM2", "DX3", "DX3"]), (OK, "MDCM", "MR1", "MR13")),
    ])
    trace = explain_case(pack, case("DM1", ["DX1", "DX4"]))
    assert [(c.code, c.level, c.table, c.excluded) for c in trace.complications] == [
        ("DX1", "mcc", "T1", True), ("DX4", "cc", "T3", False)]
    assert trace.principal_tables == ("T1",)


def test_codes_match_exactly(pack, tmp_path):
    run(pack, tmp_path, [
        (case("dc1"), (FAIL, *NONE)),
        (case("DC1 "), (FAIL, *NONE)),
        (case("", procs=["PTX"]), (OK, "MDCA", "AA1", "AA19")),   # empty principal dx accepted
        (case(""), (FAIL, *NONE)),
    ])


def test_code_mapping_switch(tmp_path):
    pack = mini_pack(tmp_path, code_mapping=True)
    got = group_both(pack, [case("dm1-old"), case("dm1-old", procs=["por1-old"]),
                            case("DM1"), case("", procs=["por1-old"])], tmp_path)
    assert got == [(OK, "MDCM", "MR1", "MR15"), (OK, "MDCM", "MA1", "MA19"),
                   (CHECK, *NONE), (FAIL, *NONE)]
    assert explain_case(pack, case("DM1")).reason == "code_unmapped"


def test_workspace_codes_fallback_and_missing_principal(tmp_path, workspace):
    """Normalised code first, raw code when NULL; a missing seq 0 acts as an empty code."""
    from dipdrg.drg.batch import group_workspace

    pack = mini_pack(tmp_path)
    con = workspace.con
    for setl_id in ("a", "b", "c", "d"):
        con.execute("INSERT INTO cases (setl_id, fixmedins_code, gend, age, import_id, content_hash)"
                    " VALUES (?, 'H1', '1', 40, 'i', 'x')", [setl_id])
    con.execute("INSERT INTO case_diagnoses (setl_id, seq, diag_code_raw, diag_code, maindiag_flag)"
                " VALUES ('a', 1, 'DX1', 'DX1', false), ('b', 0, 'DM1', NULL, true),"
                " ('c', 0, 'dm1', 'DM1', true), ('c', 1, 'DX4', NULL, false),"
                " ('d', 0, 'DC1', 'DC1', true)")
    con.execute("INSERT INTO case_procedures (setl_id, seq, oprn_code_raw, oprn_code, main_oprn_flag)"
                " VALUES ('a', 0, 'PTX', 'PTX', true), ('d', 1, 'PTX', 'PTX', false)")
    group_workspace(workspace, pack)
    got = {r[0]: r[1:] for r in con.execute(
        "SELECT setl_id, status, mdc, adrg, drg FROM drg_case_groups").fetchall()}
    assert got == {
        "a": (OK, "MDCA", "AA1", "AA19"),
        "b": (OK, "MDCM", "MR1", "MR15"),
        "c": (OK, "MDCM", "MR1", "MR13"),
        "d": (OK, "MDCC", "CR1", "CR15"),      # no principal procedure: MDCA not entered
    }
    assert explain_case(pack, case("", ["DX1"], ["PTX"])).drg == "AA19"
    assert explain_case(pack, case("DC1", procs=["", "PTX"])).drg == "CR15"


def test_workspace_code_mapping(tmp_path, workspace):
    from dipdrg.drg.batch import group_workspace

    pack = mini_pack(tmp_path, code_mapping=True)
    con = workspace.con
    for setl_id, code in (("m", "dm1-old"), ("u", "DM1")):
        con.execute("INSERT INTO cases (setl_id, fixmedins_code, gend, age, import_id, content_hash)"
                    " VALUES (?, 'H1', '1', 40, 'i', 'x')", [setl_id])
        con.execute("INSERT INTO case_diagnoses (setl_id, seq, diag_code_raw, diag_code, maindiag_flag)"
                    " VALUES (?, 0, ?, NULL, true)", [setl_id, code])
    group_workspace(workspace, pack)
    got = {r[0]: r[1:] for r in con.execute(
        "SELECT setl_id, status, reason, drg FROM drg_case_groups").fetchall()}
    assert got == {"m": (OK, None, "MR15"), "u": (CHECK, "code_unmapped", "0000")}


# -- property: the SQL grouper and explain agree on arbitrary cases --------------------------
DX_POOL = ["DP1", "DP2", "DW1", "DZ1", "DZ2", "DZ3", "DM1", "DM2", "DF1", "DB1", "DB2", "DB4",
           "DY1", "DC1", "DX1", "DX2", "DX3", "DX4", "DX9", "", "dm1-old", "ZZZ"]
PROC_POOL = ["PTX", "PK", "PP", "POR1", "POR2", "PC1", "PC2", "PC3", "PBOTH", "", "por1-old", "P?"]
SWITCH_SETS = [{}, {"qy_enabled": True}, {"fall_through_after_mdc": False},
               {"qy_enabled": True, "fall_through_after_mdc": False, "code_mapping": True}]


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    return [mini_pack(tmp_path_factory.mktemp("p"), **s) for s in SWITCH_SETS]


cases_strategy = st.builds(
    case,
    pdx=st.sampled_from(DX_POOL),
    sdx=st.lists(st.sampled_from(DX_POOL), max_size=4),
    procs=st.lists(st.sampled_from(PROC_POOL), max_size=4),
    gender=st.sampled_from([1, 2, 1, 2, None, 9]),
    age=st.sampled_from([40, 0, 0, 1, None]),
    age_days=st.sampled_from([None, 3, 28, 29, 200]),
    weight=st.sampled_from([None, 0, 1200, 1499, 1500, 3000]),
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cases=st.lists(cases_strategy, min_size=1, max_size=40), which=st.integers(0, len(SWITCH_SETS) - 1))
def test_sql_and_explain_agree_on_random_cases(packs, tmp_path_factory, cases, which):
    results = group_both(packs[which], cases, tmp_path_factory.mktemp("h"))   # asserts agreement
    assert len(results) == len(cases)
