"""Simulated payment (模拟付费, DESIGN.md §4.5): the same year settled by DIP (or DRG) and by
fee-for-service (each case's billed fund amount) side by side, per hospital and per group,
with the difference split into reasons that add up to it (outliers, special cases, institution
coefficient, case mix and cost, assessment, deductions, band sharing). The stored tables are
shown and exported by ``simulation_report.py``.
"""

from __future__ import annotations

from dipdrg.pay.basis import method_basis
from dipdrg.pay.budget import budget_parameters
from dipdrg.pay.clearance import compute_year
from dipdrg.pay.point_value import record
from dipdrg.pay.progress import Tick, no_tick
from dipdrg.pay.runs import run_inputs
from dipdrg.pay.sqlstep import drop_temp, persist, step
from dipdrg.policy import Policy
from dipdrg.workspace import Workspace

SIMULATE_STEPS = 2      # ticks of simulate beyond compute_year: the comparison, storing


def simulate(ws: Workspace, policy: Policy, year: int, score_run_id: str | None = None,
             method: str = "dip", tick: Tick = no_tick) -> str:
    """Run and store the simulation of ``year`` by ``method``; returns the run id."""
    con = ws.con
    basis = method_basis(con, method, score_run_id)
    try:
        with ws.run("settle-simulate", inputs=run_inputs(con, basis, policy),
                    parameters=budget_parameters(policy, method)) as run_id:
            values = compute_year(con, policy, basis, year, tick=tick)
            params = {"method": basis.method}
            step(con, "simulate_cases", params)
            step(con, "simulate_hospital", params)
            step(con, "simulate_group", params)
            tick("与按项目付费对比")
            record(con, run_id, basis, [values])
            persist(con, "tmp_settle_cases", "settle_cases", run_id)
            persist(con, "tmp_settle_sim_hospital", "settle_sim_hospital", run_id)
            persist(con, "tmp_settle_sim_group", "settle_sim_group", run_id)
            tick("保存结果")
    finally:
        drop_temp(con)
    return run_id
