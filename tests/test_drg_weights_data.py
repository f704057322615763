"""Rows for the DRG weights and payment tests: hospitals, cases and DRG grouping results written
with plain SQL (the grouper is not involved), so every expected figure can be worked by hand."""

from __future__ import annotations

GROUP_RUN = "drg-group-1"


def hospitals(con) -> None:
    con.execute("INSERT INTO hospitals VALUES ('H3', '三级医院', '3', '综合', 'A', 'i'),"
                " ('H2', '二级医院', '2', '综合', 'B', 'i')")


def group_run(con, run_id: str = GROUP_RUN, started: str = "2026-01-01 00:00:00") -> str:
    con.execute("INSERT INTO runs VALUES (?, 'drg-group', CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP), '{}', '{}')",
                [run_id, started, started])
    return run_id


def case(con, setl_id: str, drg: str | None, cost: str | None, *, year: int = 2025, hosp: str = "H3",
         fund: str | None = None, los: int | None = None, settled: str | None = None,
         status: str = "SUCCESS", run_id: str = GROUP_RUN) -> None:
    """One case and its grouping row; ``drg=None`` is an ungrouped case (0000, status FAIL)."""
    settled = settled or f"{year}-06-15"
    con.execute(
        "INSERT INTO cases (setl_id, fixmedins_code, medfee_sumamt, hifp_pay, setl_end_date, dscg_time,"
        " act_ipt_days, import_id, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, 'i', ?)",
        [setl_id, hosp, cost, fund if fund is not None else cost, settled, f"{settled} 09:00:00", los,
         f"h-{setl_id}"])
    if drg is None:
        status, mdc, adrg, drg = ("FAIL" if status == "SUCCESS" else status), "0000", "00", "0000"
    else:
        mdc, adrg = f"MDC{drg[0]}", drg[:3]
    con.execute("INSERT INTO drg_case_groups VALUES (?, ?, ?, ?, ?, ?, NULL, 'chs-drg', '1.1', 'pack-sha')",
                [run_id, setl_id, mdc, adrg, drg, status])
