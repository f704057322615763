"""A catalog as the relational tables the SQL steps join against (``dipg_r_*``).

Seeds are pre-joined here so every step is an equi-join: ``dipg_r_seed_pp`` pairs each
principal-diagnosis key with each alternative of the first procedure term ('' = conservative).
"""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pyarrow as pa

from dipdrg.arrow import temp_table_from_arrow
from dipdrg.dip.pack.model import ANYWHERE, CONSERVATIVE, IGNORE, PRINCIPAL, Catalog, Rule

DEC = pa.decimal128(18, 4)


def checked_terms(rule: Rule) -> list[tuple[int, tuple[str, ...]]]:
    """The terms still to find after seeding: all of them anywhere-mode, else all but the first."""
    if rule.proc_mode == ANYWHERE:
        return list(enumerate(rule.terms))
    if rule.proc_mode == PRINCIPAL:
        return list(enumerate(rule.terms))[1:]
    return []


def is_simple(rule: Rule) -> bool:
    """True when the seed join alone decides the match (no further term, diagnosis or filter)."""
    return (not checked_terms(rule) and not rule.sdx_keys and rule.max_age_days is None
            and rule.min_weight is None and rule.max_weight is None and rule.resistant is None)


def needs_dx_keys(catalog: Catalog) -> bool:
    """Whether any rule reads diagnoses other than the principal one (step 2 is needed)."""
    return any(r.sdx_keys or r.anydx_keys for r in [*catalog.rules, *catalog.flag_rules])


def _rows(catalog: Catalog) -> dict[str, dict[str, list]]:
    t: dict[str, dict[str, list]] = {
        "rule": {k: [] for k in ("rule_id", "layer", "layer_order", "group_code", "group_name", "group_type",
                                 "treatment", "score", "primary_care", "rule_ref", "proc_mode", "n_check",
                                 "rel_rank", "need_sdx", "max_age_days", "min_weight", "max_weight", "resistant",
                                 "simple")},
        "seed_pp": {"rule_id": [], "dx_key": [], "pp": []},
        "seed_pdx": {"rule_id": [], "dx_key": []},
        "seed_proc": {"rule_id": [], "code": [], "principal_only": []},
        "seed_anydx": {"rule_id": [], "dx_key": []},
        "term": {"rule_id": [], "term_no": [], "code": []},
        "sdx": {"rule_id": [], "dx_key": []},
        "comp": {k: [] for k in ("dx3", "treatment", "group_code", "group_name", "score", "primary_care", "rule_ref")},
        "excl_dx": {"code": []},
        "excl_proc": {"code": [], "mode": []},
        "excl_proc_dx": {"code": [], "dx_key": []},
        "tb_marker": {"code": [], "role": []},
    }
    for rule in [*catalog.rules, *catalog.flag_rules]:
        checks = checked_terms(rule)
        r = t["rule"]
        for key, value in (("rule_id", rule.rule_id), ("layer", rule.layer), ("layer_order", rule.layer_order),
                           ("group_code", rule.group_code), ("group_name", rule.group_name),
                           ("group_type", rule.group_type), ("treatment", rule.treatment), ("score", rule.score),
                           ("primary_care", rule.primary_care), ("rule_ref", rule.rule_ref),
                           ("proc_mode", rule.proc_mode), ("n_check", len(checks)), ("rel_rank", rule.rel_rank),
                           ("need_sdx", bool(rule.sdx_keys)), ("max_age_days", rule.max_age_days),
                           ("min_weight", rule.min_weight), ("max_weight", rule.max_weight),
                           ("resistant", rule.resistant), ("simple", is_simple(rule))):
            r[key].append(value)
        for term_no, alternatives in checks:
            for code in alternatives:
                _add(t["term"], rule_id=rule.rule_id, term_no=term_no, code=code)
        for key in rule.sdx_keys:
            _add(t["sdx"], rule_id=rule.rule_id, dx_key=key)
        if rule.pdx_keys and rule.proc_mode in (PRINCIPAL, CONSERVATIVE):
            firsts = rule.terms[0] if rule.proc_mode == PRINCIPAL else ("",)
            for key in rule.pdx_keys:
                for code in firsts:
                    _add(t["seed_pp"], rule_id=rule.rule_id, dx_key=key, pp=code)
        elif rule.pdx_keys:
            for key in rule.pdx_keys:
                _add(t["seed_pdx"], rule_id=rule.rule_id, dx_key=key)
        elif rule.proc_mode in (PRINCIPAL, ANYWHERE):
            for code in rule.terms[0]:
                _add(t["seed_proc"], rule_id=rule.rule_id, code=code, principal_only=rule.proc_mode == PRINCIPAL)
        else:
            assert rule.proc_mode == IGNORE and rule.anydx_keys, "rules without any condition are refused on load"
            for key in rule.anydx_keys:
                _add(t["seed_anydx"], rule_id=rule.rule_id, dx_key=key)
    for comp in catalog.comprehensive:
        _add(t["comp"], dx3=comp.dx3, treatment=comp.treatment, group_code=comp.group_code,
             group_name=comp.group_name, score=comp.score, primary_care=comp.primary_care, rule_ref=comp.rule_ref)
    for code in catalog.excluded_dx:
        _add(t["excl_dx"], code=code)
    for code, (mode, allowed) in catalog.excluded_proc.items():
        _add(t["excl_proc"], code=code, mode=mode)
        for key in sorted(allowed):
            _add(t["excl_proc_dx"], code=code, dx_key=key)
    for code in sorted(catalog.tb_principal):
        _add(t["tb_marker"], code=code, role="principal")
    for code in sorted(catalog.tb_secondary):
        _add(t["tb_marker"], code=code, role="secondary")
    return t


def _add(table: dict[str, list], **values: object) -> None:
    for key, value in values.items():
        table[key].append(value)


TYPES = {
    "rule_id": pa.int32(), "layer_order": pa.int32(), "n_check": pa.int32(), "rel_rank": pa.int32(),
    "max_age_days": pa.int32(), "min_weight": pa.int32(), "max_weight": pa.int32(), "term_no": pa.int32(),
    "score": DEC, "primary_care": pa.bool_(), "need_sdx": pa.bool_(), "resistant": pa.bool_(),
    "principal_only": pa.bool_(), "simple": pa.bool_(),
}


def arrow_tables(catalog: Catalog) -> dict[str, pa.Table]:
    """The catalog's tables as Arrow (cached on the catalog: built once per load)."""
    if "arrow" not in catalog.cache:
        out = {}
        for name, columns in _rows(catalog).items():
            fields = [pa.field(k, TYPES.get(k, pa.string())) for k in columns]
            arrays = [pa.array([Decimal(v) if k == "score" and v is not None else v for v in values],
                               type=TYPES.get(k, pa.string())) for k, values in columns.items()]
            out[name] = pa.Table.from_arrays(arrays, schema=pa.schema(fields))
        catalog.cache["arrow"] = out
    return catalog.cache["arrow"]


def install(con: duckdb.DuckDBPyConnection, catalog: Catalog) -> None:
    """Create the temporary ``dipg_r_*`` tables on a connection."""
    for name, table in arrow_tables(catalog).items():
        temp_table_from_arrow(con, f"dipg_r_{name}", table)
