"""Policy tables the SQL steps join: audit deductions, assessment coefficients, band tables.

They are small (one row per hospital or band), so they are written from the policy into
temporary tables rather than interpolated into SQL.
"""

from __future__ import annotations

import duckdb

from dipdrg.errors import UserError
from dipdrg.money import four, money, to_decimal
from dipdrg.pay.sqlstep import step
from dipdrg.policy import Policy


def load_policy_tables(con: duckdb.DuckDBPyConnection, policy: Policy) -> None:
    """Write ``tmp_settle_deductions``, ``tmp_settle_coefs`` and ``tmp_settle_bands``.

    A deduction or coefficient for a hospital that exists nowhere is refused (it would
    otherwise be silently misapplied), naming the policy row and the code.
    """
    con.execute(
        "CREATE OR REPLACE TEMP TABLE tmp_settle_deductions ("
        " row_no INTEGER, fixmedins_code VARCHAR, period VARCHAR, amount DECIMAL(18,2), reason VARCHAR)"
    )
    rows = [
        (number, str(r["fixmedins_code"]).strip(), str(r["month"]), money(r["amount"]), str(r.get("reason", "")))
        for number, r in enumerate(policy.get("settle.audit_deductions"), start=1)
    ]
    if rows:
        con.executemany("INSERT INTO tmp_settle_deductions VALUES (?, ?, ?, ?, ?)", rows)

    con.execute(
        "CREATE OR REPLACE TEMP TABLE tmp_settle_coefs ("
        " row_no INTEGER, fixmedins_code VARCHAR PRIMARY KEY, coefficient DECIMAL(18,4))"
    )
    rows = [
        (number, str(r["fixmedins_code"]).strip(), four(r["coefficient"]))
        for number, r in enumerate(policy.get("settle.assessment.hospitals"), start=1)
    ]
    if rows:
        con.executemany("INSERT INTO tmp_settle_coefs VALUES (?, ?, ?)", rows)
    _refuse_unknown_hospitals(con)

    con.execute(
        "CREATE OR REPLACE TEMP TABLE tmp_settle_bands ("
        " kind VARCHAR, band_no INTEGER, lower_ratio DECIMAL(18,4), upper_ratio DECIMAL(18,4),"
        " share DECIMAL(18,4))"
    )
    rows = [
        (kind, number, four(band["lower"]),
         four(band["upper"]) if band.get("upper") is not None else None, four(band["share"]))
        for kind in ("surplus", "overrun")
        for number, band in enumerate(policy.get(f"settle.bands.{kind}"), start=1)
    ]
    if rows:
        con.executemany("INSERT INTO tmp_settle_bands VALUES (?, ?, ?, ?, ?)", rows)


def _refuse_unknown_hospitals(con: duckdb.DuckDBPyConnection) -> None:
    unknown = step(con, "policy_unknown_hospitals").fetchall()
    if unknown:
        what = {"settle.audit_deductions": "审核扣款", "settle.assessment.hospitals": "考核系数"}
        lines = [f"政策参数 {key} 第 {number} 行（{what[key]}）：医疗机构编码 {code} 不在医疗机构表中，"
                 "也没有该机构的结算清单" for key, number, code in unknown]
        raise UserError("；\n".join(lines) + "。请核对机构编码，或先导入医疗机构表", field=unknown[0][0])


def deductions_outside(policy: Policy, years: set[int]) -> tuple[str, ...]:
    """A warning naming the audit deductions dated outside ``years`` (empty when none).

    Deductions are applied in the month they are dated (DIP 技术规范 §6.4), so a settlement of
    other years never sees them; saying so keeps a mistyped year from vanishing unnoticed.
    The policy check has already made every month ``YYYY-MM``.
    """
    outside = [
        f"第 {number} 行 {str(r['fixmedins_code']).strip()} {r['month']} {money(r['amount'])} 元"
        for number, r in enumerate(policy.get("settle.audit_deductions"), start=1)
        if int(str(r["month"])[:4]) not in years
    ]
    if not outside:
        return ()
    span = "、".join(str(y) for y in sorted(years))
    return (f"政策参数 settle.audit_deductions 中有 {len(outside)} 条审核扣款的月份不在 {span} 年内，"
            f"本次结算未扣减：{'；'.join(outside)}",)


def assessment_default(policy: Policy):
    """The coefficient of hospitals the assessment table does not list."""
    return four(to_decimal(policy.get("settle.assessment.default")))
