"""Annual clearance (年度清算, DESIGN.md §4.5, §4.6 "Clearance").

Per hospital: Σ(case score × settlement point value × fund ratio) × assessment coefficient −
audit deductions; the surplus or overrun against the item-billed fund amount is shared by the
policy's band tables (marginally, like tax brackets); the monthly payments made are subtracted.
Every figure traces to ``settle_cases`` (cases) and ``settle_bands_applied`` (bands) of the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from dipdrg.errors import UserError
from dipdrg.pay.basis import Basis, load_basis, method_basis
from dipdrg.pay.budget import fund_budget
from dipdrg.pay.point_value import PointValues, annual_point_values, period_totals, record, write_params
from dipdrg.pay.policy_tables import assessment_default, load_policy_tables
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
) -> PointValues:
    """Fill ``tmp_settle_cases``, ``tmp_settle_bands_applied`` and ``tmp_settle_annual`` (no writes).

    ``monthly_source`` is ``runs`` (the stored monthly runs of the year) or ``temp`` (months
    just computed into ``tmp_settle_monthly_all``, for a what-if).
    """
    load_basis(con, basis, date(year, 1, 1), date(year + 1, 1, 1), policy.get("settle.month_basis"), "year")
    totals = [t for t in period_totals(con) if t.period == str(year)]
    if not totals:
        raise UserError(f"{year} 年没有入组病例（分值测算运行 {basis.run_id}），无法清算", field="year")
    values = annual_point_values(policy, basis, totals[0], fund_budget(con, policy, year))
    write_params(con, [values])
    step(con, "special_approved", {"method": basis.method})
    load_policy_tables(con, policy)
    step(con, "case_payment")
    params = {
        "method": basis.method,
        "period": str(year),
        "year_prefix": f"{year}-%",
        "default_coef": assessment_default(policy),
    }
    step(con, "monthly_paid_runs" if monthly_source == "runs" else "monthly_paid_temp", params)
    step(con, "annual_hospital", params)
    step(con, "annual_bands", params)
    step(con, "annual_final", params)
    return values


def settle_year(
    ws: Workspace, policy: Policy, year: int, score_run_id: str | None = None, method: str = "dip"
) -> AnnualResult:
    """Run and store the annual clearance of ``year`` by ``method`` (one run, all or nothing)."""
    con = ws.con
    basis = method_basis(con, method, score_run_id)
    try:
        with ws.run("settle-annual", inputs=run_inputs(con, basis, policy),
                    parameters=policy.used("settle")) as run_id:
            values = compute_year(con, policy, basis, year)
            record(con, run_id, basis, [values])
            persist(con, "tmp_settle_cases", "settle_cases", run_id)
            persist(con, "tmp_settle_bands_applied", "settle_bands_applied", run_id)
            hospitals = persist(con, "tmp_settle_annual", "settle_annual", run_id)
    finally:
        drop_temp(con)
    return AnnualResult(run_id, basis, values, hospitals)


def point_value_run(
    ws: Workspace, policy: Policy, year: int, score_run_id: str | None = None, method: str = "dip"
) -> tuple[str, PointValues]:
    """Compute and store the year's budget, fund ratio and point values (DRG: rates) only."""
    con = ws.con
    basis = method_basis(con, method, score_run_id)
    try:
        with ws.run("settle-point-value", inputs=run_inputs(con, basis, policy),
                    parameters=policy.used("settle")) as run_id:
            load_basis(con, basis, date(year, 1, 1), date(year + 1, 1, 1),
                       policy.get("settle.month_basis"), "year")
            totals = [t for t in period_totals(con) if t.period == str(year)]
            if not totals:
                raise UserError(f"{year} 年没有入组病例，无法计算点值", field="year")
            values = annual_point_values(policy, basis, totals[0], fund_budget(con, policy, year))
            record(con, run_id, basis, [values])
    finally:
        drop_temp(con)
    return run_id, values
