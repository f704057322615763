"""Institution coefficients, 基层病种 and auxiliary typing (DESIGN §4.3, §4.6), hand-computed."""

from __future__ import annotations

from decimal import Decimal as D

from test_dip_catalog_fixtures import History
from test_dip_catalog_formulas import build

ONE_YEAR = {"dip.catalog.year_weights": [D(1)], "dip.catalog.threshold": 3}


def level_history(ws) -> None:
    h = History(ws.con)
    h.many(3, "A01.000", 1000, hosp="H1")   # group X: level 1 only
    h.many(3, "A02.000", 3000, hosp="H3")   # group Y: level 3 only
    h.many(3, "A03.000", 1000, hosp="H1")   # group Z: both levels
    h.many(3, "A03.000", 2000, hosp="H3")
    h.flush()


def by_key(rows):
    return {(r["hosp_lv"], r["group_code"]): D(r["coefficient"]) for r in rows}


def test_level_coefficient_is_level_mean_over_regional_mean(workspace, tmp_path) -> None:
    level_history(workspace)
    result, _, coefficients, _ = build(workspace, tmp_path / "p", years=[2025], **ONE_YEAR)
    # M = (3·1000 + 3·3000 + 3·1000 + 3·2000) / 12 = 1750; level 1: 1000, level 3: 2500
    assert result.region_mean == D("1750.00")
    assert by_key(coefficients) == {("1", ""): D("0.5714"), ("3", ""): D("1.4286")}  # 1000/1750, 2500/1750


def test_per_group_coefficients_where_each_level_has_enough_cases(workspace, tmp_path) -> None:
    level_history(workspace)
    _, _, coefficients, _ = build(workspace, tmp_path / "p", years=[2025], **ONE_YEAR, **{
        "dip.coefficient.per_group": True, "dip.coefficient.per_group_min_cases": 3})
    got = by_key(coefficients)
    # Z: level means 1000 and 2000 over the group mean 1500
    assert got[("1", "A03.0:C")] == D("0.6667") and got[("3", "A03.0:C")] == D("1.3333")
    assert got[("1", "A01.0:C")] == D("1.0000")  # a one-level group: its level mean is its mean
    _, _, coefficients, _ = build(workspace, tmp_path / "q", years=[2025], **ONE_YEAR, **{
        "dip.coefficient.per_group": True, "dip.coefficient.per_group_min_cases": 4})
    assert all(r["group_code"] == "" for r in coefficients)  # 3 cases per level < 4


def test_primary_care_groups_by_rule_and_by_list_get_no_coefficient(workspace, tmp_path) -> None:
    level_history(workspace)
    _, groups, coefficients, _ = build(workspace, tmp_path / "p", years=[2025], **ONE_YEAR, **{
        "dip.coefficient.primary_care_mode": "rule", "dip.coefficient.per_group": True,
        "dip.coefficient.per_group_min_cases": 3})
    # rule: CV ≤ 0.7 and ≥ 60 % of cases in level 1/2 hospitals: X (100 %) yes, Z (50 %) and Y (0 %) no
    assert {c for c, g in groups.items() if g["primary_care"] == "1"} == {"A01.0:C"}
    assert not any(r["group_code"] == "A01.0:C" for r in coefficients)
    _, groups, coefficients, _ = build(workspace, tmp_path / "q", years=[2025], **ONE_YEAR, **{
        "dip.coefficient.primary_care_mode": "list", "dip.coefficient.primary_care_groups": ["A03.0:C"],
        "dip.coefficient.per_group": True, "dip.coefficient.per_group_min_cases": 3})
    assert {c for c, g in groups.items() if g["primary_care"] == "1"} == {"A03.0:C"}
    assert not any(r["group_code"] == "A03.0:C" for r in coefficients)


def test_auxiliary_subtype_triggers_only_when_it_cuts_the_cv(workspace, tmp_path) -> None:
    h = History(workspace.con)
    h.many(10, "K35.800", 1000, age=40)
    h.many(10, "K35.800", 1000, age=70)
    h.many(10, "K35.800", 5000, age=40, dscg_way="5")
    h.many(10, "K35.800", 5000, age=70, dscg_way="5")
    h.flush()
    _, _, _, aux = build(workspace, tmp_path / "p", years=[2025], **ONE_YEAR)
    # group: 20 × 1000 and 20 × 5000: mean 3000, sd 2000, CV 0.6667. Deaths (20 × 5000) leave a
    # rest with CV 0 (cut 100 % ≥ 20 %): coefficient 5000 / 3000. Age > 65 holds the same mix as
    # the rest (CV unchanged): not used.
    assert [(r["aux_kind"], r["subtype"], D(r["coefficient"]), r["case_count"], D(r["cv_before"]), D(r["cv_after"]))
            for r in aux] == [("severity", "death", D("1.6667"), "20", D("0.6667"), D("0.0000"))]
    _, _, _, aux = build(workspace, tmp_path / "q", years=[2025], **ONE_YEAR, **{"dip.aux.min_cases": 21})
    assert aux == []  # 20 deaths < 21 required


def test_severity_needs_a_listed_secondary_diagnosis_and_a_long_stay(workspace, tmp_path) -> None:
    h = History(workspace.con)
    h.many(20, "K35.800", 1000)
    h.many(20, "K35.800", 4000, secondary=["A41.900"], los=4)  # 败血症, LOS 4 > 3: severe
    h.many(5, "K35.800", 1000, secondary=["A41.900"], los=3)   # LOS 3: not severe (strict)
    h.flush()
    _, _, _, aux = build(workspace, tmp_path / "p", years=[2025], **ONE_YEAR)
    assert [(r["subtype"], r["case_count"]) for r in aux] == [("severe", "20")]
    # group mean (25·1000 + 20·4000)/45 = 2333.33…; coefficient 4000 / 2333.33 = 1.7143
    assert D(aux[0]["coefficient"]) == D("1.7143")


def casemix_history(ws) -> None:
    h = History(ws.con)
    h.many(3, "A01.000", 1000, hosp="H1")   # group A at level 1 …
    h.many(3, "A01.000", 2000, hosp="H3")   # … and level 3: group mean 1500
    h.many(3, "A02.000", 4000, hosp="H3")   # group B, level 3 only: mean 4000
    h.many(3, "A03.000", 100, hosp="H1")    # group P (基层 by list): mean 500
    h.many(3, "A03.000", 900, hosp="H3")
    h.flush()


PRIMARY_P = {"dip.coefficient.primary_care_mode": "list", "dip.coefficient.primary_care_groups": ["A03.0:C"]}


def test_casemix_coefficient_compares_each_level_with_its_groups_means(workspace, tmp_path) -> None:
    casemix_history(workspace)
    _, _, coefficients, _ = build(workspace, tmp_path / "p", years=[2025], **ONE_YEAR, **PRIMARY_P,
                                  **{"dip.coefficient.method": "casemix"})
    # 基层 group P is left out. Level 1: cost 3·1000 = 3000, expected 3·1500 = 4500 → 0.6667.
    # Level 3: cost 3·2000 + 3·4000 = 18000, expected 3·1500 + 3·4000 = 16500 → 1.090909… → 1.0909.
    # (With P counted, level 1 would be 3300 / 6000 = 0.55.)
    assert by_key(coefficients) == {("1", ""): D("0.6667"), ("3", ""): D("1.0909")}
    assert {r["hosp_lv"]: r["case_count"] for r in coefficients} == {"1": "3", "3": "6"}


def test_level_mean_stays_the_default_and_mixes_in_the_case_mix(workspace, tmp_path) -> None:
    casemix_history(workspace)
    _, _, coefficients, _ = build(workspace, tmp_path / "p", years=[2025], **ONE_YEAR, **PRIMARY_P)
    # M = (3000 + 6000 + 12000 + 300 + 2700) / 15 = 1600; level 1 (3000 + 300) / 6 = 550 → 0.34375;
    # level 3 (6000 + 12000 + 2700) / 9 = 2300 → 1.4375
    assert by_key(coefficients) == {("1", ""): D("0.3438"), ("3", ""): D("1.4375")}


def test_casemix_coefficient_weights_years_like_every_mean(workspace, tmp_path) -> None:
    h = History(workspace.con)
    h.many(2, "A01.000", 1000, hosp="H1", year=2024)
    h.many(2, "A01.000", 3000, hosp="H3", year=2024)
    h.many(2, "A01.000", 2000, hosp="H1", year=2025)
    h.many(2, "A01.000", 2000, hosp="H3", year=2025)
    h.flush()
    _, groups, coefficients, _ = build(workspace, tmp_path / "p", years=[2024, 2025], **{
        "dip.catalog.year_weights": [D(1), D(3)], "dip.catalog.threshold": 3, "dip.coefficient.method": "casemix"})
    # group mean: 2024 2000, 2025 2000 → 2000. Level 1: actual (1·1000 + 3·2000)/4 = 1750, expected 2000
    # → 0.875; level 3: (1·3000 + 3·2000)/4 = 2250 / 2000 = 1.125
    assert D(groups["A01.0:C"]["mean_cost"]) == D("2000.00")
    assert by_key(coefficients) == {("1", ""): D("0.8750"), ("3", ""): D("1.1250")}
