"""Monthly prepayment, annual clearance, simulation, statements and what-if on the seven-case
region of test_pay_data.py; every expected figure is worked out by hand in the comments."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dipdrg.errors import UserError
from dipdrg.pay import sqlstep
from dipdrg.pay.clearance import settle_year
from dipdrg.pay.monthly import settle_months
from dipdrg.pay.review import apply, approve, audit
from dipdrg.pay.simulate import simulate
from dipdrg.pay.statements import write_statements
from dipdrg.pay.whatif import parse_assignments, what_if
from dipdrg.policy import load_policy
from test_pay_data import insert_region, write_policy

MONTHS = ["2026-01", "2026-02", "2026-03"]


@pytest.fixture()
def region(workspace, tmp_path: Path):
    insert_region(workspace.con)
    return workspace, load_policy(write_policy(tmp_path))


def _rows(ws, sql: str, *params):
    return ws.con.execute(sql, list(params)).fetchall()


def test_monthly_prepayment_by_hand(region) -> None:
    ws, policy = region
    result = settle_months(ws, policy, MONTHS)
    # Jan: grouped c1 c2 c5, fund/cost = 3250/4200 = 0.773809… → 0.7738 at budget PV 10.0000
    #   c1, c2: 1000.00 × 0.7738 = 773.80;  c5: 99.8766 × 10 = 998.77 × 0.7738 = 772.848… → 772.85
    # Feb: c3 c6, 8300/11200 = 0.741071… → 0.7411: c3 2500 × 0.7411 = 1852.75; c6 4000 × 0.7411 = 2964.40
    # Mar: c4, 450/600 = 0.7500: 501.23 × 0.75 = 375.9225 → 375.92
    assert [v.fund_ratio for v in result.point_values] == [D("0.7738"), D("0.7411"), D("0.7500")]
    rows = _rows(ws, "SELECT period, fixmedins_code, gross_due, reserve, deductions, payable"
                     " FROM settle_monthly WHERE run_id = ? ORDER BY 1, 2", result.run_id)
    assert rows == [
        ("2026-01", "H1", D("1547.60"), D("77.38"), D("0.00"), D("1470.22")),   # 5 % of 1547.60 = 77.38
        ("2026-01", "H2", D("772.85"), D("38.64"), D("0.00"), D("734.21")),     # 38.6425 → 38.64
        ("2026-02", "H1", D("1852.75"), D("92.64"), D("0.00"), D("1760.11")),   # 92.6375 → 92.64
        ("2026-02", "H2", D("2964.40"), D("148.22"), D("100.00"), D("2716.18")),  # − 100.00 deduction
        ("2026-03", "H1", D("375.92"), D("18.80"), D("0.00"), D("357.12")),     # 18.796 → 18.80
    ]
    # the ungrouped c7 is counted, not paid
    assert _rows(ws, "SELECT non_dip_cases, non_dip_fund FROM settle_monthly WHERE run_id = ?"
                     " AND period = '2026-02' AND fixmedins_code = 'H2'", result.run_id) == [(1, D("500.00"))]


def test_annual_clearance_by_hand(region) -> None:
    ws, policy = region
    settle_months(ws, policy, MONTHS)
    result = settle_year(ws, policy, 2026)
    pv = result.point_values
    # budget 20000 × 0.6 = 12000.00; ratio 12000/16000 = 0.7500; PV = 12000 / 0.75 / 1000 = 16.0000
    assert (pv.budget.amount, pv.fund_ratio, pv.settlement_pv, pv.applied_pv) == (
        D("12000.00"), D("0.7500"), D("16.0000"), D("16.0000"))
    cases = dict(_rows(ws, "SELECT setl_id, fund_due FROM settle_cases WHERE run_id = ?", result.run_id))
    # c4: 50.1234 × 16 = 801.9744 → 801.97 × 0.75 = 601.4775 → 601.48
    # c5: 99.8766 × 16 = 1598.0256 → 1598.03 × 0.75 = 1198.5225 → 1198.52
    assert cases == {"c1": D("1200.00"), "c2": D("1200.00"), "c3": D("3000.00"), "c4": D("601.48"),
                     "c5": D("1198.52"), "c6": D("4800.00"), "c7": None}
    rows = {r[0]: r[1:] for r in _rows(
        ws, "SELECT fixmedins_code, case_fund_due, assessed_due, due, billed_fund, balance, shared_amount,"
            " settled_amount, monthly_paid, final_amount FROM settle_annual WHERE run_id = ?", result.run_id)}
    # H1: due 6001.48, billed 5650.00, surplus 351.48; bands at 5 % = 300.07 and 10 % = 600.15:
    #     300.07 × 1 + (351.48 − 300.07) × 0.6 = 300.07 + 30.846 → 30.85 = 330.92 kept;
    #     settled 5650.00 + 330.92 = 5980.92; paid 1470.22 + 1760.11 + 357.12 = 3587.45 → 2393.47
    assert rows["H1"] == (D("6001.48"), D("6001.48"), D("6001.48"), D("5650.00"), D("351.48"),
                          D("330.92"), D("5980.92"), D("3587.45"), D("2393.47"))
    # H2: 5998.52 × 0.9 = 5398.668 → 5398.67; − 100.00 = 5298.67; billed 6350.00 → overrun 1051.33;
    #     bands 10 % = 529.87 (× 0.7 = 370.909 → 370.91), 15 % = 794.80 (264.93 × 0.5 = 132.465 → 132.47);
    #     the 256.53 beyond the last band is not shared: 503.38; settled 5802.05; paid 3450.39 → 2351.66
    assert rows["H2"] == (D("5998.52"), D("5398.67"), D("5298.67"), D("6350.00"), D("-1051.33"),
                          D("503.38"), D("5802.05"), D("3450.39"), D("2351.66"))
    # traceable: Σ case fund due of each hospital's cases = its case_fund_due
    assert _rows(ws, "SELECT fixmedins_code, SUM(fund_due) FROM settle_cases WHERE run_id = ?"
                     " GROUP BY 1 ORDER BY 1", result.run_id) == [("H1", D("6001.48")), ("H2", D("5998.52"))]


def test_clearance_without_monthly_runs_pays_the_whole_year(region) -> None:
    ws, policy = region
    result = settle_year(ws, policy, 2026)
    assert _rows(ws, "SELECT fixmedins_code, monthly_paid, months_paid, final_amount FROM settle_annual"
                     " WHERE run_id = ? ORDER BY 1", result.run_id) == [
        ("H1", D("0.00"), 0, D("5980.92")), ("H2", D("0.00"), 0, D("5802.05"))]


def test_discharge_date_basis_moves_a_case_to_its_discharge_month(region) -> None:
    ws, policy = region
    from dipdrg.policy.loader import with_overrides

    result = settle_months(ws, with_overrides(policy, {"settle.month_basis": "discharge"}), ["2026-01"])
    # c3 was discharged 2026-01-30: Jan = c1 c2 c3 c5, 6250/8400 = 0.744047… → 0.7440
    # H1: 744.00 + 744.00 + 2500 × 0.744 = 1860.00 → 3348.00
    assert result.point_values[0].fund_ratio == D("0.7440")
    assert _rows(ws, "SELECT gross_due FROM settle_monthly WHERE run_id = ? AND fixmedins_code = 'H1'",
                 result.run_id) == [(D("3348.00"),)]


@pytest.mark.parametrize("regime, extra, expected_pv, c5_due", [
    # fixed at the budget PV 10.0000: c5 998.77 × 0.75 = 749.0775 → 749.08
    ("fixed", "", D("10.0000"), D("749.08")),
    # fixed at 12.5: 99.8766 × 12.5 = 1248.4575 → 1248.46 × 0.75 = 936.345 → 936.35
    ("fixed", 'fixed_value = "12.5"\n', D("12.5000"), D("936.35")),
    # flexible 8:2: 0.8 × 10 + 0.2 × 16 = 11.2: 1118.6179 → 1118.62 × 0.75 = 838.965 → 838.97
    ("flexible", "", D("11.2000"), D("838.97")),
])
def test_point_value_regimes(region, tmp_path: Path, regime, extra, expected_pv, c5_due) -> None:
    ws, _ = region
    policy = load_policy(write_policy(tmp_path, f'\n[settle.point_value]\nregime = "{regime}"\n{extra}'))
    result = settle_year(ws, policy, 2026)
    assert result.point_values.applied_pv == expected_pv
    assert result.point_values.settlement_pv == D("16.0000")
    assert _rows(ws, "SELECT fund_due FROM settle_cases WHERE run_id = ? AND setl_id = 'c5'",
                 result.run_id) == [(c5_due,)]


def test_approved_special_cases_are_paid_by_item_or_adjusted_standard(region) -> None:
    ws, policy = region
    for setl_id, mode, amount in (("c6", "item", None), ("c3", "adjusted", D("5000"))):
        request = apply(ws, policy, setl_id, "高倍率", "费用超过标准 2 倍", "医院医保办")
        audit(ws, request, "经办审核员", "材料齐全")
    # cap: 6 grouped cases × 5 ‰ = 0 approvals; raise the cap for this test
    from dipdrg.policy.loader import with_overrides
    loose = with_overrides(policy, {"settle.special_case.cap_ratio_dip": "0.5"})
    approve(ws, loose, "TL-DIP-2026-00001", "科长", "同意", "item")
    approve(ws, loose, "TL-DIP-2026-00002", "科长", "同意", "adjusted", D("5000"))
    result = settle_year(ws, policy, 2026)
    cases = {r[0]: r[1:] for r in _rows(ws, "SELECT setl_id, special_mode, standard_amount, fund_due"
                                            " FROM settle_cases WHERE run_id = ?", result.run_id)}
    assert cases["c6"] == ("item", D("7000.00"), D("5300.00"))        # its billed fund amount
    assert cases["c3"] == ("adjusted", D("5000.00"), D("3750.00"))    # 5000 × 0.75
    assert cases["c1"] == (None, D("1600.00"), D("1200.00"))


def _bands(ws, policy, hosp_rows):
    """Run the band step alone on given (code, due, balance) rows."""
    from dipdrg.pay.policy_tables import load_policy_tables

    con = ws.con
    load_policy_tables(con, policy)
    con.execute("CREATE OR REPLACE TEMP TABLE tmp_settle_hosp (fixmedins_code VARCHAR,"
                " due DECIMAL(18,2), balance DECIMAL(18,2))")
    con.executemany("INSERT INTO tmp_settle_hosp VALUES (?, ?, ?)", hosp_rows)
    sqlstep.step(con, "annual_bands")
    rows = con.execute("SELECT fixmedins_code, band_no, part_amount, shared_amount"
                       " FROM tmp_settle_bands_applied ORDER BY 1, 2").fetchall()
    sqlstep.drop_temp(con)
    return rows


def test_bands_at_their_edges(region) -> None:
    ws, policy = region
    rows = _bands(ws, policy, [
        ("A", D("1000.00"), D("50.00")),     # surplus exactly at the 5 % edge: all in band 1
        ("B", D("1000.00"), D("100.00")),    # exactly at 10 %: 50 × 1 + 50 × 0.6 = 80
        ("C", D("1000.00"), D("-300.00")),   # overrun beyond the last band (15 %): 100 × .7 + 50 × .5 = 95
        ("D", D("-10.00"), D("-500.00")),    # nothing due: no band has room
        ("E", D("1000.00"), D("0.01")),      # one cent
    ])
    shared = {}
    for code, band, part, amount in rows:
        shared.setdefault(code, []).append((band, part, amount))
    assert shared["A"] == [(1, D("50.00"), D("50.00")), (2, D("0.00"), D("0.00")), (3, D("0.00"), D("0.00"))]
    assert shared["B"] == [(1, D("50.00"), D("50.00")), (2, D("50.00"), D("30.00")), (3, D("0.00"), D("0.00"))]
    assert shared["C"] == [(1, D("100.00"), D("70.00")), (2, D("50.00"), D("25.00"))]
    assert shared["D"] == [(1, D("0.00"), D("0.00")), (2, D("0.00"), D("0.00"))]
    assert shared["E"][0] == (1, D("0.01"), D("0.01"))


def test_simulated_payment_reasons_add_up(region) -> None:
    ws, policy = region
    run_id = simulate(ws, policy, 2026)
    rows = {r[0]: r[1:] for r in _rows(
        ws, "SELECT fixmedins_code, ffs_amount, settled_amount, difference, low_outlier, high_outlier,"
            " special_cases, coefficient, case_mix, assessment, deductions, sharing, main_reason"
            " FROM settle_sim_hospital WHERE run_id = ?", run_id)}
    # H1: c3 at coefficient 1 would get 200 × 16 × 0.75 = 2400.00 → coefficient +600.00;
    #     case mix: c2 +200.00, c3 −600.00 → −400.00; c4 low 601.48 − 450 = 151.48;
    #     sharing 5980.92 − 6001.48 = −20.56; total 330.92 = 5980.92 − 5650.00
    assert rows["H1"] == (D("5650.00"), D("5980.92"), D("330.92"), D("151.48"), D("0.00"), D("0.00"),
                          D("600.00"), D("-400.00"), D("0.00"), D("0.00"), D("-20.56"), "机构等级系数")
    for values in rows.values():
        assert values[2] == sum(values[3:11])
    groups = {r[0]: r[1:] for r in _rows(ws, "SELECT group_code, ffs_amount, dip_amount, difference, main_reason"
                                             " FROM settle_sim_group WHERE run_id = ?", run_id)}
    assert groups["G3"] == (D("5300.00"), D("4800.00"), D("-500.00"), "高倍率病例")


def _statement_values(directory: Path) -> dict:
    out = {}
    for path in sorted(directory.rglob("*")):
        if path.suffix == ".csv":
            out[str(path.relative_to(directory))] = path.read_bytes()
        elif path.suffix == ".xlsx":
            book = load_workbook(path)
            out[str(path.relative_to(directory))] = {
                name: [tuple(c.value for c in row) for row in book[name].iter_rows()] for name in book.sheetnames}
    return out


def test_rerun_gives_identical_statements(region, tmp_path: Path) -> None:
    ws, policy = region
    outputs = []
    for attempt in (1, 2):
        settle_months(ws, policy, MONTHS)
        settle_year(ws, policy, 2026)
        outputs.append(_statement_values(write_statements(ws, 2026, tmp_path / f"out{attempt}").directory))
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == 12
    summary = (tmp_path / "out1" / "地区汇总_2026.csv").read_text(encoding="utf-8-sig").splitlines()
    assert summary[1].startswith("H1,一号医院,4,500.1234,6001.48")
    assert summary[-1].startswith("合计,,6,1000.0000,12000.00")
    sheet = load_workbook(tmp_path / "out1" / "医疗机构" / "H2_2026.xlsx")["年度清算"]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.print_title_rows == "$1:$1"
    lines = {row[0].value: row[1].value for row in sheet.iter_rows(min_row=2)}
    assert D(str(lines["清算应拨付"])) == D("2351.66") and lines["医疗机构名称"] == "二号医院"
    # identical runs record identical input hashes
    inputs = _rows(ws, "SELECT DISTINCT inputs FROM runs WHERE kind = 'settle-annual'")
    assert len(inputs) == 1 and '"cases"' in inputs[0][0]


def _counts(ws) -> dict:
    tables = ["runs", "settle_point_values", "settle_cases", "settle_monthly", "settle_annual",
              "settle_bands_applied", "settle_sim_hospital", "settle_sim_group"]
    return {t: ws.con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}


def test_interrupted_run_leaves_no_trace(region, monkeypatch) -> None:
    ws, policy = region
    before = _counts(ws)
    real = sqlstep.step

    def failing(con, name, params=None):
        if name == "annual_final":
            raise RuntimeError("断电")
        return real(con, name, params)

    monkeypatch.setattr("dipdrg.pay.clearance.step", failing)
    with pytest.raises(RuntimeError, match="断电"):
        settle_year(ws, policy, 2026)
    assert _counts(ws) == before
    assert not ws.con.execute("SELECT COUNT(*) FROM information_schema.tables"
                              " WHERE table_name LIKE 'tmp_settle_%'").fetchone()[0]


def test_what_if_changes_payments_and_leaves_the_workspace_unchanged(region) -> None:
    ws, policy = region
    settle_months(ws, policy, MONTHS)
    settle_year(ws, policy, 2026)
    before = _counts(ws)
    rows = {r[0]: r for r in what_if(ws, policy, parse_assignments(["settle.reserve_ratio=0.03"]), 2026)}
    # reserve 3 %: H1 46.43 + 55.58 + 11.28 = 113.29 held → paid 3776.27 − 113.29 = 3662.98;
    # the year's total is unchanged, the final payment falls by 75.53
    h1 = rows["H1"]
    assert (h1[2], h1[3], h1[4], h1[5], h1[6]) == (D("3587.45"), D("3662.98"), D("5980.92"), D("5980.92"), D("0.00"))
    assert h1[9] == D("-75.53")
    assert _counts(ws) == before
    with pytest.raises(UserError, match="--set 应写作"):
        parse_assignments(["settle.reserve_ratio"])
