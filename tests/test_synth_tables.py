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


def test_clinical_codes_are_the_leaf_codes_the_chs_drg_lists_know(reference):
    """Real hospitals code 医保版 leaf/extension codes (K35.800x001), which the CHS-DRG 1.1 lists
    hold; a parent code such as K35.800 is valid but groups nowhere. Weighted by case frequency."""
    drg = reference / "chs-drg-1.1"
    yb = {r["code"] for r in _read(reference / "codes" / "icd10-yb-2.0.csv")}
    mdc_dx = {r["code"] for r in _read(drg / "mdc_dx.csv")}
    complications = {r["code"] for name in ("cc.csv", "mcc.csv") for r in _read(drg / name)}
    adrg_proc = {r["code"] for r in _read(drg / "adrg_codes.csv") if r["list"] != "dx"}
    adrg_proc |= {r["code"] for r in _read(drg / "or_procedures.csv")}
    category = {r["code"]: r["category"] for r in _read(DATA / "procedures.csv")}
    conditions = _read(DATA / "conditions.csv")
    weight = {"all": 0.0, "listed": 0.0, "surgical": 0.0, "surgical_listed": 0.0}
    for row in conditions:
        w = float(row["weight"])
        assert row["dx_code"] in yb, row["dx_code"]
        weight["all"] += w
        weight["listed"] += w * (row["dx_code"] in mdc_dx)
        for option in row["procedures"].split(";"):
            codes, prob = option.split(":")[:2]
            first = codes.split("+")[0]
            if category.get(first) in ("手术", "介入治疗"):
                weight["surgical"] += w * float(prob)
                weight["surgical_listed"] += w * float(prob) * (first in adrg_proc)
    dx_share = weight["listed"] / weight["all"]
    proc_share = weight["surgical_listed"] / weight["surgical"]
    print(f"principal codes in the MDC lists: {dx_share:.1%}; surgical procedures in ADRG lists: {proc_share:.1%}")
    assert dx_share >= 0.90
    assert proc_share >= 0.90
    complication_rows = [r for r in _read(DATA / "secondary.csv") if r["kind"] == "complication"]
    listed = sum(float(r["rate"]) for r in complication_rows if r["code"] in complications)
    assert listed / sum(float(r["rate"]) for r in complication_rows) >= 0.90   # they raise the DRG severity


def test_condition_table_is_well_formed():
    tables = load_tables()
    cond = tables.cond
    assert (cond["opt_prob"].sum(1).round(9) == 1).all()
    assert ((cond["male"] >= 0) & (cond["male"] <= 1)).all()
    assert (cond["drug"] + cond["material"] < 1).all()
    common = {"J18.900", "J44.100", "I63.900", "I21.001", "K35.800x001", "K80.100x001", "O80.000", "O82.000",
              "H25.900", "Z51.102", "P07.300", "P59.902", "A15.000x001", "T29.200x001", "S72.000", "C34.900x001"}
    assert common <= {tables.dx.codes[i] for i in cond["dx"]}
    # a condition limited to one sex by its ICD-10 category has that sex only (sex conflicts are
    # injected on these codes, where the quality rule can see them)
    male = cond["male"][tables.dx_sex[cond["dx"]] == 1]
    female = cond["male"][tables.dx_sex[cond["dx"]] == 2]
    assert len(male) and len(female) and (male == 1).all() and (female == 0).all()


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
