"""Case scores against a hand-written local pack (DESIGN §4.4, §4.6 "Outliers").

Pack: G1 score 1000 (core), G2 score 500 (基层). Level 3 coefficient 1.2, level 1 0.8;
budget point value 10. Standard of G1 at level 3 = 1000 × 1.2 × 10 = 12,000.00.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from dipdrg.dip.pack.manifest import Manifest, write_manifest
from dipdrg.dip.score.score import score_cases
from dipdrg.errors import UserError
from test_dip_catalog_fixtures import History, policy


def write_pack(directory: Path) -> Path:
    directory.mkdir()
    (directory / "groups.csv").write_text(
        "group_code,group_name,group_type,dx_key,procedures,treatment,score,primary_care\n"
        "K35.8:47.0900,阑尾炎,core,K35.8,47.0900,手术操作,1000.0000,0\n"
        "J18.0:C,肺炎,core,J18.0,,保守治疗,500.0000,1\n", encoding="utf-8")
    (directory / "coefficients.csv").write_text(
        "hosp_lv,group_code,coefficient,case_count\n3,,1.2000,10\n1,,0.8000,10\n", encoding="utf-8")
    (directory / "aux_types.csv").write_text(
        "group_code,aux_kind,subtype,coefficient,case_count,cv_before,cv_after\n"
        "K35.8:47.0900,severity,death,1.5000,20,0.9,0.3\n"
        "K35.8:47.0900,age,66+y,1.2000,20,0.9,0.5\n", encoding="utf-8")
    write_manifest(directory, Manifest(id="t", kind="dip-local", version="1", budget_point_value="10.0000"))
    return directory


def group_run(ws, assignments: dict[str, str | None], run_id: str = "dip-group-1") -> str:
    ws.con.execute("INSERT INTO runs VALUES (?, 'dip-group', current_timestamp, current_timestamp, '{}', '{}')", [run_id])
    ws.con.executemany(
        "INSERT INTO dip_case_groups (run_id, setl_id, group_code, group_type, layer, status, primary_care,"
        " pack_id, pack_version, pack_sha256) VALUES (?, ?, ?, ?, 'core', ?, FALSE, 't', '1', 'x')",
        [(run_id, sid, code, "core" if code else None, "grouped" if code else "ungrouped")
         for sid, code in assignments.items()])
    return run_id


COSTS = {"edge_low": "6000.00", "low": "5999.99", "edge_high": "24000.00", "high": "24000.01", "triple": "36000.00"}


@pytest.fixture()
def scored(workspace, tmp_path):
    def run(**values):
        h = History(workspace.con)
        ids = {name: h.case("K35.800", cost, pp="47.0900", setl_id=name) for name, cost in COSTS.items()}
        ids["primary"] = h.case("J18.000", "5000.00", setl_id="primary")
        ids["level1"] = h.case("K35.800", "8000.00", pp="47.0900", hosp="H1", setl_id="level1")
        ids["old_death"] = h.case("K35.800", "18000.00", pp="47.0900", age=70, dscg_way="5", setl_id="old_death")
        ids["unknown_hosp"] = h.case("K35.800", "10000.00", pp="47.0900", hosp="H9", setl_id="unknown_hosp")
        ids["ungrouped"] = h.case("Z99.900", "3000.00", setl_id="ungrouped")
        h.flush()
        groups = {sid: ("J18.0:C" if sid == "primary" else None if sid == "ungrouped" else "K35.8:47.0900") for sid in ids}
        run_id = group_run(workspace, groups)
        result = score_cases(workspace, write_pack(tmp_path / "pack"), policy(**values), group_run=run_id)
        cur = workspace.con.execute("SELECT * FROM dip_case_scores WHERE run_id = ?", [result.run_id])
        names = [d[0] for d in cur.description]
        return result, {r[names.index("setl_id")]: dict(zip(names, r)) for r in cur.fetchall()}
    return run


def test_2020_rule_at_the_strict_edges(scored) -> None:
    result, rows = scored()
    assert rows["edge_low"]["standard_cost"] == D("12000.00")
    assert (rows["edge_low"]["outlier"], rows["edge_low"]["case_score"]) == (None, D("1200.0000"))  # 6000 = 0.5 × std
    # 5999.99 < 6000: 1200 × 5999.99 / 12000 = 599.999
    assert (rows["low"]["outlier"], rows["low"]["case_score"]) == ("low", D("599.9990"))
    assert rows["low"]["cost_ratio"] == D("0.5000")  # 0.49999916…
    assert (rows["edge_high"]["outlier"], rows["edge_high"]["case_score"]) == (None, D("1200.0000"))
    # 24000.01 > 2 × std: 1200 × (24000.01/12000 − 2 + 1) = 1200 × 1.00000083… = 1200.001
    assert (rows["high"]["outlier"], rows["high"]["case_score"]) == ("high", D("1200.0010"))
    assert rows["triple"]["case_score"] == D("2400.0000")  # 1200 × (3 − 1)
    assert all(r["outlier_rule"] == "2020" for r in rows.values() if r["group_code"])
    assert result.outliers == {"low": 1, "high": 2}


def test_3_0_rule_flags_review_and_keeps_the_score(scored) -> None:
    _, rows = scored(**{"dip.outlier.rule": "3.0", "dip.outlier.review_ratio": D("2")})
    assert (rows["high"]["outlier"], rows["high"]["case_score"]) == ("review", D("1200.0000"))
    assert (rows["edge_high"]["outlier"], rows["edge_high"]["case_score"]) == (None, D("1200.0000"))
    assert rows["low"]["outlier"] == "low" and rows["high"]["outlier_rule"] == "3.0"


def test_coefficients_primary_care_and_auxiliary_highest(scored) -> None:
    result, rows = scored()
    # 基层 group: coefficient 1 at a level-3 hospital: 500 × 1 × 10 = 5000 standard
    p = rows["primary"]
    assert (p["level_coefficient"], p["standard_cost"], p["case_score"], p["primary_care"]) == (
        D("1.0000"), D("5000.00"), D("500.0000"), True)
    assert rows["level1"]["level_coefficient"] == D("0.8000") and rows["level1"]["case_score"] == D("800.0000")
    # death at 70: subtypes death 1.5 and 66+ 1.2 → highest 1.5: 1000 × 1.2 × 1.5 = 1800
    d = rows["old_death"]
    assert (d["aux_kind"], d["aux_coefficient"], d["case_score"], d["standard_cost"]) == (
        "severity", D("1.5000"), D("1800.0000"), D("18000.00"))
    assert rows["edge_low"]["aux_coefficient"] == D("1.0000") and rows["edge_low"]["aux_kind"] is None
    # a hospital without a level coefficient is scored with 1 and counted
    assert rows["unknown_hosp"]["level_coefficient"] == D("1.0000") and result.level_missing == 1


def test_ungrouped_cases_are_kept_without_score(scored) -> None:
    result, rows = scored()
    u = rows["ungrouped"]
    assert u["group_code"] is None and u["case_score"] is None and u["outlier"] is None
    assert u["medfee_sumamt"] == D("3000.00")
    assert result.cases == 10 and result.grouped == 9 and len(rows) == 10


def test_point_value_option_and_unknown_group(workspace, tmp_path) -> None:
    h = History(workspace.con)
    h.case("K35.800", "1000.00", pp="47.0900", setl_id="a")
    h.flush()
    run_id = group_run(workspace, {"a": "K35.8:47.0900"})
    pack = write_pack(tmp_path / "pack")
    result = score_cases(workspace, pack, policy(), point_value=D("20"))  # latest run by default
    row = workspace.con.execute("SELECT standard_cost, point_value, group_run_id FROM dip_case_scores"
                                " WHERE run_id = ?", [result.run_id]).fetchone()
    assert row == (D("24000.00"), D("20.0000"), run_id)
    group_run(workspace, {"a": "X99.9:C"}, run_id="dip-group-2")
    with pytest.raises(UserError, match="不在病种库"):
        score_cases(workspace, pack, policy(), group_run="dip-group-2")
    assert workspace.con.execute("SELECT COUNT(*) FROM runs WHERE kind = 'dip-score'").fetchone()[0] == 1
