"""A valid baseline settlement list inserted straight into the workspace tables, for the
quality tests to mutate one field at a time (no dependency on the importer)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from dipdrg.quality.catalogue import load_conflicts, load_rules
from dipdrg.quality.run import run_quality
from dipdrg.policy import load_policy

FEES = {  # 14 items summing to 10,000.00
    "fee_bed": "600.00", "fee_consult": "100.00", "fee_exam": "900.00", "fee_lab": "1200.00",
    "fee_treat": "800.00", "fee_oprn": "2000.00", "fee_nursing": "300.00",
    "fee_material": "1500.00", "fee_wm": "2000.00", "fee_herb": "100.00",
    "fee_tcm_patent": "200.00", "fee_general": "50.00", "fee_reg": "10.00", "fee_other": "240.00",
}


def baseline_case(setl_id: str = "S1") -> dict[str, Any]:
    """A 45-year-old man, appendicitis, laparoscopic appendectomy, 6/12 -> 6/15 (3 days)."""
    case: dict[str, Any] = {
        "setl_id": setl_id, "mdtrt_id": "M" + setl_id, "psn_no": "P" + setl_id,
        "fixmedins_code": "H001", "fixmedins_name": "第一人民医院", "insutype": "310",
        "gend": "1", "brdy": date(1980, 1, 15), "age": 45, "nwb_age": None,
        "nwb_bir_wt": None, "nwb_adm_wt": None,
        "adm_time": datetime(2025, 6, 12, 9, 30), "dscg_time": datetime(2025, 6, 15, 10, 0),
        "act_ipt_days": 3, "dscg_way": "1",
        "medfee_sumamt": Decimal("10000.00"), "hifp_pay": Decimal("7000.00"),
        "acct_pay": Decimal("1000.00"), "psn_cashpay": Decimal("2000.00"),
        "psn_selfpay": Decimal("2500.00"), "psn_ownpay": Decimal("500.00"),
        "upload_time": datetime(2025, 6, 20, 8, 0),
        "import_id": "test", "content_hash": "h-" + setl_id,
        "diagnoses": [
            {"diag_code_raw": "K35.800", "diag_code": "K35.800", "adm_cond_type": "1"},
            {"diag_code_raw": "I10.x00", "diag_code": "I10.x00", "adm_cond_type": "1"},
        ],
        "procedures": [
            {"oprn_code_raw": "47.0100", "oprn_code": "47.0100",
             "oprn_date": datetime(2025, 6, 12, 15, 0)},
        ],
    }
    case.update({k: Decimal(v) for k, v in FEES.items()})
    return case


def insert_case(ws, case: dict[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
    """Insert ``case`` (default: the baseline) with ``overrides`` into cases/diagnoses/procedures."""
    row = dict(case or baseline_case(overrides.get("setl_id", "S1")))
    row.update(overrides)
    diagnoses = row.pop("diagnoses")
    procedures = row.pop("procedures")
    columns = ", ".join(row)
    ws.con.execute(f"INSERT INTO cases ({columns}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
    for seq, dx in enumerate(diagnoses):
        ws.con.execute(
            "INSERT INTO case_diagnoses (setl_id, seq, diag_code_raw, diag_code, maindiag_flag, adm_cond_type)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [row["setl_id"], seq, dx.get("diag_code_raw"), dx.get("diag_code"), seq == 0, dx.get("adm_cond_type")],
        )
    for seq, px in enumerate(procedures):
        ws.con.execute(
            "INSERT INTO case_procedures (setl_id, seq, oprn_code_raw, oprn_code, oprn_date, main_oprn_flag)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [row["setl_id"], seq, px.get("oprn_code_raw"), px.get("oprn_code"), px.get("oprn_date"), seq == 0],
        )
    return row


def findings(ws) -> list[tuple[str, str]]:
    """(setl_id, rule_id) of the current findings, sorted."""
    return sorted(ws.con.execute("SELECT setl_id, rule_id FROM quality_findings").fetchall())


# -- the fixture itself -------------------------------------------------------------------
def test_baseline_case_is_clean(workspace):
    insert_case(workspace)
    run_quality(workspace, load_policy())
    assert findings(workspace) == []


def test_baseline_fees_add_up():
    case = baseline_case()
    assert sum(Decimal(v) for v in FEES.values()) == case["medfee_sumamt"]
    assert case["hifp_pay"] + case["acct_pay"] + case["psn_cashpay"] == case["medfee_sumamt"]


def test_catalogue_is_complete_and_ordered():
    rules = load_rules()
    ids = [r.id for r in rules]
    assert ids == sorted(ids) and len(ids) == len(set(ids)) >= 20
    dimensions = {r.dimension for r in rules}
    assert dimensions == {"完整性", "准确性", "及时性", "逻辑性"}
    for rule in rules:
        assert rule.sql.lstrip().startswith("-- " + rule.id), rule.sql_file  # header names the rule


def test_conflict_ranges_expand_to_categories():
    rows = {(kind, cat): sex for kind, cat, sex, *_ in load_conflicts()}
    assert rows[("sex", "N40")] == "1" and rows[("sex", "N51")] == "1"
    assert rows[("sex", "C56")] == "2" and rows[("sex", "O80")] == "2"
    assert ("sex", "Z38") not in rows          # liveborn infant codes are for boys and girls
    assert ("age", "P07") in rows and ("age", "P96") in rows
