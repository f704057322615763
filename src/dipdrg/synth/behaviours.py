"""Behaviours with ground truth: what supervision and the quality rules should find.

Hospital behaviours (chosen in ``hospitals.py``) change their own stays: up-coding (principal
diagnosis shifted to a dearer sibling code, or a complication code added, cost unchanged), split
admissions (one stay cut into a discharge and a readmission within 15 days), under-service
(cost far below need), over-long stays. Low-standard admissions are drawn in ``cases.py``.
Data-entry and coding errors happen at every hospital: symptom code kept as principal beside a
definite diagnosis, invalid code, sex conflict, empty sex, neonate without birth weight, reversed
dates, fee sum mismatch, late upload. Every changed stay gets a label (case, kind, detail in
Chinese).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dipdrg.synth.fees import cents_to_decimal
from dipdrg.synth.hospitals import Region
from dipdrg.synth.tables import Tables


@dataclass
class Label:
    """Stays (batch row positions) of one kind with their details."""

    rows: np.ndarray
    kind: str
    detail: pa.Array | str


def setl_ids(row_id: np.ndarray) -> pa.Array:
    """结算ID of a stay: 'JS' + its 15-digit number (unique over the region)."""
    return pc.binary_join_element_wise("JS", pc.cast(pa.array(row_id), pa.string()), "")


def text(*parts) -> pa.Array:
    """Join strings and arrays (numbers become text) element-wise into one string array."""
    arrays = []
    for p in parts:
        if isinstance(p, str):
            arrays.append(p)
        else:
            arr = p if isinstance(p, (pa.Array, pa.ChunkedArray)) else pa.array(p)
            arrays.append(pc.cast(arr, pa.string()))
    return pc.binary_join_element_wise(*arrays, "")


def _codes(tables: Tables, idx: np.ndarray) -> pa.Array:
    return pc.take(pa.array(tables.dx.codes), pa.array(idx))


def _append_rows(b: dict, rows: np.ndarray, first_id: int) -> np.ndarray:
    """Copy ``rows`` to the end of the batch with new ids; returns the new positions."""
    n = len(b["row_id"])
    for key, value in b.items():
        b[key] = np.concatenate([value, value[rows]])
    b["row_id"][n:] = first_id + np.arange(len(rows))
    return n + np.arange(len(rows))


def apply_behaviours(tables: Tables, region: Region, b: dict, year: int, next_id: int, rng) -> list[Label]:
    """Change the stays of behaving hospitals; return the labels (row positions)."""
    bp = tables.params["behaviours"]
    C = tables.cond
    labels = []
    n = len(b["row_id"])
    flag = {k: v[b["hosp"]] for k, v in region.behaviour.items()}
    free = ~b["low_std"]
    low = np.flatnonzero(b["low_std"])
    labels.append(Label(low, "low_standard_admission",
                        text("低标入院：", _codes(tables, b["main_dx"][low]), " 轻症收住院 ", b["los"][low], " 天")))

    target = C["upcode"][b["cond"]]
    up = flag["upcoding"] & free & (target >= 0) & (rng.random(n) < bp["upcode_principal_rate"])
    rows = np.flatnonzero(up)
    labels.append(Label(rows, "upcode_principal",
                        text("主要诊断由 ", _codes(tables, b["main_dx"][rows]), " 上调为 ",
                             _codes(tables, target[rows]), "，费用与住院天数未变")))
    b["main_dx"][rows] = target[rows]
    b["main_name"][rows] = target[rows]
    free &= ~up

    comp = tables.secondary["dx"][tables.secondary["complication"]]
    no_comp = ~np.isin(b["sec"], comp).any(1) & (b["sec"][:, -1] < 0)
    add = flag["upcoding"] & free & no_comp & (rng.random(n) < bp["upcode_add_cc_rate"])
    rows = np.flatnonzero(add)
    severe = comp[:4]  # the first complications of the table are the severe ones (MCC-like)
    added = severe[rng.integers(0, len(severe), len(rows))]
    b["sec"][rows] = np.concatenate([added[:, None], b["sec"][rows, :-1]], axis=1)
    b["sec_adm"][rows] = np.concatenate([np.full((len(rows), 1), 4), b["sec_adm"][rows, :-1]], axis=1)
    labels.append(Label(rows, "upcode_add_complication",
                        text("虚增并发症编码 ", _codes(tables, added), "，病情与费用未变")))
    free &= ~add

    under = flag["under_service"] & free & (rng.random(n) < bp["under_service_rate"])
    rows = np.flatnonzero(under)
    factor = rng.uniform(0.25, 0.45, len(rows))
    b["cost"][rows] *= factor
    _set_los(b, rows, np.maximum(1, np.rint(b["los"][rows] * 0.8)).astype(np.int64))
    labels.append(Label(rows, "under_service",
                        text("服务不足：费用仅为应有水平的 ", np.rint(factor * 100).astype(np.int64), "%")))
    free &= ~under

    long = flag["long_stay"] & free & (rng.random(n) < bp["long_stay_rate"])
    rows = np.flatnonzero(long)
    mult = rng.uniform(2.5, 4.0, len(rows))
    old = b["los"][rows].copy()
    _set_los(b, rows, np.rint(old * mult).astype(np.int64) + 5)
    b["cost"][rows] *= 1 + 0.45 * (mult - 1)
    labels.append(Label(rows, "over_long_stay", text("超长住院：住院天数由 ", old, " 天延长至 ", b["los"][rows], " 天")))
    free &= ~long

    labels += _split(tables, b, flag["split"] & free, year, next_id, rng)
    return labels


def _set_los(b: dict, rows: np.ndarray, los: np.ndarray) -> None:
    """Change the LOS of ``rows`` keeping the discharge: the admission moves, and with it an
    infant's birth date (its age in days is kept); ICU/ventilation time stays inside the stay.
    Procedure days are offsets from admission, capped at the LOS when encoded."""
    shift = b["los"][rows] - los
    b["los"][rows] = los
    b["adm_day"][rows] += shift
    infant = rows[b["days"][rows] >= 0]   # never a readmitted patient, so the birth date is its own
    b["brdy"][infant] += shift[b["days"][rows] >= 0]
    b["icu_min"][rows] = np.minimum(b["icu_min"][rows], los * 1440)
    b["vent_min"][rows] = np.minimum(b["vent_min"][rows], b["icu_min"][rows])


def _split(tables: Tables, b: dict, eligible: np.ndarray, year: int, next_id: int, rng) -> list[Label]:
    """Cut a stay into two: discharge, then readmission 1-14 days later with the same diagnosis."""
    year_start = (np.datetime64(f"{year}-01-01", "D") - np.datetime64("1970-01-01", "D")).astype(np.int64)
    n = len(b["row_id"])
    pick = (eligible & (b["los"] >= 8) & (b["dscg_way"] == 1) & (b["days"] < 0) & (b["adm_day"] >= year_start)
            & (rng.random(n) < tables.params["behaviours"]["split_rate"]))
    first = np.flatnonzero(pick)
    los = b["los"][first]
    los1 = np.maximum(2, np.rint(los * rng.uniform(0.35, 0.6, len(first)))).astype(np.int64)
    rest = los - los1
    gap = 1 + (rng.random(len(first)) * np.minimum(14, rest - 1)).astype(np.int64)
    cost = b["cost"][first].copy()
    second = _append_rows(b, first, next_id)
    b["los"][first] = los1
    b["dscg_day"][first] = b["adm_day"][first] + los1
    b["cost"][first] = cost * los1 / los * 1.05
    b["adm_day"][second] = b["dscg_day"][first] + gap
    b["los"][second] = rest - gap
    b["cost"][second] = cost * (rest - gap) / los * 1.05 + 300
    b["procs"][second] = -1
    b["proc_off"][second] = -1
    b["proc_off"][first] = np.minimum(b["proc_off"][first], los1[:, None])
    for rows in (first, second):
        b["upload"][rows] = b["dscg_day"][rows] * 1440 + b["dscg_min"][rows] + 24 * 60
        b["icu_min"][rows] = np.minimum(b["icu_min"][rows], b["los"][rows] * 1440)
        b["vent_min"][rows] = np.minimum(b["vent_min"][rows], b["icu_min"][rows])
    ids_first, ids_second = setl_ids(b["row_id"][first]), setl_ids(b["row_id"][second])
    return [Label(first, "split_admission", text("分解住院：出院后 ", gap, " 天以同一诊断再次入院（", ids_second, "）")),
            Label(second, "split_admission", text("分解住院：距上次出院 ", gap, " 天再次入院（", ids_first, "）"))]


def apply_errors(tables: Tables, b: dict, rng) -> list[Label]:
    """Data-entry and coding errors the quality rules should find (after the money is computed).

    Errors that would hide one another (an invalid principal code hides a sex conflict or a
    symptom principal; an empty sex hides a conflict) go to different stays, so that each
    labelled error stays visible to its rule.
    """
    bp = tables.params["behaviours"]
    n = len(b["row_id"])
    labels = []
    taken = b["symptom_error"].copy()
    rows = np.flatnonzero(taken)
    labels.append(Label(rows, "symptom_principal", text("主要诊断为症状编码 ", _codes(tables, b["main_dx"][rows]),
                                                        "，而其他诊断中已有明确诊断")))

    rows = np.flatnonzero(~taken & (rng.random(n) < bp["invalid_code_rate"]))
    bad = tables.invalid_dx[rng.integers(0, len(tables.invalid_dx), len(rows))]
    labels.append(Label(rows, "invalid_code", text("主要诊断编码 ", _codes(tables, b["main_dx"][rows]),
                                                   " 误录为不存在的编码 ", _codes(tables, bad))))
    b["main_dx"][rows] = bad
    taken[rows] = True

    limited = tables.dx_sex[b["main_dx"]]
    consistent = np.where(limited == 1, b["male"], ~b["male"])
    rows = np.flatnonzero((limited > 0) & consistent & ~taken & (rng.random(n) < bp["sex_conflict_rate"]))
    b["male"][rows] = ~b["male"][rows]
    labels.append(Label(rows, "sex_conflict", text("性别误录：与主要诊断 ", _codes(tables, b["main_dx"][rows]), " 冲突")))
    taken[rows] = True

    b["gend_missing"] = ~taken & (rng.random(n) < bp["missing_gender_rate"])
    labels.append(Label(np.flatnonzero(b["gend_missing"]), "missing_gender", "性别漏填（空值）"))

    neonate = (b["bw"] >= 0) & (b["days"] >= 0) & (b["days"] <= 28)
    rows = np.flatnonzero(neonate & (rng.random(n) < bp["missing_birth_weight_rate"]))
    labels.append(Label(rows, "missing_birth_weight", text("新生儿（入院时 ", b["days"][rows], " 天）出生体重漏填")))
    b["bw"][rows] = -1

    rows = np.flatnonzero(rng.random(n) < bp["reversed_dates_rate"])
    b["reversed"][rows] = True
    labels.append(Label(rows, "reversed_dates", "入院时间与出院时间颠倒"))

    rows = np.flatnonzero(rng.random(n) < bp["fee_mismatch_rate"])
    delta = rng.integers(100, 50_000, len(rows))
    for col in ("total", "psn_selfpay", "psn_cashpay"):
        b[col][rows] += delta
    labels.append(Label(rows, "fee_sum_mismatch",
                        text("医疗费总额比 14 项明细合计多 ", cents_to_decimal(delta), " 元")))

    rows = np.flatnonzero(rng.random(n) < bp["late_upload_rate"])
    late = rng.integers(10, 61, len(rows))
    b["upload"][rows] = b["dscg_day"][rows] * 1440 + b["dscg_min"][rows] + late * 1440
    labels.append(Label(rows, "late_upload", text("出院后 ", late, " 天才上传结算清单")))
    return labels
