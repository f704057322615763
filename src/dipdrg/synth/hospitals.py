"""The hospitals of the synthetic region: registry, case-mix and behaviour assignment.

Hospitals come from the kinds of ``parameters.toml`` (level, type, specialty, volume), scaled
to the requested count. Each hospital gets a probability over the conditions (its case-mix:
level affinity for complexity × specialty), and some hospitals are chosen — from the seed — to
up-code, split admissions, admit low-standard cases, under-serve or keep patients too long.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dipdrg.synth.tables import Tables

BEHAVIOURS = ("upcoding", "split", "low_standard", "under_service", "long_stay")
BEHAVIOUR_ZH = {
    "upcoding": "高套分组：主要诊断上调为费用更高的同类编码、或虚增并发症编码",
    "split": "分解住院：同一患者出院后 15 天内以同一诊断再次入院",
    "low_standard": "低标入院：无需住院的轻症收住院",
    "under_service": "服务不足：费用明显低于病情所需",
    "long_stay": "超长住院：住院天数远超病种常规",
}


@dataclass
class Region:
    """Hospitals (parallel arrays, index = hospital number) and their case-mix."""

    codes: list[str]
    names: list[str]
    level: np.ndarray          # 1 / 2 / 3
    type: list[str]            # 综合 / 中医 / 专科
    county: list[str]
    volume: np.ndarray         # share of the region's cases
    cost_factor: np.ndarray    # hospital-specific cost level
    is_tcm: np.ndarray
    case_mix: np.ndarray       # (H, C) condition probabilities
    behaviour: dict[str, np.ndarray]   # behaviour -> bool (H,)

    @property
    def n(self) -> int:
        return len(self.codes)


def _kind_counts(kinds: list[dict], hospitals: int) -> list[int]:
    """Scale the default kind counts to ``hospitals`` (largest remainder; ≥ 1 三级综合)."""
    default = sum(k["count"] for k in kinds)
    raw = np.array([k["count"] * hospitals / default for k in kinds])
    counts = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - counts), kind="stable")[: hospitals - counts.sum()]:
        counts[i] += 1
    if counts[0] == 0:  # the first kind is the 三级综合 anchor of the region
        counts[0] = 1
        counts[int(np.argmax(counts[1:])) + 1] -= 1
    return counts.tolist()


def build_region(tables: Tables, hospitals: int, seed: int) -> Region:
    """Create ``hospitals`` hospitals and their case-mix, deterministically from ``seed``."""
    if hospitals < 1:
        from dipdrg.errors import UserError

        raise UserError("医疗机构数量必须至少为 1", field="--hospitals")
    params = tables.params
    places = params["places"]
    rng = np.random.default_rng([seed, 11])
    kinds = params["hospital_kinds"]
    counties = places["counties"]
    codes, names, level, types, county, volume, specialty = [], [], [], [], [], [], []
    serial = {c: 0 for c in range(len(counties))}
    for kind, count in zip(kinds, _kind_counts(kinds, hospitals)):
        for j in range(count):
            cty = j % len(counties) if kind["level"] < 3 else 0
            pattern = kind["names"][j % len(kind["names"])]
            towns = places["towns"]
            town = towns[(j + j // len(towns)) % len(towns)]
            name = pattern.format(city=places["city"], county=counties[cty], town=town)
            while name in names:
                name = name.replace("医院", "第二医院", 1) if "医院" in name else name + "二部"
            serial[cty] += 1
            codes.append(f"H9901{cty + 1:02d}{serial[cty]:05d}")
            names.append(name)
            level.append(kind["level"])
            types.append(kind["type"])
            county.append(counties[cty])
            volume.append(kind["volume"] * float(np.exp(rng.normal(0, 0.25))))
            specialty.append(kind.get("specialty"))
    level_arr = np.array(level, dtype=np.int64)
    volume_arr = np.array(volume) / sum(volume)
    cost_factor = np.exp(rng.normal(0, 0.08, len(codes)))
    is_tcm = np.array([t == "中医" for t in types])
    mix = np.vstack([_case_mix(tables, level[h], types[h], specialty[h]) for h in range(len(codes))])
    return Region(codes, names, level_arr, types, county, volume_arr, cost_factor, is_tcm, mix,
                  _assign_behaviours(params["behaviours"], level_arr, types, rng))


def _case_mix(tables: Tables, level: int, kind_type: str, specialty: dict | None) -> np.ndarray:
    """Condition probabilities of one hospital: frequency × level affinity × specialty."""
    cond = tables.cond
    affinity = np.array(tables.params["levels"]["complexity_affinity"][level - 1])
    w = cond["weight"] * affinity[cond["complexity"] - 1]
    dept = np.array(tables.dept_keys)[cond["dept"]]
    if specialty:
        mask = np.isin(dept, specialty.get("depts", []))
        profiles = np.array(tables.profile_keys)[cond["profile"]]
        mask |= np.isin(profiles, specialty.get("age_profiles", [])) & (cond["complexity"] < 3)
        prefixes = tuple(specialty.get("dx_prefixes", []))
        if prefixes:
            codes = np.array(tables.dx.codes)[cond["dx"]]
            mask |= np.char.startswith(codes, prefixes[0])
            for p in prefixes[1:]:
                mask |= np.char.startswith(codes, p)
        if "age_profiles" in specialty:  # a children's hospital treats children only
            mask &= np.isin(profiles, specialty["age_profiles"])
        w = w * mask
    elif kind_type == "中医":
        w = w * np.where(np.isin(dept, ["NEO", "CS", "NS", "ONC"]), 0.2, 1.0)
        w = w * np.where(np.isin(dept, ["ORT", "REH", "NEU", "RES"]), 1.4, 1.0)
    if level == 1:
        w = w * np.where(np.isin(dept, ["NEO", "CS", "NS", "ONC", "HEM", "BRN", "PSY"]), 0.0, 1.0)
    if w.sum() == 0:
        w = cond["weight"].copy()
    return w / w.sum()


def _assign_behaviours(bp: dict, level: np.ndarray, types: list[str], rng) -> dict[str, np.ndarray]:
    """Pick the hospitals of each behaviour among the general (综合/中医) hospitals."""
    general = np.array([t != "专科" for t in types])
    pools = {
        "upcoding": np.flatnonzero(general & (level >= 2)),
        "split": np.flatnonzero(general & (level >= 2)),
        "low_standard": np.flatnonzero(general & (level <= 2)),
        "under_service": np.flatnonzero(general),
        "long_stay": np.flatnonzero(general & (level >= 2)),
    }
    out = {}
    for name in BEHAVIOURS:
        want = bp[f"{name}_hospitals"]
        pool = pools[name] if len(pools[name]) else np.arange(len(level))
        chosen = rng.choice(pool, size=min(want, len(pool)), replace=False) if want else []
        flags = np.zeros(len(level), dtype=bool)
        flags[chosen] = True
        out[name] = flags
    return out


def option_cumulative(tables: Tables, level: int) -> np.ndarray:
    """Cumulative procedure-option probabilities at a level (C, O).

    Options a level cannot perform (min level above it) move to the conservative option when
    the condition has one; otherwise the remaining options are renormalised.
    """
    cond = tables.cond
    prob = cond["opt_prob"].copy()
    blocked = cond["opt_level"] > level
    conservative = (cond["opt_codes"][:, :, 0] < 0) & (prob > 0)
    moved = np.where(blocked, prob, 0).sum(1)
    prob[blocked] = 0
    has_cons = conservative.any(1)
    first_cons = np.argmax(conservative, axis=1)
    rows = np.flatnonzero(has_cons)
    prob[rows, first_cons[rows]] += moved[rows]
    total = prob.sum(1)
    none_left = total == 0
    prob[none_left] = cond["opt_prob"][none_left]
    prob /= prob.sum(1, keepdims=True)
    cum = np.cumsum(prob, axis=1)
    cum[cum > 1 - 1e-9] = 1.0
    return cum
