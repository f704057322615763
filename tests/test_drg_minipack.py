"""A small hand-made CHS-DRG pack and helpers shared by the DRG rule tests.

Every rule shape, entry shape and switch appears in it at least once; codes are named after
what they are for (D* diagnoses, P* procedures) so the expected groups can be worked out by
hand from the tables below.
"""

from __future__ import annotations

import csv
from pathlib import Path

from dipdrg.drg.batch import group_file
from dipdrg.drg.case import DrgCase
from dipdrg.drg.explain import explain_case
from dipdrg.drg.pack import DrgPack, load_pack, write_pack

MDC_COLUMNS = ("mdc", "name", "check_order", "entry_shape", "gender", "age_years_min",
               "age_years_max", "min_regions", "qy_adrg", "qy_position")


def _mdc(mdc, order, shape, gender="", age="", regions="", qy="", qy_pos=""):
    return dict(zip(MDC_COLUMNS, (mdc, mdc, str(order), shape, gender, age, age, regions, qy, qy_pos)))


def _adrg(adrg, mdc, order, shape, cat_rule="", days="", wmin="", wmax=""):
    return {"adrg": adrg, "mdc": mdc, "name": adrg, "kind": "", "check_order": str(order),
            "rule_shape": shape, "rule_id": adrg, "proc_category_rule": cat_rule,
            "age_days_max": days, "weight_min": wmin, "weight_max": wmax}


def _codes(rule, list_name, *codes, category=""):
    return [{"rule_id": rule, "list": list_name, "code": c, "category": category} for c in codes]


def mini_tables() -> dict[str, list[dict[str, str]]]:
    """The tables of the hand-made pack (see the module docstring)."""
    mdc = [
        _mdc("MDCA", 1, "pproc_in_or_list"),
        _mdc("MDCP", 2, "pdx_in_list", age="0"),
        _mdc("MDCZ", 3, "pdx_in_list", regions="2"),
        _mdc("MDCM", 4, "pdx_in_list", gender="1"),
        _mdc("MDCB", 5, "pdx_in_list", qy="BQY", qy_pos="2"),
        _mdc("MDCY", 6, "anydx_in_list"),
        _mdc("MDCC", 7, "pdx_in_list"),
    ]
    mdc_dx = (
        [{"mdc": "MDCP", "code": c, "region": ""} for c in ("DP1", "DP2")]
        + [{"mdc": "MDCZ", "code": c, "region": r}
           for c, r in (("DZ1", "头"), ("DZ2", "胸"), ("DZ3", "头"))]
        + [{"mdc": "MDCM", "code": c, "region": ""} for c in ("DM1", "DM2", "DF1")]
        + [{"mdc": "MDCB", "code": c, "region": ""} for c in ("DB1", "DB2", "DB4")]
        + [{"mdc": "MDCY", "code": "DY1", "region": ""}]
        + [{"mdc": "MDCC", "code": c, "region": ""} for c in ("DC1", "DF1")]
    )
    adrg = [
        _adrg("AA1", "MDCA", 1, "pproc"),
        _adrg("AC1", "MDCA", 2, "anyproc_and_anyproc2"),
        _adrg("PS1", "MDCP", 1, "anydx_and_weight", days="28", wmax="1500"),
        _adrg("PB1", "MDCP", 2, "pproc", days="28"),
        _adrg("PV1", "MDCP", 3, "always"),
        _adrg("ZB1", "MDCZ", 1, "pproc_in_or_list"),
        _adrg("ZZ1", "MDCZ", 2, "no_proc_in_or_list"),
        _adrg("MA1", "MDCM", 1, "pdx_and_pproc"),
        _adrg("MR1", "MDCM", 2, "pdx"),
        _adrg("BA1", "MDCB", 1, "pdx_and_proc_categories", cat_rule="1&2|3"),
        _adrg("BB1", "MDCB", 2, "pdx_and_anyproc_and_anyproc2"),
        _adrg("BR1", "MDCB", 3, "pdx"),
        _adrg("BT1", "MDCB", 4, "pdx_and_sdx"),
        _adrg("YC1", "MDCY", 1, "anydx_and_pproc_in_or_list"),
        _adrg("YR1", "MDCY", 2, "pdx"),
        _adrg("CR1", "MDCC", 1, "pdx"),
    ]
    adrg_codes = (
        _codes("AA1", "proc", "PTX")
        + _codes("AC1", "proc", "PK") + _codes("AC1", "proc2", "PP")
        + _codes("PS1", "dx", "DP1", "DW1")
        + _codes("PB1", "proc", "POR1")
        + _codes("MA1", "dx", "DM1") + _codes("MA1", "proc", "POR1")
        + _codes("MR1", "dx", "DM1", "DM2")
        + _codes("BA1", "dx", "DB1")
        + _codes("BA1", "proc", "PC1", category="1") + _codes("BA1", "proc", "PC2", category="2")
        + _codes("BA1", "proc", "PC3", category="3")
        + _codes("BB1", "dx", "DB1") + _codes("BB1", "proc", "POR1", "PBOTH")
        + _codes("BB1", "proc2", "POR2", "PBOTH")
        + _codes("BR1", "dx", "DB1", "DB2")
        + _codes("BT1", "dx", "DB4") + _codes("BT1", "dx2", "DX9")
        + _codes("YC1", "dx", "DY1")
        + _codes("YR1", "dx", "DY1")
        + _codes("CR1", "dx", "DC1", "DF1")
    )
    shapes = [
        ("pdx", "pdx_in", "dx"), ("pproc", "pproc_in", "proc"),
        ("pdx_and_pproc", "pdx_in", "dx"), ("pdx_and_pproc", "pproc_in", "proc"),
        ("anyproc_and_anyproc2", "anyproc_in", "proc"), ("anyproc_and_anyproc2", "anyproc_in", "proc2"),
        ("pdx_and_anyproc_and_anyproc2", "pdx_in", "dx"),
        ("pdx_and_anyproc_and_anyproc2", "anyproc_in", "proc"),
        ("pdx_and_anyproc_and_anyproc2", "anyproc_in", "proc2"),
        ("pdx_and_proc_categories", "pdx_in", "dx"),
        ("pdx_and_proc_categories", "proc_categories", "proc"),
        ("anydx_and_weight", "anydx_in", "dx"), ("anydx_and_weight", "birth_weight_in_range", ""),
        ("pproc_in_or_list", "pproc_in_or_list", ""),
        ("anydx_and_pproc_in_or_list", "anydx_in", "dx"),
        ("anydx_and_pproc_in_or_list", "pproc_in_or_list", ""),
        ("no_proc_in_or_list", "no_proc_in_or_list", ""),
        ("always", "", ""),
        # a shape 1.1 does not have, defined as data: principal dx + a secondary dx
        ("pdx_and_sdx", "pdx_in", "dx"), ("pdx_and_sdx", "sdx_in", "dx2"),
    ]
    drg = []
    for row in adrg:
        if row["adrg"] == "MR1":
            splits = (("1", "MCC"), ("3", "MCC_or_CC"), ("5", "else"))
        elif row["adrg"] == "CR1":
            splits = (("1", "MCC"), ("5", "else"))
        else:
            splits = (("9", "no_split"),)
        for order, (digit, rule) in enumerate(splits, 1):
            drg.append({"drg": row["adrg"] + digit, "adrg": row["adrg"], "name": "",
                        "check_order": str(order), "rule": rule})
    return {
        "mdc": mdc,
        "mdc_dx": mdc_dx,
        "adrg": adrg,
        "adrg_codes": adrg_codes,
        "rule_shapes": [{"shape": s, "atom": a, "list": n} for s, a, n in shapes],
        "drg": drg,
        "mcc": [{"code": "DX1", "exclusion_table": "T1"}, {"code": "DX2", "exclusion_table": "T2"}],
        "cc": [{"code": "DX3", "exclusion_table": "T1"}, {"code": "DX4", "exclusion_table": "T3"}],
        "cce": [{"principal_dx": "DM1", "exclusion_table": "T1"}],
        "or_procedures": [{"code": c, "name": c} for c in ("POR1", "POR2", "PTX", "PC1", "PBOTH")],
        "dx_map": [{"source_code": "dm1-old", "target_code": "DM1"}],
        "proc_map": [{"source_code": "por1-old", "target_code": "POR1"}],
    }


def write_mini(directory: Path, switches: dict[str, bool] | None = None,
               tables: dict | None = None, fmt: str = "csv") -> Path:
    return write_pack(directory, tables or mini_tables(), pack_id="mini", version="t1",
                      switches=switches, fmt=fmt)


def case(pdx="", sdx=(), procs=(), gender=1, age=40, age_days=None, weight=None) -> DrgCase:
    return DrgCase(gender, age, age_days, weight, [pdx, *sdx], list(procs))


def group_both(pack: DrgPack, cases: list[DrgCase], tmp: Path) -> list[tuple]:
    """(status, mdc, adrg, drg) per case from the SQL file mode, asserting explain agrees."""
    src, out = tmp / "cases.csv", tmp / "out.csv"
    with open(src, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["case_id", "gender", "age", "age_days", "birth_weight", "principal_dx",
                         "secondary_dx", "principal_proc", "other_procs"])
        for i, c in enumerate(cases):
            writer.writerow([f"c{i}", "" if c.gender is None else c.gender,
                             "" if c.age is None else c.age,
                             "" if c.age_days is None else c.age_days,
                             "" if c.birth_weight is None else c.birth_weight,
                             c.diagnoses[0], "|".join(c.diagnoses[1:]),
                             c.procedures[0] if c.procedures else "", "|".join(c.procedures[1:])])
    group_file(src, pack, out)
    rows = list(csv.DictReader(open(out, encoding="utf-8")))
    assert [r["case_id"] for r in rows] == [f"c{i}" for i in range(len(cases))]
    results = []
    for c, row in zip(cases, rows):
        sql = (row["status"], row["mdc"], row["adrg"], row["drg"])
        e = explain_case(pack, c)
        assert (e.status, e.mdc, e.adrg, e.drg) == sql, (c, e.lines())
        results.append(sql)
    return results


def mini_pack(tmp: Path, **switches: bool) -> DrgPack:
    return load_pack(write_mini(tmp / "pack", switches))
