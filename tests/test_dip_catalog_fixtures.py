"""A small history builder for the DIP catalog and scoring tests (inserts rows with SQL).

Tests describe cases by what matters to a formula (diagnosis, procedures, year, cost, level…);
the builder fills the settlement-list tables directly, independent of the importer.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Iterable

from dipdrg.policy.loader import Policy, Setting

HOSPITALS = {"H1": "1", "H2": "2", "H3": "3"}
PROCEDURE_CATEGORIES = {
    "36.0700": "介入治疗", "00.6600": "介入治疗", "88.5500": "诊断性操作", "00.2400": "诊断性操作",
    "47.0100": "手术", "47.0900": "手术", "99.2500": "治疗性操作", "45.1300": "诊断性操作",
    "54.5100": "手术",
}


@dataclass
class History:
    """Collects cases, then writes them with a few INSERT statements."""

    con: object
    cases: list[tuple] = field(default_factory=list)
    diagnoses: list[tuple] = field(default_factory=list)
    procedures: list[tuple] = field(default_factory=list)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        self.con.executemany("INSERT INTO hospitals (fixmedins_code, fixmedins_name, hosp_lv) VALUES (?, ?, ?)",
                             [(code, f"医院{code}", lv) for code, lv in HOSPITALS.items()])
        self.con.executemany("INSERT INTO codes (kind, code, name, category, list_id) VALUES ('procedure', ?, ?, ?, 't')",
                             [(code, f"手术{code}", cat) for code, cat in PROCEDURE_CATEGORIES.items()])

    def case(self, dx: str | None, cost: object, *, year: int = 2025, pp: str | None = None,
             others: Iterable[str] = (), hosp: str = "H3", los: int | None = 5, drug: object = 0,
             material: object = 0, dscg_way: str = "1", age: int | None = 40, nwb_age: int | None = None,
             icu_minutes: int | None = None, secondary: Iterable[str] = (), setl_id: str | None = None) -> str:
        sid = setl_id or f"S{next(self._ids):07d}"
        self.cases.append((sid, hosp, age, nwb_age, datetime(year, 6, 15), los, dscg_way, icu_minutes,
                           Decimal(str(cost)), Decimal(str(drug)), Decimal(str(material))))
        if dx is not None:
            self.diagnoses.append((sid, 0, dx, True))
        for i, code in enumerate(secondary, start=1):
            self.diagnoses.append((sid, i, code, False))
        if pp is not None:
            self.procedures.append((sid, 0, pp, True))
        for i, code in enumerate(others, start=1):
            self.procedures.append((sid, i, code, False))
        return sid

    def many(self, n: int, dx: str, costs: Iterable[object] | object, **kw) -> list[str]:
        values = list(costs) if isinstance(costs, (list, tuple, range)) else [costs] * n
        return [self.case(dx, values[i % len(values)], **kw) for i in range(n)]

    def flush(self) -> None:
        """Insert the collected rows (through Arrow: one statement per table, fast for thousands)."""
        import pyarrow as pa

        tables = (
            ("cases", self.cases, ["setl_id", "fixmedins_code", "age", "nwb_age", "dscg_time", "act_ipt_days",
                                   "dscg_way", "icu_minutes", "medfee_sumamt", "fee_wm", "fee_material"]),
            ("case_diagnoses", self.diagnoses, ["setl_id", "seq", "diag_code", "maindiag_flag"]),
            ("case_procedures", self.procedures, ["setl_id", "seq", "oprn_code", "main_oprn_flag"]),
        )
        for table, rows, columns in tables:
            if not rows:
                continue
            data = pa.Table.from_pylist([dict(zip(columns, r)) for r in rows])
            self.con.register("fixture_rows", data)
            extra = ", import_id, content_hash" if table == "cases" else ""
            values = ", 'test', 'x'" if table == "cases" else ""
            if table != "cases":  # the input as given = the normalised code here
                raw = "diag_code" if table == "case_diagnoses" else "oprn_code"
                extra, values = f", {raw}_raw", f", {raw}"
            self.con.execute(f"INSERT INTO {table} ({', '.join(columns)}{extra})"
                             f" SELECT {', '.join(columns)}{values} FROM fixture_rows")
            self.con.unregister("fixture_rows")
        self.cases, self.diagnoses, self.procedures = [], [], []


def policy(**values: object) -> Policy:
    """National defaults with some parameters set, e.g. policy(**{"dip.catalog.threshold": 3})."""
    return Policy({key: [Setting(value)] for key, value in values.items()})


def test_builder_writes_the_cases_it_was_given(workspace) -> None:
    h = History(workspace.con)
    sid = h.case("K35.800", "1234.50", pp="47.0900", others=["54.5100"], secondary=["J18.900"])
    h.flush()
    row = workspace.con.execute("SELECT medfee_sumamt, EXTRACT(YEAR FROM dscg_time) FROM cases WHERE setl_id = ?", [sid]).fetchone()
    assert row == (Decimal("1234.50"), 2025)
    assert workspace.con.execute("SELECT COUNT(*) FROM case_procedures WHERE setl_id = ?", [sid]).fetchone()[0] == 2
