"""Money, scores and statistics are exact (DESIGN §4.6 "Rounding"; §7 "the same money to the cent").

Each test below is built on a hand-made witness where a binary (DOUBLE) path or a formula fed
with an unrounded input gives a different cent or 4th decimal than the exact rule; the last one
is a property test of the settlement's reconciliation identities on tiny random regions.
"""

from __future__ import annotations

import csv
import tempfile
from collections import defaultdict
from decimal import Decimal as D
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dipdrg.dip.pack.manifest import Manifest, write_manifest
from dipdrg.dip.score.exact import install_macros
from dipdrg.dip.score.score import score_cases as dip_score_cases
from dipdrg.drg.weights.score import score_cases as drg_score_cases
from dipdrg.money import money
from dipdrg.pay.clearance import settle_year
from dipdrg.pay.monthly import settle_months
from dipdrg.pay.statements import write_statements
from dipdrg.policy import load_policy
from dipdrg.sqlfiles import run_sql
from dipdrg.workspace import init_workspace
from test_dip_catalog_fixtures import History, policy
from test_dip_score_outliers import group_run as dip_group_run
from test_drg_weights_data import case as drg_case, group_run as drg_group_run, hospitals as drg_hospitals


def _cv(costs: list[str]) -> D:
    """The stored CV of one set of one-year costs, through the catalog's statistics steps."""
    con = duckdb.connect()
    install_macros(con)
    con.execute("CREATE TEMP TABLE cat_year_weights (case_year INTEGER, weight DECIMAL(18,6))")
    con.execute("INSERT INTO cat_year_weights VALUES (2025, 7)")
    con.execute("CREATE TEMP TABLE cat_stat_input (set_key VARCHAR, case_year INTEGER, cost DECIMAL(18,2),"
                " los INTEGER, drug DECIMAL(18,2), material DECIMAL(18,2))")
    con.executemany("INSERT INTO cat_stat_input VALUES ('G', 2025, ?, 1, 0, 0)", [[c] for c in costs])
    run_sql(con, "dipdrg.dip.catalog", "stats_year_sums.sql")
    run_sql(con, "dipdrg.dip.catalog", "stats_weighted.sql")
    return con.execute("SELECT cv FROM cat_stat_result").fetchone()[0]


def test_cv_is_rounded_half_up_from_its_decimal_value() -> None:
    # two costs a, b: mean (a + b)/2, population sd (b − a)/2, CV = (b − a)/(a + b);
    # 2999.50 and 17000.50: 14001 / 20000 = 0.70005 exactly (every DOUBLE step is exact here:
    # E[x²] = 149007000.25, variance 49007000.25, sd 7000.5) → half up 0.7001. The DOUBLE 0.70005
    # is 0.70004999999999995…, which a direct DOUBLE → DECIMAL cast turns into 0.7000.
    naive = duckdb.connect().execute("SELECT CAST(CAST(0.70005 AS DOUBLE) AS DECIMAL(18,4))").fetchone()[0]
    assert naive == D("0.7000")
    assert _cv(["2999.50", "17000.50"]) == D("0.7001")
    # 1.50 / 20000 = 0.000075 → 0.0001; equal costs give exactly 0
    assert _cv(["9999.25", "10000.75"]) == D("0.0001")
    assert _cv(["123.45", "123.45", "123.45"]) == D("0.0000")


def _dip_pack(directory: Path) -> Path:
    directory.mkdir()
    (directory / "groups.csv").write_text(
        "group_code,group_name,group_type,dx_key,procedures,treatment,score,primary_care\n"
        "K35.8:47.0900,阑尾炎,core,K35.8,47.0900,手术操作,1234.5678,0\n", encoding="utf-8")
    (directory / "coefficients.csv").write_text(
        "hosp_lv,group_code,coefficient,case_count\n3,,0.8765,10\n", encoding="utf-8")
    (directory / "aux_types.csv").write_text(
        "group_code,aux_kind,subtype,coefficient,case_count,cv_before,cv_after\n", encoding="utf-8")
    write_manifest(directory, Manifest(id="t", kind="dip-local", version="1", budget_point_value="10.0001"))
    return directory


def test_dip_standard_is_made_of_the_rounded_case_score(workspace, tmp_path: Path) -> None:
    # case score = 1234.5678 × 0.8765 = 1082.09867670 → 1082.0987;
    # standard = 1082.0987 × 10.0001 = 10821.09520987 → 10821.10 (§4.5 case score × point value).
    # From the unrounded score it would be 10821.094976… → 10821.09, one cent off the standard
    # the monthly settlement pays the same case at the same (budget) point value.
    h = History(workspace.con)
    h.case("K35.800", "9000.00", pp="47.0900", hosp="H3", setl_id="a")
    h.flush()
    workspace.con.execute("UPDATE cases SET hifp_pay = 6000.00")
    run = dip_group_run(workspace, {"a": "K35.8:47.0900"})
    result = dip_score_cases(workspace, _dip_pack(tmp_path / "pack"), policy(), group_run=run)
    row = workspace.con.execute("SELECT case_score, standard_cost, outlier FROM dip_case_scores"
                                " WHERE run_id = ?", [result.run_id]).fetchone()
    assert row == (D("1082.0987"), D("10821.10"), None)
    monthly = settle_months(workspace, policy(), ["2025-06"], result.run_id)
    paid = workspace.con.execute("SELECT standard_amount FROM settle_cases WHERE run_id = ?",
                                 [monthly.run_id]).fetchone()[0]
    assert paid == row[1]


def test_dip_low_outlier_uses_the_rounded_score_and_standard(workspace, tmp_path: Path) -> None:
    # cost 5000.00 < 0.5 × 10821.10: low score = 1082.0987 × 5000 / 10821.10 = 499.99477… → 499.9948
    # (with the unrounded 1082.09867670 and 10821.09 it would be 499.99523… → 499.9952)
    h = History(workspace.con)
    h.case("K35.800", "5000.00", pp="47.0900", hosp="H3", setl_id="a")
    h.flush()
    run = dip_group_run(workspace, {"a": "K35.8:47.0900"})
    result = dip_score_cases(workspace, _dip_pack(tmp_path / "pack"), policy(), group_run=run)
    row = workspace.con.execute("SELECT outlier, case_score FROM dip_case_scores WHERE run_id = ?",
                                [result.run_id]).fetchone()
    assert row == ("low", D("499.9948"))


DRG_POLICY = """
[region]
year = 2026

[drg]
rate = "10000"

[drg.coefficient]
level_3 = "1.1"
"""


def test_drg_standard_is_made_of_the_rounded_units(workspace, tmp_path: Path) -> None:
    # units = 1.2345 × 1.1 = 1.35795 → 1.3580 (half up); standard = 1.3580 × 10000 = 13580.00.
    # From the unrounded units it would be 13579.50, fifty cents off the settlement's standard.
    drg_hospitals(workspace.con)
    drg_group_run(workspace.con)
    drg_case(workspace.con, "a", "AAA1", "20000.00", year=2026, fund="15000.00")
    weights = tmp_path / "weights.csv"
    weights.write_text("drg,rw\nAAA1,1.2345\n", encoding="utf-8")
    (tmp_path / "policy.toml").write_text(DRG_POLICY, encoding="utf-8")
    pol = load_policy(tmp_path / "policy.toml")
    result = drg_score_cases(workspace, pol, str(weights))
    row = workspace.con.execute("SELECT case_units, standard_cost, cost_ratio FROM drg_case_scores"
                                " WHERE run_id = ?", [result.run_id]).fetchone()
    assert row == (D("1.3580"), D("13580.00"), D("1.4728"))  # 20000 / 13580 = 1.47275… → 1.4728
    monthly = settle_months(workspace, pol, ["2026-06"], result.run_id, method="drg")
    paid = workspace.con.execute("SELECT standard_amount FROM settle_cases WHERE run_id = ?",
                                 [monthly.run_id]).fetchone()[0]
    assert paid == row[1]


# --- reconciliation identities on tiny random regions -------------------------------------

CENTS = st.integers(1, 2_000_000).map(lambda c: D(c) / 100)          # 0.01 … 20,000.00 yuan
SCORES = st.integers(1, 20_000_000).map(lambda u: D(u) / 10000)       # 0.0001 … 2,000.0000
COEF = st.integers(5000, 15000).map(lambda u: D(u) / 10000)           # 0.5000 … 1.5000


@st.composite
def regions(draw):
    hospitals = ["H1", "H2", "H3"][: draw(st.integers(1, 3))]
    cases = []
    for i in range(draw(st.integers(1, 8))):
        cost = draw(CENTS)
        fund = min(cost, draw(CENTS))
        cases.append({
            "setl_id": f"c{i}", "hosp": draw(st.sampled_from(hospitals)), "month": draw(st.integers(1, 12)),
            "score": draw(st.none() | SCORES) if i else draw(SCORES),   # c0 always grouped
            "cost": cost, "fund": fund, "outlier": draw(st.sampled_from([None, None, "low", "high"])),
        })
    coefs = {h: draw(COEF) for h in hospitals}
    deduction = (draw(st.sampled_from(hospitals)), draw(st.integers(1, 12)), draw(CENTS))
    fund_total = draw(st.integers(100, 10_000_000).map(lambda c: D(c) / 100))
    budget_pv = draw(st.integers(10_000, 300_000).map(lambda u: D(u) / 10000))
    return hospitals, cases, coefs, deduction, fund_total, budget_pv


def _insert(con, hospitals, cases, budget_pv) -> None:
    con.executemany("INSERT INTO hospitals VALUES (?, ?, '2', '综合', 'A', 'i')",
                    [(h, f"医院{h}") for h in hospitals])
    con.execute("INSERT INTO runs VALUES ('score-1', 'dip-score', TIMESTAMP '2026-01-01 00:00:00',"
                " TIMESTAMP '2026-01-01 00:00:01', '{}', '{}')")
    for c in cases:
        day = f"2026-{c['month']:02d}-15"
        con.execute("INSERT INTO cases (setl_id, fixmedins_code, medfee_sumamt, hifp_pay, setl_end_date, dscg_time,"
                    " import_id, content_hash) VALUES (?, ?, ?, ?, ?, ?, 'i', ?)",
                    [c["setl_id"], c["hosp"], c["cost"], c["fund"], day, f"{day} 10:00:00", f"h-{c['setl_id']}"])
        grouped = c["score"] is not None
        con.execute(
            "INSERT INTO dip_case_scores (run_id, group_run_id, setl_id, fixmedins_code, hosp_lv, group_code,"
            " group_type, primary_care, base_score, level_coefficient, aux_kind, aux_coefficient, point_value,"
            " medfee_sumamt, outlier, case_score, pack_sha256)"
            " VALUES ('score-1', 'g', ?, ?, '2', ?, 'core', FALSE, ?, 1, NULL, 1, ?, ?, ?, ?, 'p')",
            [c["setl_id"], c["hosp"], "G" if grouped else None, c["score"], budget_pv if grouped else None,
             c["cost"], c["outlier"] if grouped else None, c["score"]])


def _policy_text(coefs, deduction, fund_total) -> str:
    hosp, month, amount = deduction
    rows = ", ".join(f'{{ fixmedins_code = "{h}", coefficient = "{v}" }}' for h, v in coefs.items())
    return f"""
[settle]
month_basis = "settlement"
reserve_ratio = "0.05"
audit_deductions = [ {{ fixmedins_code = "{hosp}", month = "2026-{month:02d}", amount = "{amount}" }} ]

[settle.budget]
method = "ratio"
fund_total = "{fund_total}"
dip_share = "0.6"

[settle.assessment]
hospitals = [ {rows} ]

[settle.bands]
surplus = [ {{ lower = "0", upper = "0.05", share = "1" }}, {{ lower = "0.05", upper = "0.10", share = "0.6" }},
            {{ lower = "0.10", share = "0" }} ]
overrun = [ {{ lower = "0", upper = "0.10", share = "0.7" }}, {{ lower = "0.10", upper = "0.15", share = "0.5" }} ]
"""


def _csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(regions())
def test_settlement_reconciles_to_the_cent(region) -> None:
    hospitals, cases, coefs, deduction, fund_total, budget_pv = region
    with tempfile.TemporaryDirectory() as tmp:
        ws = init_workspace(Path(tmp) / "ws")
        try:
            _insert(ws.con, hospitals, cases, budget_pv)
            (Path(tmp) / "policy.toml").write_text(_policy_text(coefs, deduction, fund_total), encoding="utf-8")
            pol = load_policy(Path(tmp) / "policy.toml")
            months = [f"2026-{m:02d}" for m in range(1, 13)]
            settle_months(ws, pol, months)
            settle_year(ws, pol, 2026)
            out = write_statements(ws, 2026, Path(tmp) / "out").directory
        finally:
            ws.close()
        case_rows = _csv(out / "病例明细_2026.csv")
        summary = _csv(out / "地区汇总_2026.csv")
        monthly = _csv(out / "月度预付_2026.csv")
    due = defaultdict(D)
    for row in case_rows:                                   # the printed case rows
        if row["基金应付"]:
            due[row["医疗机构编码"]] += D(row["基金应付"])
            # each printed case: standard = round(units × PV, 2), fund due = round(standard × ratio, 2)
            assert D(row["支付标准"]) == money(D(row["病例分值"]) * D(row["点值"]))
            assert D(row["基金应付"]) == money(D(row["支付标准"]) * D(row["基金支付比例"]))
    *rows, total = summary
    assert total["医疗机构编码"] == "合计" and {r["医疗机构编码"] for r in rows} <= set(hospitals)
    paid = defaultdict(D)
    for m in monthly:
        assert D(m["本月预付"]) == D(m["预付基数"]) - D(m["质量保证金"]) - D(m["审核扣款"])
        paid[m["医疗机构编码"]] += D(m["本月预付"])
    for r in rows:
        code = r["医疗机构编码"]
        assert D(r["病例基金应付"]) == due[code]           # Σ case fund due = hospital's
        assert D(r["已拨付"]) == paid[code]                 # Σ monthly payable = paid
        assert D(r["年度应付"]) == D(r["考核后应付"]) - D(r["审核扣款"])
        assert D(r["结余或超支"]) == D(r["年度应付"]) - D(r["按项目统筹基金"])
        assert D(r["清算应拨付"]) == D(r["年度清算总额"]) - D(r["已拨付"])  # final = settled − paid
    for header in ("病例基金应付", "考核后应付", "年度应付", "年度清算总额", "已拨付", "清算应拨付"):
        assert D(total[header]) == sum((D(r[header]) for r in rows), D(0))   # Σ hospitals = region
    assert D(total["病例基金应付"]) == sum(due.values(), D(0))
