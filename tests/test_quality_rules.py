"""One case that makes each quality rule fire and one near miss where it must not."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable

import pytest

from dipdrg.policy import load_policy
from dipdrg.quality.catalogue import load_rules
from dipdrg.quality.run import run_quality
from test_quality_fixture import baseline_case, insert_case

Case = dict[str, Any]


def _with(**changes: Any) -> Callable[[Case], Case]:
    def mutate(case: Case) -> Case:
        case.update(changes)
        return case
    return mutate


def _dx(*codes: str, cond: str = "1", valid: bool = True) -> list[dict[str, Any]]:
    return [{"diag_code_raw": c, "diag_code": c if valid else None, "adm_cond_type": cond} for c in codes]


def _neonate(days: int, **changes: Any) -> Callable[[Case], Case]:
    """A newborn admitted on 2025-06-12 at ``days`` days of age."""
    born = date.fromordinal(date(2025, 6, 12).toordinal() - days)
    return _with(**{"brdy": born, "age": 0, "nwb_age": days, "nwb_bir_wt": 3200, **changes})


def _zero_cost(case: Case) -> Case:
    for key in list(case):
        if key.startswith("fee_") or key in ("medfee_sumamt", "hifp_pay", "acct_pay", "psn_cashpay",
                                             "psn_selfpay", "psn_ownpay"):
            case[key] = Decimal("0.00")
    return case


# rule id -> (mutation that makes it fire, near-miss mutation where it must stay silent)
RULE_CASES: dict[str, tuple[Callable[[Case], Case], Callable[[Case], Case]]] = {
    "QC-101": (_with(diagnoses=[]),
               _with(diagnoses=[{"diag_code_raw": "K35.999", "diag_code": None, "adm_cond_type": "1"}])),
    "QC-102": (_with(gend=" "), _with(gend="9")),
    "QC-103": (_with(brdy=None, age=None, nwb_age=None), _with(brdy=None)),
    "QC-104": (_with(dscg_time=None),
               _with(adm_time=datetime(2025, 6, 12, 8), dscg_time=datetime(2025, 6, 12, 17), act_ipt_days=0,
                     upload_time=datetime(2025, 6, 13))),
    "QC-105": (_with(medfee_sumamt=None), _zero_cost),
    "QC-106": (_with(fixmedins_code=""), _with(fixmedins_code="H002")),
    "QC-107": (_neonate(28, nwb_bir_wt=None), _neonate(29, nwb_bir_wt=None)),
    "QC-201": (_with(diagnoses=_dx("K35.800") + _dx("I10.999", valid=False)),
               _with(diagnoses=[{"diag_code_raw": "k35.8", "diag_code": "K35.800", "adm_cond_type": "1"}])),
    "QC-202": (_with(procedures=[{"oprn_code_raw": "47.9", "oprn_code": None, "oprn_date": datetime(2025, 6, 12)}]),
               _with(procedures=[{"oprn_code_raw": "47.01", "oprn_code": "47.0100", "oprn_date": datetime(2025, 6, 12)}])),
    "QC-203": (_with(diagnoses=_dx("R10.400", "K35.800")), _with(diagnoses=_dx("R50.900", "Z85.300", "W19.x00"))),
    "QC-204": (_with(diagnoses=_dx("K35.800", cond="4")),
               _with(diagnoses=_dx("K35.800") + _dx("I10.x00", cond="4"))),
    "QC-205": (_neonate(5, nwb_bir_wt=290), _neonate(5, nwb_bir_wt=300)),
    "QC-206": (_neonate(5, nwb_bir_wt=3255), _neonate(5, nwb_bir_wt=3250)),
    "QC-207": (_with(brdy=date(1980, 6, 13), age=45), _with(brdy=date(1980, 6, 12), age=45)),
    "QC-208": (_with(gend="M"), _with(gend="2")),
    "QC-209": (_with(fixmedins_code="H404"), _with(fixmedins_code="H001")),
    "QC-301": (_with(adm_time=datetime(2025, 6, 15, 10, 1)),
               _with(adm_time=datetime(2025, 6, 15, 10, 0), act_ipt_days=0,
                     procedures=[{"oprn_code_raw": "47.0100", "oprn_code": "47.0100", "oprn_date": datetime(2025, 6, 15)}])),
    "QC-302": (_with(act_ipt_days=4), _with(act_ipt_days=3)),
    "QC-303": (_with(fee_other=Decimal("240.02")), _with(fee_other=Decimal("240.01"))),
    "QC-304": (_with(hifp_pay=Decimal("7000.02")), _with(hifp_pay=Decimal("5000.00"))),
    "QC-305": (_with(procedures=[{"oprn_code_raw": "47.0100", "oprn_code": "47.0100", "oprn_date": datetime(2025, 6, 16)}]),
               _with(procedures=[{"oprn_code_raw": "47.0100", "oprn_code": "47.0100", "oprn_date": datetime(2025, 6, 15, 23)}])),
    "QC-306": (_with(diagnoses=_dx("C56.x00")), _with(diagnoses=_dx("N40.x00"))),
    "QC-307": (_with(diagnoses=_dx("P07.100")), _neonate(3, diagnoses=_dx("P07.100"))),
    "QC-401": (_with(upload_time=datetime(2025, 6, 23, 0, 1)), _with(upload_time=datetime(2025, 6, 22, 23, 59))),
}


def _fired(ws, mutate: Callable[[Case], Case], registry: bool = True) -> set[str]:
    if registry:  # QC-209 needs a registry; the others must not care about it
        ws.con.execute("INSERT INTO hospitals VALUES ('H001', '第一人民医院', '3', '综合', '城区', 't')")
        ws.con.execute("INSERT INTO hospitals VALUES ('H002', '第二人民医院', '2', '综合', '城区', 't')")
    insert_case(ws, mutate(baseline_case()))
    run_quality(ws, load_policy())
    return {r[0] for r in ws.con.execute("SELECT rule_id FROM quality_findings").fetchall()}


def test_every_rule_has_a_hand_made_pair():
    assert set(RULE_CASES) == {rule.id for rule in load_rules()}


@pytest.mark.parametrize("rule_id", sorted(RULE_CASES))
def test_rule_fires(workspace, rule_id):
    fire, _ = RULE_CASES[rule_id]
    assert rule_id in _fired(workspace, fire)


@pytest.mark.parametrize("rule_id", sorted(RULE_CASES))
def test_rule_stays_silent(workspace, rule_id):
    _, quiet = RULE_CASES[rule_id]
    assert rule_id not in _fired(workspace, quiet)


def test_near_misses_are_otherwise_clean(workspace):
    """Each near miss is a valid list: no rule at all fires (so the pairs test what they say)."""
    for number, rule_id in enumerate(sorted(RULE_CASES)):
        _, quiet = RULE_CASES[rule_id]
        case = quiet(baseline_case(f"N{number}"))
        if rule_id == "QC-101":
            continue  # this near miss (an invalid principal code) deliberately trips QC-201
        insert_case(workspace, case)
    run_quality(workspace, load_policy())
    assert workspace.con.execute("SELECT setl_id, rule_id FROM quality_findings").fetchall() == []


def test_hospital_rule_silent_without_registry(workspace):
    assert "QC-209" not in _fired(workspace, _with(fixmedins_code="H404"), registry=False)


# -- boundaries -----------------------------------------------------------------------------
@pytest.mark.parametrize(("adm", "dscg", "days", "fires"), [
    (datetime(2025, 6, 12, 8), datetime(2025, 6, 12, 20), 0, False),   # same day = 0
    (datetime(2025, 6, 12, 8), datetime(2025, 6, 12, 20), 1, True),
    (datetime(2025, 6, 12, 23), datetime(2025, 6, 15, 1), 3, False),   # 6/12 -> 6/15 = 3
    (datetime(2025, 6, 12, 23), datetime(2025, 6, 15, 1), 4, True),    # not counting both ends
    (datetime(2025, 6, 12, 23), datetime(2025, 6, 15, 1), 2, True),    # not counting hours
    (datetime(2024, 12, 31), datetime(2025, 3, 1), 60, False),         # 1 + 28 + 31 days
])
def test_los_counts_admission_and_discharge_day_as_one(workspace, adm, dscg, days, fires):
    proc = [{"oprn_code_raw": "47.0100", "oprn_code": "47.0100", "oprn_date": adm}]
    fired = _fired(workspace, _with(adm_time=adm, dscg_time=dscg, act_ipt_days=days, procedures=proc,
                                    upload_time=dscg, brdy=None))
    assert ("QC-302" in fired) is fires
    assert fired - {"QC-302"} == set()


def _policy(tmp_path, text: str):
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return load_policy(path)


@pytest.mark.parametrize(("tolerance", "other", "fires"), [
    ("0.01", "240.01", False), ("0.01", "239.99", False), ("0.01", "240.02", True), ("0.01", "239.98", True),
    ("0", "240.00", False), ("0", "240.01", True),
    ("1", "241.00", False), ("1", "241.01", True),
])
def test_fee_tolerance_edges(workspace, tmp_path, tolerance, other, fires):
    insert_case(workspace, fee_other=Decimal(other))
    run_quality(workspace, _policy(tmp_path, f'[quality]\nfee_tolerance = "{tolerance}"\n'))
    rules = {r[0] for r in workspace.con.execute("SELECT rule_id FROM quality_findings").fetchall()}
    assert ("QC-303" in rules) is fires


@pytest.mark.parametrize(("weight", "fires"), [(299, True), (300, False), (10000, False), (10010, True)])
def test_neonate_weight_range_edges(workspace, weight, fires):
    fired = _fired(workspace, _neonate(5, nwb_bir_wt=weight))
    assert ("QC-205" in fired) is fires


def test_neonate_admission_weight_checked_too(workspace):
    fired = _fired(workspace, _neonate(5, nwb_adm_wt=12000))
    detail = workspace.con.execute("SELECT field FROM quality_findings WHERE rule_id = 'QC-205'").fetchone()
    assert "QC-205" in fired and detail == ("nwb_adm_wt",)


def test_upload_deadline_from_policy(workspace, tmp_path):
    insert_case(workspace, upload_time=datetime(2025, 6, 20))      # 5 days after discharge
    run_quality(workspace, _policy(tmp_path, "[quality]\nupload_deadline_days = 4\n"))
    assert workspace.con.execute("SELECT rule_id, detail FROM quality_findings").fetchall() == [
        ("QC-401", "出院后第 5 天上传，时限 4 天")]


@pytest.mark.parametrize(("code", "gend", "fires"), [
    ("O80.000", "1", True), ("O80.000", "2", False), ("N80.000", "1", True), ("Z37.000", "1", True),
    ("Z38.000", "1", False), ("C61.x00", "2", True), ("C61.x00", "1", False), ("N40.x00", "9", False),
])
def test_sex_conflicts_follow_the_table(workspace, code, gend, fires):
    fired = _fired(workspace, _with(gend=gend, diagnoses=_dx("K35.800", code)))
    assert ("QC-306" in fired) is fires


@pytest.mark.parametrize(("days", "code", "fires"), [
    (28, "Z38.000", False), (29, "Z38.000", True), (364, "P59.900", False),
])
def test_age_conflicts_in_days(workspace, days, code, fires):
    fired = _fired(workspace, _neonate(days, diagnoses=_dx(code)))
    assert ("QC-307" in fired) is fires


@pytest.mark.parametrize(("born", "age", "fires"), [
    (date(2016, 6, 12), 9, False), (date(2016, 6, 13), 8, True), (date(1960, 6, 12), 65, True),
    (date(1960, 6, 13), 64, False),
])
def test_pregnancy_age_band(workspace, born, age, fires):
    fired = _fired(workspace, _with(gend="2", brdy=born, age=age, diagnoses=_dx("O80.000")))
    assert ("QC-307" in fired) is fires


def test_birth_after_admission_is_reported(workspace):
    fired = _fired(workspace, _with(brdy=date(2025, 6, 13), age=0))
    assert "QC-207" in fired


def test_infant_age_in_days_checked_against_birth_date(workspace):
    assert "QC-207" in _fired(workspace, _neonate(20, nwb_age=25))


def test_one_finding_per_case_and_rule(workspace):
    insert_case(workspace, diagnoses=_dx("K35.800") + _dx("X1", "X2", "X3", valid=False))
    run_quality(workspace, load_policy())
    assert workspace.con.execute(
        "SELECT rule_id, severity, dimension, field, detail FROM quality_findings").fetchall() == [
        ("QC-201", "error", "准确性", "diag_code", "无效诊断编码 3 个，如 X1")]


def test_rerun_replaces_previous_findings(workspace):
    insert_case(workspace, act_ipt_days=9)
    first = run_quality(workspace, load_policy())
    workspace.con.execute("UPDATE cases SET act_ipt_days = 3")
    second = run_quality(workspace, load_policy())
    assert first != second
    assert workspace.con.execute("SELECT COUNT(*) FROM quality_findings").fetchone() == (0,)
    runs = workspace.con.execute("SELECT run_id, parameters FROM runs WHERE kind = 'quality' ORDER BY started_at").fetchall()
    assert [r[0] for r in runs] == [first, second]
    assert '"quality.upload_deadline_days"' in runs[1][1]


def test_failed_run_leaves_old_findings(workspace, monkeypatch):
    insert_case(workspace, act_ipt_days=9)
    run_quality(workspace, load_policy())
    import dipdrg.quality.run as run_module
    monkeypatch.setattr(run_module, "findings_sql", lambda rules: "INSERT INTO no_such_table SELECT 1")
    with pytest.raises(Exception):
        run_quality(workspace, load_policy())
    assert workspace.con.execute("SELECT rule_id FROM quality_findings").fetchall() == [("QC-302",)]
    assert workspace.con.execute("SELECT COUNT(*) FROM runs").fetchone() == (1,)
