"""Vectorised simulation of one chunk of inpatient stays (clinical part, dates and patients).

Every step works on whole arrays: the condition of each stay is drawn from its hospital's
case-mix, then demographics from the condition's sex/age profile, procedures from its options
(limited by the hospital level), comorbidities and complications (which raise cost, LOS and
death risk), ICU/ventilation, LOS and cost (log-normal), discharge way, dates and patients (some
stays reuse an earlier patient: readmissions). Money details are in ``fees.py``.
"""

from __future__ import annotations

import numpy as np

from dipdrg.synth.hospitals import Region
from dipdrg.synth.tables import Tables

SEC_SLOTS = 8      # secondary diagnoses per stay
PROC_SLOTS = 5     # procedures per stay
EPOCH = np.datetime64("1970-01-01", "D")
ADM_EMERGENCY, ADM_OUTPATIENT, ADM_TRANSFER = 1, 2, 3
DSCG_HOME, DSCG_TRANSFER, DSCG_COMMUNITY, DSCG_AGAINST_ADVICE, DSCG_DEATH = 1, 2, 3, 4, 5


def _sample_conditions(tables: Tables, region: Region, hosp: np.ndarray, rng) -> np.ndarray:
    cond = np.empty(len(hosp), dtype=np.int64)
    for h in range(region.n):  # one vectorised draw per hospital (not per case)
        rows = np.flatnonzero(hosp == h)
        if len(rows):
            cond[rows] = rng.choice(tables.n_conditions, size=len(rows), p=region.case_mix[h])
    return cond


def _ages(tables: Tables, cond: np.ndarray, rng) -> tuple[np.ndarray, np.ndarray]:
    """Age in years (int) and, for infants, age in days (else -1)."""
    profile = tables.cond["profile"][cond]
    years = np.zeros(len(cond))
    days = np.full(len(cond), -1, dtype=np.int64)
    for p, key in enumerate(tables.profile_keys):
        rows = np.flatnonzero(profile == p)
        if not len(rows):
            continue
        mean, sd, lo, hi = tables.params["age_profiles"][key]
        if key == "NEO":
            days[rows] = rng.integers(0, 29, len(rows))
            continue
        years[rows] = np.clip(rng.normal(mean, sd, len(rows)), lo, hi)
    infant = (years < 1) & (days < 0)
    days[infant] = np.clip((years[infant] * 365).astype(np.int64), 29, 364)
    return np.floor(years).astype(np.int64), days


def _compact(values: np.ndarray, *others: np.ndarray) -> tuple[np.ndarray, ...]:
    """Move the used slots (>= 0) of each row to the left, keeping their order."""
    order = np.argsort(values < 0, axis=1, kind="stable")
    return tuple(np.take_along_axis(a, order, axis=1) for a in (values, *others))


def _secondary(tables: Tables, cond, main_dx, age, days, male, rng):
    """Required (e.g. tumour), complication and comorbidity codes with admission conditions."""
    n = len(cond)
    sec = tables.secondary
    slots = np.full((n, SEC_SLOTS), -1, dtype=np.int64)
    adm_cond = np.full((n, SEC_SLOTS), 1, dtype=np.int64)
    with_dx = tables.cond["with_dx"][cond]
    n_with = (with_dx >= 0).sum(1)
    pick = (rng.random(n) * np.maximum(n_with, 1)).astype(np.int64)
    slots[:, 0] = np.where(n_with > 0, with_dx[np.arange(n), np.minimum(pick, 2)], -1)

    boost = np.where(age >= 65, 1.4, np.where(age < 18, 0.5, 1.0))
    cc = tables.cond["cc"][cond] * boost
    u = rng.random(n)
    n_comp = (u < cc).astype(np.int64) + (u < cc * 0.3)
    comp_codes = sec["dx"][sec["complication"]]
    comp_p = sec["rate"][sec["complication"]] / sec["rate"][sec["complication"]].sum()
    drawn = rng.choice(comp_codes, size=(n, 2), p=comp_p)
    for k in range(2):
        slots[:, 1 + k] = np.where(n_comp > k, drawn[:, k], -1)
        adm_cond[:, 1 + k] = np.where(rng.random(n) < 0.6, 4, 1)

    como = ~sec["complication"]
    como_codes = sec["dx"][como]
    factor = np.select([days >= 0, age < 18, age < 45, age < 65], [0.0, 0.02, 0.35, 1.0], 1.7)
    p = sec["rate"][como][None, :] * factor[:, None]
    names = np.array(tables.dx.codes)[como_codes]
    male_only = np.char.startswith(names, "N40")
    female_only = np.char.startswith(names, "M81.0")
    p = np.where(male_only[None, :] & ~male[:, None], 0, p)
    p = np.where(female_only[None, :] & male[:, None], 0, p)
    hit = rng.random(p.shape) < p
    rank = np.cumsum(hit, axis=1)
    for k in range(SEC_SLOTS - 3):  # up to five comorbidities, in table order
        take = hit & (rank == k + 1)
        slots[:, 3 + k] = np.where(take.any(1), como_codes[np.argmax(take, axis=1)], -1)

    slots[slots == main_dx[:, None]] = -1
    for a in range(SEC_SLOTS):
        for b in range(a + 1, SEC_SLOTS):
            slots[:, b] = np.where(slots[:, b] == slots[:, a], -1, slots[:, b])
    return _compact(slots, adm_cond)


def _symptom_principals(tables: Tables, main_dx: np.ndarray, sec: np.ndarray, error_rate: float, rng) -> np.ndarray:
    """A symptom (R00–R99) stays the principal diagnosis only while nothing definite is known.

    On stays with a symptom principal the definite secondary diagnoses are removed (in place),
    except on a share ``error_rate`` of them: that is the coding error the quality rule must
    find, and the returned mask marks those stays for their label.
    """
    definite = (sec >= 0) & tables.dx_definite[np.maximum(sec, 0)]
    symptom = tables.dx_symptom[main_dx] & definite.any(1)
    error = symptom & (rng.random(len(main_dx)) < error_rate)
    sec[definite & (symptom & ~error)[:, None]] = -1
    return error


def _factor(tables: Tables, slots: np.ndarray, what: str) -> np.ndarray:
    lut = np.ones(len(tables.dx.codes))
    lut[tables.secondary["dx"]] = tables.secondary[what]
    f = np.where(slots >= 0, lut[np.maximum(slots, 0)], 1.0)
    return f.max(1) if what == "death" else f.prod(1)


def simulate(tables: Tables, region: Region, opt_cum: np.ndarray, year: int, year_index: int,
             n: int, first_id: int, rng) -> dict[str, np.ndarray]:
    """Simulate ``n`` stays discharged in ``year``; returns column arrays (the batch)."""
    P = tables.params
    C = tables.cond
    hosp = np.repeat(np.arange(region.n), rng.multinomial(n, region.volume))
    rng.shuffle(hosp)
    lv = region.level[hosp]
    cond = _sample_conditions(tables, region, hosp, rng)

    low_std = region.behaviour["low_standard"][hosp] & (rng.random(n) < P["behaviours"]["low_standard_rate"])
    low_pool = np.flatnonzero(C["low_standard"])
    low_p = C["weight"][low_pool] / C["weight"][low_pool].sum()
    cond[low_std] = rng.choice(low_pool, size=int(low_std.sum()), p=low_p)

    age, days = _ages(tables, cond, rng)
    male = rng.random(n) < C["male"][cond]
    main_dx = C["dx"][cond].copy()

    u = rng.random(n)
    cum = opt_cum[lv - 1, cond]
    opt = np.minimum((u[:, None] > cum).sum(1), cum.shape[1] - 1)
    opt_codes = C["opt_codes"][cond, opt]
    opt_codes[low_std] = -1

    sec, sec_adm = _secondary(tables, cond, main_dx, age, days, male, rng)
    sec[low_std, :] = -1
    symptom_error = _symptom_principals(tables, main_dx, sec, P["behaviours"]["symptom_principal_rate"], rng)
    sec, sec_adm = _compact(sec, sec_adm)
    comp_cost, comp_los, comp_death = (_factor(tables, sec, w) for w in ("cost", "los", "death"))
    n_comp = np.isin(sec, tables.secondary["dx"][tables.secondary["complication"]]).sum(1)

    # ICU and ventilation: a ventilation procedure chosen as treatment forces ICU care
    vent_opt = np.isin(opt_codes, [tables.vent_short, tables.vent_long]).any(1)
    long_opt = (opt_codes == tables.vent_long).any(1)
    icu = (rng.random(n) < np.clip(C["icu"][cond] * (1 + 1.5 * n_comp), 0, 0.95)) | vent_opt
    icu &= ~low_std
    icu_min = np.where(icu, np.maximum(240, rng.lognormal(np.log(40 * 60), 0.8, n)), 0).astype(np.int64)
    extra_vent = icu & ~vent_opt & (rng.random(n) < 0.35)
    vent_min = np.zeros(n, dtype=np.int64)
    vent_min[extra_vent] = np.maximum(120, rng.lognormal(np.log(30 * 60), 0.9, int(extra_vent.sum())))
    short = vent_opt & ~long_opt
    vent_min[short] = rng.integers(6 * 60, 95 * 60, int(short.sum()))
    vent_min[long_opt] = 96 * 60 + rng.lognormal(np.log(72 * 60), 0.7, int(long_opt.sum())).astype(np.int64)
    icu_min = np.where(vent_min > 0, np.maximum(icu_min, vent_min + rng.integers(60, 24 * 60, n)), icu_min)

    procs = np.full((n, PROC_SLOTS), -1, dtype=np.int64)
    procs[:, :2] = opt_codes
    procs[:, 2] = np.where(extra_vent, np.where(vent_min >= 96 * 60, tables.vent_long, tables.vent_short), -1)
    procs[:, 3] = np.where(icu & (rng.random(n) < 0.6), tables.px.index["38.9300"], -1)
    severe = (C["complexity"][cond] == 3) & (opt_codes[:, 0] >= 0) & (rng.random(n) < 0.15)
    procs[:, 4] = np.where(severe, tables.px.index["99.0400"], -1)
    (procs,) = _compact(procs)

    coma = rng.random(n) < C["coma"][cond]
    coma_bf = np.where(coma, rng.lognormal(np.log(np.where(C["complexity"][cond] == 3, 720, 20)), 0.9), 0)
    coma_af = np.where(coma & (C["complexity"][cond] == 3) & (rng.random(n) < 0.3),
                       rng.lognormal(np.log(24 * 60), 0.8, n), 0)

    levels = P["levels"]
    exp_los = C["los"][cond] * np.array(levels["los_factor"])[lv - 1] * comp_los
    los = np.maximum(1, np.rint(exp_los * rng.lognormal(0, P["region"]["los_sigma"], n))).astype(np.int64)
    los = np.maximum(los, (icu_min + coma_af.astype(np.int64)) // 1440 + 1)

    age_death = np.where(age >= 80, 1.6, np.where(age >= 65, 1.2, 1.0))
    p_death = np.clip(C["death"][cond] * comp_death * age_death * np.array(levels["death_factor"])[lv - 1], 0, 0.6)
    dscg_way = np.full(n, DSCG_HOME, dtype=np.int64)
    r = rng.random(n)
    p_transfer = np.array(levels["transfer_rate"])[lv - 1, C["complexity"][cond] - 1]
    dscg_way[r < p_death + p_transfer + 0.02 + 0.01] = DSCG_COMMUNITY
    dscg_way[r < p_death + p_transfer + 0.02] = DSCG_AGAINST_ADVICE
    dscg_way[r < p_death + p_transfer] = DSCG_TRANSFER
    dscg_way[r < p_death] = DSCG_DEATH
    dscg_way[low_std] = DSCG_HOME
    los = np.where(dscg_way == DSCG_DEATH, np.maximum(1, (los * 0.7).astype(np.int64)), los)

    reg = P["region"]
    cost = (C["cost"][cond] * C["opt_cost"][cond, opt] * np.array(levels["cost_factor"])[lv - 1]
            * region.cost_factor[hosp] * np.where(region.is_tcm[hosp], 0.95, 1.0)
            * (1 + reg["inflation"]) ** year_index * comp_cost
            * rng.lognormal(0, reg["cost_sigma"], n) * (los / exp_los) ** reg["cost_los_elasticity"])
    cost += np.array(levels["cost_factor"])[lv - 1] * (icu_min / 1440 * reg["icu_day_cost"]
                                                         + vent_min / 1440 * reg["vent_day_cost"])
    los[low_std] = rng.integers(1, 4, int(low_std.sum()))
    cost[low_std] *= 0.55

    adm_way = np.where(rng.random(n) < 0.15 + 0.35 * (C["complexity"][cond] == 3), ADM_EMERGENCY, ADM_OUTPATIENT)
    adm_way[rng.random(n) < 0.02] = ADM_TRANSFER

    batch = dict(
        row_id=first_id + np.arange(n, dtype=np.int64), hosp=hosp, cond=cond, main_dx=main_dx,
        main_name=main_dx.copy(), sec=sec, sec_adm=sec_adm, procs=procs, male=male, age=age,
        days=days, los=los, cost=cost, icu_min=icu_min, vent_min=vent_min,
        coma_bf=coma_bf.astype(np.int64), coma_af=coma_af.astype(np.int64), dscg_way=dscg_way,
        adm_way=adm_way, low_std=low_std, symptom_error=symptom_error,
        opt_surgical=(opt_codes[:, 0] >= 0) & tables.px_surgical[np.maximum(opt_codes[:, 0], 0)],
        dept=C["dept"][cond], severe=(C["complexity"][cond] == 3) | (n_comp > 0),
        doctor=rng.integers(0, P["places"]["doctors_per_department"], n),
        trt=np.where(region.is_tcm[hosp], rng.choice(3, n, p=[0.3, 0.55, 0.15]), 0),
    )
    _neonates(tables, batch, rng)
    _dates(batch, year, rng)
    _patients(tables, region, batch, rng)
    return batch


def _neonates(tables: Tables, b: dict, rng) -> None:
    """Birth and admission weights (g, 10 g precision) for stays at age < 29 days."""
    n = len(b["cond"])
    neo = (b["days"] >= 0) & (b["days"] < 29)
    mean = np.where(tables.cond["bw_mean"][b["cond"]] > 0, tables.cond["bw_mean"][b["cond"]], 3200)
    sd = np.where(tables.cond["bw_sd"][b["cond"]] > 0, tables.cond["bw_sd"][b["cond"]], 420)
    bw = np.clip(rng.normal(mean, sd), 450, 5200)
    gain = np.where(b["days"] <= 3, -0.05 * rng.random(n), 0.01 * np.maximum(b["days"], 0))
    b["bw"] = np.where(neo, np.rint(bw / 10) * 10, -1).astype(np.int64)
    b["adm_wt"] = np.where(neo, np.rint(bw * (1 + gain) / 10) * 10, -1).astype(np.int64)


def _dates(b: dict, year: int, rng) -> None:
    """Discharge day in the year, admission = discharge - LOS, upload within 7 days."""
    n = len(b["cond"])
    start = (np.datetime64(f"{year}-01-01", "D") - EPOCH).astype(np.int64)
    length = (np.datetime64(f"{year + 1}-01-01", "D") - EPOCH).astype(np.int64) - start
    b["dscg_day"] = start + rng.integers(0, length, n)
    b["dscg_min"] = rng.integers(8 * 60, 18 * 60, n)
    b["adm_day"] = b["dscg_day"] - b["los"]
    b["adm_min"] = rng.integers(0, 24 * 60, n)
    b["upload"] = (b["dscg_day"] * 1440 + b["dscg_min"] + np.minimum(rng.geometric(0.45, n) - 1, 6) * 1440
                   + rng.integers(30, 20 * 60, n))
    # procedure days: the principal early in the stay, the others anywhere in it
    offset = (rng.random((n, PROC_SLOTS)) * (b["los"][:, None] + 1)).astype(np.int64)
    offset[:, 0] = np.minimum(offset[:, 0], np.maximum(b["los"] // 3, 1))
    b["proc_off"] = np.where(b["procs"] >= 0, np.minimum(offset, b["los"][:, None]), -1)


def _patients(tables: Tables, region: Region, b: dict, rng) -> None:
    """Patient ids and birth dates; some stays reuse an earlier patient (readmissions)."""
    n = len(b["cond"])
    b["psn"] = b["row_id"] + 3_000_000_000_000
    span = np.rint(b["age"] * 365.2425).astype(np.int64) + rng.integers(0, 365, n)
    b["brdy"] = b["adm_day"] - np.where(b["days"] >= 0, b["days"], span)
    emp_p = np.where(b["age"] >= 60, tables.params["insurance"]["employee_share_retired"],
                     tables.params["insurance"]["employee_share_working_age"])
    b["employee"] = (rng.random(n) < emp_p) & (b["age"] >= 18)

    key = b["male"].astype(np.int64) * 100 + np.minimum(b["age"] // 5, 40)
    order = np.lexsort((b["adm_day"], key))
    pos = np.empty(n, dtype=np.int64)
    pos[order] = np.arange(n)
    want = (rng.random(n) < tables.params["region"]["readmission_rate"]) & (b["days"] < 0) & (b["age"] >= 1)
    partner_pos = pos - rng.integers(1, 40, n)
    ok = want & (partner_pos >= 0)
    partner = order[np.maximum(partner_pos, 0)]
    ok &= (key[partner] == key) & (b["dscg_day"][partner] < b["adm_day"]) & (b["days"][partner] < 0)
    link = np.where(ok, partner, np.arange(n))
    for _ in range(64):  # follow chains to the first stay of each patient
        nxt = link[link]
        if np.array_equal(nxt, link):
            break
        link = nxt
    for col in ("psn", "brdy", "employee"):
        b[col] = b[col][link]
    b["readmitted"] = link != np.arange(n)
