"""Hand-computed checks of each catalog formula (DESIGN §4.2–4.3, §4.6).

Every expected value below is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import csv
from decimal import Decimal as D
from pathlib import Path

import pytest

from dipdrg.dip.catalog.build import build_catalog
from dipdrg.errors import UserError
from test_dip_catalog_fixtures import History, policy

YEARS = [2023, 2024, 2025]


def build(ws, out: Path, years=YEARS, national=None, **values):
    values.setdefault("dip.coefficient.primary_care_mode", "none")
    result = build_catalog(ws, years, policy(**values), out, national=national)
    read = lambda name: list(csv.DictReader((out / name).open(encoding="utf-8")))  # noqa: E731
    groups = {r["group_code"]: r for r in read("groups.csv")}
    return result, groups, read("coefficients.csv"), read("aux_types.csv")


def weighted_history(ws, *, with_2024: bool = True, drug: bool = False) -> None:
    """K35.8 conservative: 3 cases a year at 1000 / 2000 / 4000; J18.0 conservative: 3 × 1000 in 2025."""
    h = History(ws.con)
    for year, cost in ((2023, 1000), (2024, 2000), (2025, 4000)):
        if year == 2024 and not with_2024:
            continue
        h.many(3, "K35.800", cost, year=year, drug=cost // 10 if drug else 0)
    h.many(3, "J18.000", 1000, year=2025)
    h.flush()


def test_year_weights_1_2_7_and_mean_cost_score(workspace, tmp_path) -> None:
    weighted_history(workspace, drug=True)
    result, groups, _, _ = build(workspace, tmp_path / "p", **{"dip.catalog.threshold": 3})
    a, b = groups["K35.8:C"], groups["J18.0:C"]
    # m_A = (1·1000 + 2·2000 + 7·4000) / 10 = 3300; m_B = 1000 (2025 only)
    assert D(a["mean_cost"]) == D("3300.00") and D(b["mean_cost"]) == D("1000.00")
    # M: yearly means 1000, 2000, (3·4000 + 3·1000)/6 = 2500 → (1000 + 4000 + 17500) / 10 = 2250
    assert result.region_mean == D("2250.00")
    # RW = m / M × 1000: 3300/2250×1000 = 1466.666… ; 1000/2250×1000 = 444.444…
    assert D(a["score"]) == D("1466.6667") and D(b["score"]) == D("444.4444")
    # drugs: dm_A = (100 + 400 + 2800)/10 = 330; dM = (100 + 2·200 + 7·200)/10 = 190
    assert D(a["drug_score"]) == D("1736.8421")  # 330/190×1000 = 1736.842105…
    assert D(a["drug_share"]) == D("0.1000") and D(b["drug_share"]) == D("0.0000")
    assert a["group_type"] == "core" and a["treatment"] == "保守治疗" and a["case_count"] == "9"


def test_budget_point_value_from_history(workspace, tmp_path) -> None:
    weighted_history(workspace)
    result, _, _, _ = build(workspace, tmp_path / "p", **{"dip.catalog.threshold": 3})
    # score_y = Σ RW of the year's cases: 2023 3·1466.6667, 2024 the same, 2025 3·1466.6667 + 3·444.4444
    scores = [3 * D("1466.6667"), 3 * D("1466.6667"), 3 * D("1466.6667") + 3 * D("444.4444")]
    costs = [D(3000), D(6000), D(15000)]
    weights = [D(1), D(2), D(7)]
    expected = sum(w * c for w, c in zip(weights, costs)) / sum(w * s for w, s in zip(weights, scores))
    assert result.point_value == expected.quantize(D("0.0001"))  # 120000 / 53333.3334 = 2.2500
    manifest = (tmp_path / "p" / "manifest.toml").read_text(encoding="utf-8")
    assert 'budget_point_value = "2.2500"' in manifest


def test_missing_year_renormalises_the_weights(workspace, tmp_path) -> None:
    weighted_history(workspace, with_2024=False)
    result, groups, _, _ = build(workspace, tmp_path / "p", **{"dip.catalog.threshold": 3})
    # m_A = (1·1000 + 7·4000) / (1 + 7) = 3625; M = (1·1000 + 7·2500) / 8 = 2312.50
    assert D(groups["K35.8:C"]["mean_cost"]) == D("3625.00")
    assert result.region_mean == D("2312.50")
    assert D(groups["K35.8:C"]["score"]) == D("1567.5676")  # 3625/2312.5×1000 = 1567.56756…


def test_weights_must_match_the_years(workspace, tmp_path) -> None:
    weighted_history(workspace)
    with pytest.raises(UserError, match="年度权重"):
        build(workspace, tmp_path / "p", years=[2024, 2025])


def test_reference_group_and_fixed_amount_methods(workspace, tmp_path) -> None:
    weighted_history(workspace)
    _, groups, _, _ = build(workspace, tmp_path / "r", **{
        "dip.catalog.threshold": 3, "dip.score.method": "reference_group", "dip.score.reference_group": "J18.0:C"})
    assert D(groups["K35.8:C"]["score"]) == D("3300.0000")  # 3300 / 1000 × 1000
    assert D(groups["J18.0:C"]["score"]) == D("1000.0000")
    _, groups, _, _ = build(workspace, tmp_path / "f", **{
        "dip.catalog.threshold": 3, "dip.score.method": "fixed_amount", "dip.score.fixed_amount": D("2000")})
    assert D(groups["K35.8:C"]["score"]) == D("1.6500")  # 3300 / 2000, no × 1000
    assert D(groups["J18.0:C"]["score"]) == D("0.5000")
    with pytest.raises(UserError, match="基准病种"):
        build(workspace, tmp_path / "x", **{"dip.catalog.threshold": 3, "dip.score.method": "reference_group",
                                            "dip.score.reference_group": "NOPE"})


def test_trimming_needs_40_cases_and_uses_nearest_rank(workspace, tmp_path) -> None:
    h = History(workspace.con)
    h.many(39, "A01.000", [100 * i for i in range(1, 40)])          # 100 … 3900
    h.many(40, "A02.000", [100 * i for i in range(1, 41)])          # 100 … 4000
    h.many(41, "A03.000", [100 * i for i in range(1, 41)] + [100000])
    h.flush()
    _, groups, _, _ = build(workspace, tmp_path / "p", years=[2025], **{"dip.catalog.year_weights": [D(1)]})
    # n = 39: ceil(0.025·39) = 1, ceil(0.975·39) = 39 — and below 40 nothing is trimmed: mean 2000
    assert D(groups["A01.0:C"]["mean_cost"]) == D("2000.00")
    # n = 40: keep x[1] = 100 … x[39] = 3900: mean 100·(39·40/2)/39 = 2000 (untrimmed would be 2050)
    assert D(groups["A02.0:C"]["mean_cost"]) == D("2000.00")
    # n = 41: keep x[2] = 200 … x[40] = 4000: mean 100·(820 − 1)/39 = 2100
    assert D(groups["A03.0:C"]["mean_cost"]) == D("2100.00")
    assert groups["A02.0:C"]["case_count"] == "40"  # counts use all cases
    # with an upper quantile of 0.9, 39 cases stay untrimmed while 40 keep x[1]…x[36]
    _, groups, _, _ = build(workspace, tmp_path / "q", years=[2025], **{
        "dip.catalog.year_weights": [D(1)], "dip.catalog.trim_upper": D("0.9")})
    assert D(groups["A01.0:C"]["mean_cost"]) == D("2000.00")
    assert D(groups["A02.0:C"]["mean_cost"]) == D("1850.00")  # 100·(36·37/2)/36


def test_threshold_by_count_city_and_province(workspace, tmp_path) -> None:
    h = History(workspace.con)
    h.many(15, "K35.800", 5000, pp="47.0900")
    h.many(14, "K36.800", 5000, pp="47.0900")
    h.flush()
    _, groups, _, _ = build(workspace, tmp_path / "c", years=[2025], **{"dip.catalog.year_weights": [D(1)]})
    assert groups["K35.8:47.0900"]["group_type"] == "core"
    assert "K36.8:47.0900" not in groups
    assert groups["K36:ZS"]["group_type"] == "comprehensive" and groups["K36:ZS"]["treatment"] == "相关手术"
    _, groups, _, _ = build(workspace, tmp_path / "p", years=[2025], **{
        "dip.catalog.year_weights": [D(1)], "region.scope": "province"})
    assert set(groups) == {"K35:ZS", "K36:ZS"}  # 50 cases needed in a province


def test_threshold_by_coverage(workspace, tmp_path) -> None:
    h = History(workspace.con)
    for dx, n in (("A01.000", 50), ("A02.000", 30), ("A03.000", 15), ("A04.000", 5)):
        h.many(n, dx, 1000)
    h.flush()
    params = {"dip.catalog.year_weights": [D(1)], "dip.catalog.threshold_mode": "coverage"}
    # T = 15 keeps 50 + 30 + 15 = 95 of 100 cases (95 %); T = 30 would cover only 80 %
    result, groups, _, _ = build(workspace, tmp_path / "a", years=[2025], **params)
    assert result.threshold == 15
    assert {c for c, g in groups.items() if g["group_type"] == "core"} == {"A01.0:C", "A02.0:C", "A03.0:C"}
    assert result.figures["coverage"] == D("0.9500")
    result, _, _, _ = build(workspace, tmp_path / "b", years=[2025], **params, **{"dip.catalog.coverage_target": D("0.8")})
    assert result.threshold == 30


def test_related_procedure_rule_national_i21_example(workspace, tmp_path) -> None:
    h = History(workspace.con)
    h.many(15, "I21.000", 28033, pp="36.0700")                        # DES alone: ¥28,033
    h.many(15, "I21.000", 28849, pp="36.0700", others=["88.5500"])    # + angiography: +2.91 %
    h.many(15, "I21.000", 44003, pp="36.0700", others=["00.2400"])    # + IVUS: +56.97 %
    h.many(14, "I21.000", 90000, pp="36.0700", others=["99.2500"])    # big uplift, 14 cases
    h.flush()
    result, groups, _, _ = build(workspace, tmp_path / "p", years=[2025], **{"dip.catalog.year_weights": [D(1)]})
    ivus = groups["I21.0:36.0700+00.2400"]
    assert ivus["group_type"] == "core" and D(ivus["mean_cost"]) == D("44003.00") and ivus["case_count"] == "15"
    assert "I21.0:36.0700+88.5500" not in groups and "I21.0:36.0700+99.2500" not in groups
    pair = groups["I21.0:36.0700"]
    # the pair keeps its 15 base cases plus the folded 15 + 14: (15·28033 + 15·28849 + 14·90000) / 44
    assert pair["case_count"] == "44"
    assert D(pair["mean_cost"]) == (D(15 * 28033 + 15 * 28849 + 14 * 90000) / 44).quantize(D("0.01"))
    assert result.figures["combos"] == 3 and result.figures["combos_split"] == 1


def test_related_procedure_share_edge_is_inclusive(workspace, tmp_path) -> None:
    h = History(workspace.con)
    h.many(15, "A01.000", 10000, pp="47.0900")
    h.many(15, "A01.000", 11000, pp="47.0900", others=["54.5100"])    # exactly +10 %: own group
    h.many(15, "A02.000", 10000, pp="47.0900")
    h.many(15, "A02.000", "10999.99", pp="47.0900", others=["54.5100"])  # just below: folds
    h.flush()
    _, groups, _, _ = build(workspace, tmp_path / "p", years=[2025], **{"dip.catalog.year_weights": [D(1)]})
    assert "A01.0:47.0900+54.5100" in groups
    assert "A02.0:47.0900+54.5100" not in groups and groups["A02.0:47.0900"]["case_count"] == "30"


def test_case_with_more_procedures_joins_the_matching_combination(workspace, tmp_path) -> None:
    h = History(workspace.con)
    h.many(15, "I21.000", 28000, pp="36.0700")
    h.many(15, "I21.000", 44000, pp="36.0700", others=["00.2400"])
    h.many(2, "I21.000", 47000, pp="36.0700", others=["00.2400", "88.5500"])
    h.flush()
    _, groups, _, _ = build(workspace, tmp_path / "p", years=[2025], **{"dip.catalog.year_weights": [D(1)]})
    # the two cases with IVUS + angiography contain the core combination's terms: 17 cases there
    assert groups["I21.0:36.0700+00.2400"]["case_count"] == "17"
    assert groups["I21.0:36.0700"]["case_count"] == "15"


def test_excluded_cases_are_counted_and_unknown_attribute_stays_ungrouped(workspace, tmp_path) -> None:
    h = History(workspace.con)
    h.many(3, "K35.800", 1000, pp="99.9999")  # procedure code without attribute
    h.case(None, 1000)                         # no principal diagnosis
    h.many(2, "K35.800", 1000, pp="99.2500")
    h.flush()
    one_year = {"dip.catalog.year_weights": [D(1)]}
    # 3 of 5 usable cases (60 %) lack an attribute: above the 5 % default the build refuses …
    with pytest.raises(UserError, match=r"3 例（占纳入测算病例 5 例的 60\.00%）.*99\.9999（3 例）") as refused:
        build(workspace, tmp_path / "p", years=[2025], **one_year)
    assert refused.value.field == "dip.catalog.max_unknown_attribute_share" and not (tmp_path / "p").exists()
    # … at or below the policy share it builds, warns with the counts and keeps them ungrouped
    result, groups, _, _ = build(workspace, tmp_path / "q", years=[2025], **one_year,
                                 **{"dip.catalog.max_unknown_attribute_share": D("0.6")})
    assert result.status_counts == {"ok": 5, "no_principal_dx": 1}
    assert set(groups) == {"K35:ZZ"}
    assert result.figures["ungrouped_cases"] == 3
    assert len(result.warnings) == 1 and "3 例" in result.warnings[0] and "99.9999" in result.warnings[0]
    summary = (tmp_path / "q" / "summary.md").read_text(encoding="utf-8")
    assert "无有效主要诊断 1 例" in summary and "**警告**" in summary and "99.9999（3 例）" in summary


def test_build_without_any_procedure_attributes_names_the_missing_table(workspace, tmp_path) -> None:
    h = History(workspace.con)
    workspace.con.execute("UPDATE codes SET category = NULL WHERE kind = 'procedure'")
    h.many(3, "K35.800", 1000, pp="47.0900")
    h.many(3, "K35.800", 1000)
    h.flush()
    with pytest.raises(UserError, match="尚未加载手术操作属性表.*codes load --categories"):
        build(workspace, tmp_path / "p", years=[2025], **{"dip.catalog.year_weights": [D(1)]})
