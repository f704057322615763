"""The clinical tables written by the project use real 医保版 codes; the tail uses a full list."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from dipdrg.synth.region import generate_region
from dipdrg.synth.tables import DATA, load_tables


def _read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_every_code_of_the_clinical_tables_is_in_the_reference_lists(reference):
    dx = {r["code"] for r in _read(reference / "codes" / "icd10-yb-2.0.csv")}
    px = {r["code"] for r in _read(reference / "codes" / "icd9-yb-2.0.csv")}
    category = {r["code"]: r["category"] for r in _read(reference / "codes" / "icd9-category.csv")}
    conditions = _read(DATA / "conditions.csv")
    assert len(conditions) >= 300
    for row in conditions:
        assert row["dx_code"] in dx, row["dx_code"]
        for code in filter(None, row["with_dx"].split("|") + [row["upcode_to"]]):
            assert code in dx, code
        for option in row["procedures"].split(";"):
            codes = option.split(":")[0]
            for code in [] if codes == "-" else codes.split("+"):
                assert code in px, code
    for row in _read(DATA / "secondary.csv"):
        assert row["code"] in dx, row["code"]
    for row in _read(DATA / "procedures.csv"):
        assert row["code"] in px and category[row["code"]] == row["category"], row["code"]
    invalid = load_tables().params["behaviours"]["invalid_codes"]
    assert not set(invalid) & dx


def test_condition_table_is_well_formed():
    tables = load_tables()
    cond = tables.cond
    assert (cond["opt_prob"].sum(1).round(9) == 1).all()
    assert ((cond["male"] >= 0) & (cond["male"] <= 1)).all()
    assert (cond["drug"] + cond["material"] < 1).all()
    common = {"J18.900", "J44.100", "I63.900", "I21.000", "K35.800", "K80.100", "O80.000", "O82.000",
              "H25.900", "Z51.100", "P07.300", "P59.900", "A15.000", "T29.200", "S72.000", "C34.900"}
    assert common <= {tables.dx.codes[i] for i in cond["dx"]}


def test_full_code_list_adds_a_tail_of_thousands_of_real_codes(reference, tmp_path):
    generate_region(tmp_path, seed=4, cases_per_year=8000, years=1, hospitals=10, codes_dir=reference / "codes")
    dx = {r["code"] for r in _read(reference / "codes" / "icd10-yb-2.0.csv")}
    used = _read(tmp_path / "codes" / "diagnoses.csv")
    assert {r["code"] for r in used} <= dx
    con = duckdb.connect()
    keys = con.execute(f"""select count(distinct left(main_diag_code, 5)) from
        read_parquet('{tmp_path}/settlements/*.parquet')""").fetchone()[0]
    assert keys > 600          # the head table alone has ~400 principal codes
    procs = _read(tmp_path / "codes" / "procedures.csv")
    assert all(p["category"] for p in procs)
