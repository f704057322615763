"""Age conventions at import (DESIGN.md §3: "age < 1 year comes as days; accept both
conventions"): an empty 年龄 or 不足1周岁年龄 is completed from the other field or from the birth
and admission dates; a stated value is never changed. Expected values are hand-computed."""

from __future__ import annotations

from pathlib import Path

from dipdrg.cases.settlements import import_settlements

HEADER = "结算ID,定点医疗机构编号,性别,出生日期,年龄,不足1周岁年龄,入院时间,出院时间,医疗费总额,主要诊断编码\n"


def ages(ws, rows: str, tmp_path: Path) -> dict[str, tuple]:
    path = tmp_path / "ages.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    (result,) = import_settlements(ws, [path])
    assert (result.loaded, result.quarantined) == (len(rows.splitlines()), 0)
    return {r[0]: r[1:] for r in ws.con.execute("SELECT setl_id, age, nwb_age FROM cases").fetchall()}


def test_days_only_gives_age_zero(workspace, tmp_path: Path) -> None:
    got = ages(workspace, "D1,H001,1,,,20,2026-03-01 08:00,2026-03-05,100,P07.1\n"
                          "D2,H001,2,,,0,2026-03-01,2026-03-02,100,P07.1\n", tmp_path)
    assert got == {"D1": (0, 20), "D2": (0, 0)}


def test_days_beyond_one_year_are_not_read_as_age_zero(workspace, tmp_path: Path) -> None:
    # 400 days is not "under 1 year": age stays empty for the quality layer to report
    got = ages(workspace, "D3,H001,1,,,400,2026-03-01,2026-03-05,100,J18.9\n", tmp_path)
    assert got == {"D3": (None, 400)}


def test_birth_date_gives_full_years_and_days_under_one(workspace, tmp_path: Path) -> None:
    rows = (
        # born 2025-03-02, admitted 2026-03-01: one day short of a year -> 0 years, 364 days
        "B1,H001,1,2025-03-02,,,2026-03-01 10:00,2026-03-05,100,J18.9\n"
        # born 2025-03-01, admitted 2026-03-01: exactly 1 year; no days recorded
        "B2,H001,1,2025-03-01,,,2026-03-01,2026-03-05,100,J18.9\n"
        # born 1976-03-02, admitted 2026-03-01 -> 49 full years (birthday not yet reached)
        "B3,H001,2,1976-03-02,,,2026-03-01,2026-03-05,100,J18.9\n"
        # born on the admission day: 0 years, 0 days
        "B4,H001,2,2026-03-01,,,2026-03-01 23:59,2026-03-05,100,P07.1\n"
    )
    got = ages(workspace, rows, tmp_path)
    assert got == {"B1": (0, 364), "B2": (1, None), "B3": (49, None), "B4": (0, 0)}


def test_stated_values_and_impossible_dates_are_left_alone(workspace, tmp_path: Path) -> None:
    rows = (
        # stated age wins over the birth date (the mismatch is QC-207's to report)
        "S1,H001,1,1976-03-02,30,,2026-03-01,2026-03-05,100,J18.9\n"
        # stated days are kept even though the birth date gives 364
        "S2,H001,1,2025-03-02,,10,2026-03-01,2026-03-05,100,J18.9\n"
        # birth after admission: nothing is derived
        "S3,H001,1,2026-04-01,,,2026-03-01,2026-03-05,100,J18.9\n"
        # no birth date, no age: nothing to derive from
        "S4,H001,1,,,,2026-03-01,2026-03-05,100,J18.9\n"
    )
    got = ages(workspace, rows, tmp_path)
    assert got == {"S1": (30, None), "S2": (0, 10), "S3": (None, None), "S4": (None, None)}
