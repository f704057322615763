"""Monthly prepayment (月度预付, DESIGN.md §4.5) with the quality reserve and audit deductions.

Each month's DIP cases are paid at the budget point value (预算点值) and the month's own fund
ratio (or, by policy, at their billed fund amount); the quality reserve (质量保证金) is held
back and released at the annual clearance; the month's audit deductions are subtracted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import duckdb

from dipdrg.pay.basis import Basis, load_basis, method_basis
from dipdrg.pay.point_value import (
    PointValues, monthly_point_values, period_totals, record, write_params,
)
from dipdrg.pay.policy_tables import deductions_outside, load_policy_tables
from dipdrg.pay.progress import Tick, no_tick
from dipdrg.pay.runs import month_label, month_start, next_month_start, parse_month, run_inputs
from dipdrg.pay.sqlstep import drop_temp, persist, step
from dipdrg.policy import Policy
from dipdrg.workspace import Workspace


@dataclass(frozen=True)
class MonthlyResult:
    run_id: str
    basis: Basis
    point_values: list[PointValues]
    hospitals: int


def compute_months(
    con: duckdb.DuckDBPyConnection, policy: Policy, basis: Basis, months: list[str], tick: Tick = no_tick
) -> list[PointValues]:
    """Fill ``tmp_settle_cases`` and ``tmp_settle_monthly`` for the given months (no writes).

    All months are computed together (set-based); ``tick`` is called after each of MONTH_STEPS.
    """
    parsed = sorted({parse_month(m) for m in months})
    labels = [month_label(*m) for m in parsed]
    load_policy_tables(con, policy)
    load_basis(con, basis, month_start(*parsed[0]), next_month_start(*parsed[-1]),
               policy.get("settle.month_basis"), "month")
    con.execute("CREATE OR REPLACE TEMP TABLE tmp_settle_periods (period VARCHAR PRIMARY KEY)")
    con.executemany("INSERT INTO tmp_settle_periods VALUES (?)", [(m,) for m in labels])
    con.execute("DELETE FROM tmp_settle_basis WHERE period NOT IN (SELECT period FROM tmp_settle_periods)")
    values = monthly_point_values(policy, basis, period_totals(con))
    tick(f"{len(labels)} 个月的基金支付比例")
    write_params(con, values)
    step(con, "special_approved", {"method": basis.method})
    step(con, "case_payment")
    tick("病例支付")
    step(con, "monthly_hospital", {
        "method": basis.method,
        "monthly_basis": policy.get("settle.monthly.basis"),
        "reserve_ratio": policy.get("settle.reserve_ratio"),
    })
    tick("机构月度预付")
    return values


MONTH_STEPS = 3         # ticks of compute_months


def settle_months(
    ws: Workspace, policy: Policy, months: list[str], score_run_id: str | None = None, method: str = "dip",
    tick: Tick = no_tick,
) -> MonthlyResult:
    """Run and store the monthly prepayment of ``months`` by ``method`` (one run, all or nothing)."""
    con = ws.con
    basis = method_basis(con, method, score_run_id)
    try:
        with ws.run("settle-monthly", inputs=run_inputs(con, basis, policy),
                    parameters=policy.used("settle")) as run_id:
            values = compute_months(con, policy, basis, months, tick)
            record(con, run_id, basis, values)
            persist(con, "tmp_settle_cases", "settle_cases", run_id)
            hospitals = persist(con, "tmp_settle_monthly", "settle_monthly", run_id)
            tick("保存结果")
    finally:
        drop_temp(con)
    years = {parse_month(m)[0] for m in months}
    basis = replace(basis, warnings=basis.warnings + deductions_outside(policy, years))
    return MonthlyResult(run_id, basis, values, hospitals)
