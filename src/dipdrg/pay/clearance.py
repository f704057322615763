"""Annual clearance (年度清算, DESIGN.md §4.5, §4.6 "Clearance").

Per hospital: Σ(case score × settlement point value × fund ratio) × assessment coefficient −
audit deductions; the surplus or overrun against the item-billed fund amount is shared by the
policy's band tables (marginally, like tax brackets); the monthly payments made are subtracted.
Every figure traces to ``settle_cases`` (cases) and ``settle_bands_applied`` (bands) of the run.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import duckdb

from dipdrg.errors import UserError
from dipdrg.pay.basis import Basis, load_basis, method_basis
from dipdrg.pay.budget import budget_parameters, fund_budget
from dipdrg.pay.labels import labels
from dipdrg.pay.point_value import PointValues, annual_point_values, period_totals, record, write_params
from dipdrg.pay.policy_tables import assessment_default, deductions_outside, load_policy_tables
from dipdrg.pay.progress import Tick, no_tick
from dipdrg.pay.runs import run_inputs
from dipdrg.pay.sqlstep import drop_temp, persist, step
from dipdrg.policy import Policy
from dipdrg.workspace import Workspace


@dataclass(frozen=True)
class AnnualResult:
    run_id: str
    basis: Basis
    point_values: PointValues
    hospitals: int


def compute_year(
    con: duckdb.DuckDBPyConnection,
    policy: Policy,
    basis: Basis,
    year: int,
    monthly_source: str = "runs",
    tick: Tick = no_tick,
) -> PointValues:
    """Fill ``tmp_settle_cases``, ``tmp_settle_bands_applied`` and ``tmp_settle_annual`` (no writes).

    ``monthly_source`` is ``runs`` (the stored monthly runs of the year) or ``temp`` (months
    just computed into ``tmp_settle_monthly_all``, for a what-if). ``tick`` is called after
    each of the YEAR_STEPS steps.
    """
    load_policy_tables(con, policy)
    values = year_point_values(con, policy, basis, year)
    tick(f"{labels(basis.method).price}")
    write_params(con, [values])
    step(con, "special_approved", {"method": basis.method})
    step(con, "case_payment")
    tick("病例支付")
    params = {
        "method": basis.method,
        "period": str(year),
        "year_prefix": f"{year}-%",
        "default_coef": assessment_default(policy),
    }
    step(con, "monthly_paid_runs" if monthly_source == "runs" else "monthly_paid_temp", params)
    step(con, "annual_hospital", params)
    tick("机构年度应付")
    step(con, "annual_bands", params)
    step(con, "annual_final", params)
    tick("结余留用与超支分担")
    return values


YEAR_STEPS = 4          # ticks of compute_year
STORE_STEPS = 1         # the tick of storing a run's results


def year_point_values(con: duckdb.DuckDBPyConnection, policy: Policy, basis: Basis, year: int) -> PointValues:
    """Load the year's cases into ``tmp_settle_basis`` and price them: budget, fund ratio, point value."""
    load_basis(con, basis, date(year, 1, 1), date(year + 1, 1, 1), policy.get("settle.month_basis"), "year")
    totals = [t for t in period_totals(con) if t.period == str(year)]
    if not totals:
        words = labels(basis.method)
        raise UserError(f"{year} 年没有入组病例（{words.score_run} {basis.run_id}），无法清算", field="year")
    return annual_point_values(policy, basis, totals[0], fund_budget(con, policy, year, basis.method))


def settle_year(
    ws: Workspace, policy: Policy, year: int, score_run_id: str | None = None, method: str = "dip",
    tick: Tick = no_tick,
) -> AnnualResult:
    """Run and store the annual clearance of ``year`` by ``method`` (one run, all or nothing)."""
    con = ws.con
    basis = method_basis(con, method, score_run_id)
    try:
        with ws.run("settle-annual", inputs=run_inputs(con, basis, policy),
                    parameters=budget_parameters(policy, method)) as run_id:
            values = compute_year(con, policy, basis, year, tick=tick)
            record(con, run_id, basis, [values])
            persist(con, "tmp_settle_cases", "settle_cases", run_id)
            persist(con, "tmp_settle_bands_applied", "settle_bands_applied", run_id)
            hospitals = persist(con, "tmp_settle_annual", "settle_annual", run_id)
            tick("保存结果")
    finally:
        drop_temp(con)
    basis = replace(basis, warnings=basis.warnings + deductions_outside(policy, {year}))
    return AnnualResult(run_id, basis, values, hospitals)


def point_value_run(
    ws: Workspace, policy: Policy, year: int, score_run_id: str | None = None, method: str = "dip"
) -> tuple[str, PointValues]:
    """Compute and store the year's budget, fund ratio and point values (DRG: rates) only."""
    con = ws.con
    basis = method_basis(con, method, score_run_id)
    try:
        with ws.run("settle-point-value", inputs=run_inputs(con, basis, policy),
                    parameters=budget_parameters(policy, method)) as run_id:
            values = year_point_values(con, policy, basis, year)
            record(con, run_id, basis, [values])
    finally:
        drop_temp(con)
    return run_id, values
