"""In-memory lookups over a loaded pack for the single-case path (built once per pack).

Sets and dicts keyed by exact code strings (ALGORITHM.md: matching is exact, case-sensitive
equality), ordered lists of MDCs, ADRGs and DRGs, and the QY pseudo-ADRGs when enabled.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dipdrg.drg.pack import DrgPack, parse_category_rule


def _opt_int(value: str) -> int | None:
    return int(value) if value != "" else None


@dataclass(frozen=True)
class MdcRule:
    mdc: str
    order: int
    entry_shape: str
    gender: int | None
    age_years_min: int | None
    age_years_max: int | None
    min_regions: int | None


@dataclass
class AdrgRule:
    adrg: str
    atoms: list[tuple[str, str]]
    lists: dict[str, frozenset[str]] = field(default_factory=dict)
    categories: dict[str, dict[str, str]] = field(default_factory=dict)
    category_rule: list[frozenset[str]] = field(default_factory=list)
    category_rule_text: str = ""
    age_days_max: int | None = None
    weight_min: int | None = None
    weight_max: int | None = None
    is_qy: bool = False


@dataclass
class PackIndex:
    mdcs: list[MdcRule]
    mdc_codes: dict[str, dict[str, str]]        # dx code -> {mdc: region}
    adrgs: dict[str, list[AdrgRule]]            # mdc -> rules in check order (QY included)
    drgs: dict[str, list[tuple[str, str]]]      # adrg -> [(drg, rule)] in check order
    or_codes: frozenset[str]
    mcc: dict[str, set[str]]                    # code -> exclusion tables
    cc: dict[str, set[str]]
    cce: dict[str, frozenset[str]]              # principal dx -> exclusion tables
    dx_map: dict[str, str]
    proc_map: dict[str, str]


def pack_index(pack: DrgPack) -> PackIndex:
    """The lookups for ``pack``, cached on the pack object."""
    if "index" not in pack._cache:
        pack._cache["index"] = _build(pack)
    return pack._cache["index"]


def _table_map(rows: list[dict[str, str]], key: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for row in rows:
        out.setdefault(row[key], set()).add(row["exclusion_table"])
    return out


def _build(pack: DrgPack) -> PackIndex:
    mdcs = sorted(
        (MdcRule(r["mdc"], int(r["check_order"]), r["entry_shape"], _opt_int(r["gender"]),
                 _opt_int(r["age_years_min"]), _opt_int(r["age_years_max"]),
                 _opt_int(r["min_regions"])) for r in pack.rows("mdc")),
        key=lambda m: m.order,
    )
    mdc_codes: dict[str, dict[str, str]] = {}
    for row in pack.rows("mdc_dx"):
        mdc_codes.setdefault(row["code"], {})[row["mdc"]] = row["region"]

    shapes: dict[str, list[tuple[str, str]]] = {}
    for row in pack.rows("rule_shapes"):
        atoms = shapes.setdefault(row["shape"], [])
        if row["atom"]:
            atoms.append((row["atom"], row["list"]))
    codes: dict[tuple[str, str], set[str]] = {}
    categories: dict[tuple[str, str], dict[str, str]] = {}
    for row in pack.rows("adrg_codes"):
        codes.setdefault((row["rule_id"], row["list"]), set()).add(row["code"])
        if row["category"]:
            categories.setdefault((row["rule_id"], row["list"]), {})[row["code"]] = row["category"]

    ordered: dict[str, list[tuple[tuple[int, int], AdrgRule]]] = {m.mdc: [] for m in mdcs}
    for row in pack.rows("adrg"):
        atoms = shapes[row["rule_shape"]]
        names = {name for _, name in atoms if name}
        rule = AdrgRule(
            adrg=row["adrg"],
            atoms=atoms,
            lists={n: frozenset(codes.get((row["rule_id"], n), ())) for n in names},
            categories={n: categories.get((row["rule_id"], n), {}) for n in names},
            category_rule=parse_category_rule(row["proc_category_rule"]) or [],
            category_rule_text=row["proc_category_rule"],
            age_days_max=_opt_int(row["age_days_max"]),
            weight_min=_opt_int(row["weight_min"]),
            weight_max=_opt_int(row["weight_max"]),
        )
        ordered[row["mdc"]].append(((int(row["check_order"]) * 2, 0), rule))
    if pack.switches["qy_enabled"]:
        for row in pack.rows("mdc"):
            if row["qy_adrg"]:
                qy = AdrgRule(row["qy_adrg"], [("anyproc_in_or_list", "")], is_qy=True)
                ordered[row["mdc"]].append(((int(row["qy_position"]) * 2 + 1, 0), qy))
    adrgs = {m: [rule for _, rule in sorted(items, key=lambda t: t[0])] for m, items in ordered.items()}

    drgs: dict[str, list[tuple[int, str, str]]] = {}
    for row in pack.rows("drg"):
        drgs.setdefault(row["adrg"], []).append((int(row["check_order"]), row["drg"], row["rule"]))
    return PackIndex(
        mdcs=mdcs,
        mdc_codes=mdc_codes,
        adrgs=adrgs,
        drgs={a: [(d, r) for _, d, r in sorted(items)] for a, items in drgs.items()},
        or_codes=frozenset(r["code"] for r in pack.rows("or_procedures")),
        mcc=_table_map(pack.rows("mcc"), "code"),
        cc=_table_map(pack.rows("cc"), "code"),
        cce={k: frozenset(v) for k, v in _table_map(pack.rows("cce"), "principal_dx").items()},
        dx_map={r["source_code"]: r["target_code"] for r in pack.rows("dx_map")},
        proc_map={r["source_code"]: r["target_code"] for r in pack.rows("proc_map")},
    )
