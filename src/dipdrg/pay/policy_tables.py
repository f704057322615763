"""Policy tables the SQL steps join: audit deductions, assessment coefficients, band tables.

They are small (one row per hospital or band), so they are written from the policy into
temporary tables rather than interpolated into SQL.
"""

from __future__ import annotations

import duckdb

from dipdrg.money import four, money, to_decimal
from dipdrg.policy import Policy


def load_policy_tables(con: duckdb.DuckDBPyConnection, policy: Policy) -> None:
    """Write ``tmp_settle_deductions``, ``tmp_settle_coefs`` and ``tmp_settle_bands``."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE tmp_settle_deductions ("
        " fixmedins_code VARCHAR, period VARCHAR, amount DECIMAL(18,2), reason VARCHAR)"
    )
    rows = [
        (str(r["fixmedins_code"]).strip(), str(r["month"]), money(r["amount"]), str(r.get("reason", "")))
        for r in policy.get("settle.audit_deductions")
    ]
    if rows:
        con.executemany("INSERT INTO tmp_settle_deductions VALUES (?, ?, ?, ?)", rows)

    con.execute(
        "CREATE OR REPLACE TEMP TABLE tmp_settle_coefs ("
        " fixmedins_code VARCHAR PRIMARY KEY, coefficient DECIMAL(18,4))"
    )
    rows = [
        (str(r["fixmedins_code"]).strip(), four(r["coefficient"]))
        for r in policy.get("settle.assessment.hospitals")
    ]
    if rows:
        con.executemany("INSERT INTO tmp_settle_coefs VALUES (?, ?)", rows)

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


def assessment_default(policy: Policy):
    """The coefficient of hospitals the assessment table does not list."""
    return four(to_decimal(policy.get("settle.assessment.default")))
