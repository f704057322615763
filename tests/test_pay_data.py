"""A seven-case region for the settlement tests, with every figure computed by hand.

Year 2026, two hospitals. Scoring run ``score-1`` used a budget point value of 10.0000.

| case | hosp | group | score    | outlier | cost    | fund    | settled    | discharged |
|------|------|-------|----------|---------|---------|---------|------------|------------|
| c1   | H1   | G1    | 100.0000 |         | 1500.00 | 1200.00 | 2026-01-10 | 2026-01-09 |
| c2   | H1   | G1    | 100.0000 |         | 1300.00 | 1000.00 | 2026-01-20 | 2026-01-19 |
| c3   | H1   | G2    | 250.0000 |         | 4200.00 | 3000.00 | 2026-02-02 | 2026-01-30 |
| c4   | H1   | G2    |  50.1234 | low     |  600.00 |  450.00 | 2026-03-05 | 2026-03-04 |
| c5   | H2   | G1    |  99.8766 |         | 1400.00 | 1050.00 | 2026-01-15 | 2026-01-14 |
| c6   | H2   | G3    | 400.0000 | high    | 7000.00 | 5300.00 | 2026-02-20 | 2026-02-19 |
| c7   | H2   | —     |     —    |         |  700.00 |  500.00 | 2026-02-25 | 2026-02-24 |
| c0   | H1   | (2025, not scored)        | 9000.00 | 8000.00 | 2025-06-01 | 2025-05-30 |

Grouped cases: Σ score = 1000.0000, Σ cost = 16000.00, Σ fund = 12000.00 → fund ratio 0.7500.
"""

from __future__ import annotations

from pathlib import Path

CASES = [
    # setl_id, hosp, group, base, level, aux, score, outlier, cost, fund, settled, discharged
    ("c1", "H1", "G1", "100.0000", "1.0000", "1.0000", "100.0000", None, "1500.00", "1200.00", "2026-01-10", "2026-01-09"),
    ("c2", "H1", "G1", "100.0000", "1.0000", "1.0000", "100.0000", None, "1300.00", "1000.00", "2026-01-20", "2026-01-19"),
    ("c3", "H1", "G2", "200.0000", "1.2500", "1.0000", "250.0000", None, "4200.00", "3000.00", "2026-02-02", "2026-01-30"),
    ("c4", "H1", "G2", "200.0000", "1.2500", "1.0000", "50.1234", "low", "600.00", "450.00", "2026-03-05", "2026-03-04"),
    ("c5", "H2", "G1", "110.9740", "0.9000", "1.0000", "99.8766", None, "1400.00", "1050.00", "2026-01-15", "2026-01-14"),
    ("c6", "H2", "G3", "400.0000", "1.0000", "1.0000", "400.0000", "high", "7000.00", "5300.00", "2026-02-20", "2026-02-19"),
    ("c7", "H2", None, None, None, None, None, None, "700.00", "500.00", "2026-02-25", "2026-02-24"),
]
PRIOR = ("c0", "H1", "9000.00", "8000.00", "2025-06-01", "2025-05-30")

POLICY = """
[settle]
month_basis = "settlement"
reserve_ratio = "0.05"
audit_deductions = [ { fixmedins_code = "H2", month = "2026-02", amount = "100.00", reason = "高套分组" } ]

[settle.budget]
method = "ratio"
fund_total = "20000"
dip_share = "0.6"

[settle.assessment]
hospitals = [ { fixmedins_code = "H2", coefficient = "0.9" } ]

[settle.bands]
surplus = [ { lower = "0", upper = "0.05", share = "1" },
            { lower = "0.05", upper = "0.10", share = "0.6" },
            { lower = "0.10", share = "0" } ]
overrun = [ { lower = "0", upper = "0.10", share = "0.7" },
            { lower = "0.10", upper = "0.15", share = "0.5" } ]
"""


def insert_region(con, score_run: str = "score-1", point_value: str = "10.0000") -> None:
    """The hospitals, cases and DIP scores of the table above."""
    con.execute("INSERT INTO hospitals VALUES ('H1', '一号医院', '3', '综合', 'A', 'i'),"
                " ('H2', '二号医院', '2', '综合', 'B', 'i')")
    con.execute("INSERT INTO runs VALUES (?, 'dip-score', TIMESTAMP '2026-01-01 00:00:00',"
                " TIMESTAMP '2026-01-01 00:00:01', '{}', '{}')", [score_run])
    for (sid, hosp, group, base, level, aux, score, outlier, cost, fund, settled, dscg) in CASES:
        _case(con, sid, hosp, cost, fund, settled, dscg)
        con.execute(
            "INSERT INTO dip_case_scores (run_id, group_run_id, setl_id, fixmedins_code, hosp_lv,"
            " group_code, group_type, primary_care, base_score, level_coefficient, aux_kind,"
            " aux_coefficient, point_value, medfee_sumamt, outlier, case_score, pack_sha256)"
            " VALUES (?, 'group-1', ?, ?, ?, ?, 'core', FALSE, ?, ?, NULL, ?, ?, ?, ?, ?, 'pack-sha')",
            [score_run, sid, hosp, "3" if hosp == "H1" else "2", group, base, level, aux,
             point_value if group else None, cost, outlier, score],
        )
    _case(con, *PRIOR)


def _case(con, sid, hosp, cost, fund, settled, dscg) -> None:
    con.execute(
        "INSERT INTO cases (setl_id, fixmedins_code, medfee_sumamt, hifp_pay, setl_end_date,"
        " dscg_time, import_id, content_hash) VALUES (?, ?, ?, ?, ?, ?, 'i', ?)",
        [sid, hosp, cost, fund, settled, f"{dscg} 10:00:00", f"h-{sid}"],
    )


def write_policy(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(POLICY + extra, encoding="utf-8")
    return path
