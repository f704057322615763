"""Turn a simulated batch into the flat settlement-list table (canonical column names).

Strings are built column-wise with Arrow (take from small code tables, element-wise joins), so
no Python loop runs per stay. Column names and order: ``SETTLEMENT_FIELDS`` + the 14 ``fee_*``
columns + the list columns of the flat layout (docs/architecture.md).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dipdrg.cases.fields import SETTLEMENT_FIELDS
from dipdrg.synth.behaviours import Label, setl_ids, text
from dipdrg.synth.fees import FEE_COLUMNS, cents_to_decimal
from dipdrg.synth.hospitals import Region
from dipdrg.synth.tables import Tables

LIST_COLUMNS = ["main_diag_code", "main_diag_name", "main_diag_adm_cond", "other_diag_codes",
                "other_diag_adm_conds", "oprn_codes", "oprn_dates"]
COLUMNS = [f.name for f in SETTLEMENT_FIELDS] + FEE_COLUMNS + LIST_COLUMNS
TRT_TYPES = ["1", "3", "2.1"]          # 西医 / 中西医 / 中医
MESSY_FORMS = ("lower", "nodot", "fullwidth", "spaces", "clinical")
MESSY_ZH = {"lower": "小写", "nodot": "无小数点", "fullwidth": "全角字符", "spaces": "前后空格",
            "clinical": "国临版编码（无对照时去掉小数点）"}
_FULLWIDTH = {c: chr(ord(c) + 0xFEE0) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.+*"}


def _variants(codes: list[str], clinical: list[str]) -> pa.Array:
    """All messy spellings of every code, flattened as form * len(codes) + code."""
    forms = {
        "lower": [c.lower() for c in codes],
        "nodot": [c.replace(".", "") for c in codes],
        "fullwidth": ["".join(_FULLWIDTH.get(ch, ch) for ch in c) for c in codes],
        "spaces": [f" {c}  " for c in codes],
        "clinical": [g or c.replace(".", "") for c, g in zip(codes, clinical)],
    }
    return pa.array([s for form in MESSY_FORMS for s in forms[form]])


class Encoder:
    """Holds the code and name tables of one region; encodes batches into Arrow tables."""

    def __init__(self, tables: Tables, region: Region):
        self.tables = tables
        self.region = region
        self.dx_codes = pa.array(tables.dx.codes)
        self.dx_names = pa.array(tables.dx.names)
        self.px_codes = pa.array(tables.px.codes)
        self.dx_messy = pa.concat_arrays([_variants(tables.dx.codes, tables.dx.clinical), self.dx_codes])
        self.px_messy = pa.concat_arrays([_variants(tables.px.codes, tables.px.clinical), self.px_codes])
        self.hosp_codes = pa.array(region.codes)
        self.hosp_names = pa.array(region.names)
        depts = [tables.params["departments"][k][0] for k in tables.dept_keys]
        self.dept_codes = pa.array(depts)
        self.icu_dept = tables.params["departments"]["ICU"][0]
        places = tables.params["places"]
        k = places["doctors_per_department"]
        n_doc = region.n * len(depts) * k
        i = np.arange(n_doc)
        sur, giv = places["surnames"], places["given"]
        self.doctor_names = pa.array([sur[(j * 7 + 3) % len(sur)] + giv[(j * 13) % len(giv)]
                                      + (giv[(j * 17 + 5) % len(giv)] if j % 3 else "") for j in i.tolist()])
        self.n_depts, self.per_dept = len(depts), k

    # -- helpers ---------------------------------------------------------------------------------
    def _code_slots(self, slots: np.ndarray, table: pa.Array, messy_table: pa.Array,
                    form: np.ndarray | None) -> pa.Array:
        """Join the codes of each row's (left-compacted) slots with '|' (null when none)."""
        idx = slots
        if form is not None:
            n_codes = len(table)
            plain = len(MESSY_FORMS) * n_codes + slots      # the clean codes follow the variants
            idx = np.where(form[:, None] >= 0, form[:, None] * n_codes + slots, plain)
            table = messy_table
        return join_slots(pc.take(table, pa.array(idx[slots >= 0])), slots >= 0)

    def encode(self, b: dict, messy_rate: float, rng) -> tuple[pa.Table, list[Label]]:
        """The flat table of a batch (after behaviours, money and errors) and its messy labels."""
        n = len(b["row_id"])
        labels: list[Label] = []
        form = None
        if messy_rate > 0:
            form = np.where(rng.random(n) < messy_rate, rng.integers(0, len(MESSY_FORMS), n), -1)
            rows = np.flatnonzero(form >= 0)
            labels.append(Label(rows, "messy_code", text("编码书写不规范：", pc.take(
                pa.array([MESSY_ZH[f] for f in MESSY_FORMS]), pa.array(form[rows])))))
        adm_s = b["adm_day"] * 86400 + b["adm_min"] * 60
        dscg_s = b["dscg_day"] * 86400 + b["dscg_min"] * 60
        adm_s, dscg_s = np.where(b["reversed"], dscg_s, adm_s), np.where(b["reversed"], adm_s, dscg_s)
        age, under_one = _exact_age(b["adm_day"], b["brdy"])
        nwb_age = np.where(under_one, b["adm_day"] - b["brdy"], -1)
        los = b["los"]
        spga = np.minimum(-(-b["icu_min"] // 1440), los)
        lv1 = np.minimum(np.rint(los * np.where(b["severe"], 0.5, 0.1)).astype(np.int64), los - spga)
        doctor = (b["hosp"] * self.n_depts + b["dept"]) * self.per_dept + b["doctor"]
        hosp_code = pc.take(self.hosp_codes, pa.array(b["hosp"]))
        dept = pc.take(self.dept_codes, pa.array(b["dept"]))
        main = b["main_dx"][:, None]
        op_days = np.where(b["procs"] >= 0, b["adm_day"][:, None] + np.minimum(np.maximum(b["proc_off"], 0),
                                                                               los[:, None]), 0)
        cols = {
            "setl_id": setl_ids(b["row_id"]),
            "mdtrt_id": text("MD", b["row_id"]),
            "psn_no": text("P", b["psn"]),
            "fixmedins_code": hosp_code,
            "fixmedins_name": pc.take(self.hosp_names, pa.array(b["hosp"])),
            "insutype": pa.array(np.where(b["employee"], "310", "390")),
            "gend": pa.array(np.where(b["male"], "1", "2"), mask=b["gend_missing"]),
            "brdy": pa.array(b["brdy"].astype("datetime64[D]")),
            "age": pa.array(age),
            "nwb_age": _int_or_null(nwb_age),
            "nwb_bir_wt": _int_or_null(b["bw"]),
            "nwb_adm_wt": _int_or_null(b["adm_wt"]),
            "nwb_adm_type": pa.array(np.where(b["bw"] < 2500, "2", "3"), mask=b["bw"] < 0),
            "ipt_med_type": pa.array(np.full(n, "1")),
            "adm_way": _digits(b["adm_way"]),
            "trt_type": pc.take(pa.array(TRT_TYPES), pa.array(b["trt"])),
            "adm_time": pa.array(adm_s.astype("datetime64[s]")),
            "adm_caty": dept,
            "refldept_dept": pa.array(np.full(n, self.icu_dept), mask=b["icu_min"] == 0),
            "dscg_time": pa.array(dscg_s.astype("datetime64[s]")),
            "dscg_caty": dept,
            "act_ipt_days": pa.array(los),
            "dscg_way": _digits(b["dscg_way"]),
            "vent_used_minutes": duration_text(b["vent_min"]),
            "pwcry_bfadm_coma_minutes": duration_text(b["coma_bf"]),
            "pwcry_afadm_coma_minutes": duration_text(b["coma_af"]),
            "icu_minutes": duration_text(b["icu_min"]),
            "spga_nurscare_days": pa.array(spga),
            "lv1_nurscare_days": pa.array(lv1),
            "scd_nurscare_days": pa.array(los - spga - lv1),
            "lv3_nurscare_days": pa.array(np.zeros(n, dtype=np.int64)),
            "chfpdr_code": text(hosp_code, "-", dept, "-", b["doctor"] + 1),
            "chfpdr_name": pc.take(self.doctor_names, pa.array(doctor)),
            "medfee_sumamt": cents_to_decimal(b["total"]),
            "hifp_pay": cents_to_decimal(b["hifp_pay"]),
            "psn_selfpay": cents_to_decimal(b["psn_selfpay"]),
            "psn_ownpay": cents_to_decimal(b["psn_ownpay"]),
            "acct_pay": cents_to_decimal(b["acct_pay"]),
            "psn_cashpay": cents_to_decimal(b["psn_cashpay"]),
            "setl_begn_date": pa.array(b["adm_day"].astype("datetime64[D]")),
            "setl_end_date": pa.array(b["dscg_day"].astype("datetime64[D]")),
            "upload_time": pa.array((b["upload"] * 60).astype("datetime64[s]")),
        }
        for k, col in enumerate(FEE_COLUMNS):
            cols[col] = cents_to_decimal(b["fee"][:, k])
        cols["main_diag_code"] = self._code_slots(main, self.dx_codes, self.dx_messy, form)
        cols["main_diag_name"] = pc.take(self.dx_names, pa.array(b["main_name"]))
        cols["main_diag_adm_cond"] = pa.array(np.full(n, "1"))
        cols["other_diag_codes"] = self._code_slots(b["sec"], self.dx_codes, self.dx_messy, form)
        used = b["sec"] >= 0
        cols["other_diag_adm_conds"] = join_slots(_digits(b["sec_adm"][used]), used)
        cols["oprn_codes"] = self._code_slots(b["procs"], self.px_codes, self.px_messy, form)
        used = b["procs"] >= 0
        cols["oprn_dates"] = join_slots(pc.cast(pa.array(op_days[used].astype("datetime64[D]")), pa.string()), used)
        return pa.table({c: cols[c] for c in COLUMNS}), labels


def join_slots(values: pa.Array, used: np.ndarray) -> pa.Array:
    """'|'-join each row's used slots; ``values`` are the used slots in row-major order."""
    counts = used.sum(1)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    joined = pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets), values), "|")
    return pc.if_else(pa.array(counts > 0), joined, pa.scalar(None, pa.string()))


def _digits(values: np.ndarray) -> pa.Array:
    """One-digit codes (0-9) as strings, without a per-element conversion."""
    return pc.take(pa.array([str(d) for d in range(10)]), pa.array(values))


def _int_or_null(values: np.ndarray) -> pa.Array:
    return pa.array(values, mask=values < 0)


def duration_text(minutes: np.ndarray) -> pa.Array:
    """Minutes as the list's 天/小时/分钟 text (``1/13/24``); null when zero."""
    m = np.asarray(minutes, dtype=np.int64)
    used = np.flatnonzero(m > 0)
    mu = m[used]
    joined = text(mu // 1440, "/", (mu % 1440) // 60, "/", mu % 60)
    pos = np.zeros(len(m), dtype=np.int64)
    pos[used] = np.arange(len(used))
    return pc.take(joined, pa.array(pos, mask=m <= 0))


def _exact_age(adm_day: np.ndarray, brdy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Completed years at admission (birthday not yet reached this year → one less)."""
    adm = adm_day.astype("datetime64[D]")
    born = brdy.astype("datetime64[D]")
    ya, yb = adm.astype("datetime64[Y]").astype(np.int64), born.astype("datetime64[Y]").astype(np.int64)
    ma, mb = adm.astype("datetime64[M]"), born.astype("datetime64[M]")
    md_a = (ma.astype(np.int64) % 12) * 100 + (adm - ma.astype("datetime64[D]")).astype(np.int64)
    md_b = (mb.astype(np.int64) % 12) * 100 + (born - mb.astype("datetime64[D]")).astype(np.int64)
    age = ya - yb - (md_a < md_b)
    return np.maximum(age, 0), age < 1

