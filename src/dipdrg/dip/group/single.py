"""The single-case path: group one case in Python over the same compiled rules as the SQL steps.

It mirrors ``steps/*.sql`` step by step (effective procedures, seeds, checks, ranking,
comprehensive groups) and records why each layer did or did not match, for explanations.
Tests compare it with the SQL path on every hand-built case.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from dipdrg.codes.index import CodeIndex

from dipdrg.dip.group.tables import checked_terms
from dipdrg.dip.pack.model import (
    ANYWHERE, ATTRIBUTE_TO_TREATMENT, CONSERVATIVE, PRINCIPAL, Catalog, Comprehensive, Rule,
)
from dipdrg.codes.batch import dip_keys
from dipdrg.codes.normalise import normalise


def _blank(raw: str | None) -> bool:
    return raw is None or str(raw).strip() == ""


def normalise_code(raw: str | None, kind: str, index: "CodeIndex | None" = None) -> str | None:
    """The codes layer's normaliser (as in file mode and workspace imports); None if not a code."""
    if _blank(raw):
        return None
    return normalise(str(raw).strip(), kind, index.get(kind) if index is not None else None).code


@dataclass
class CaseInput:
    """One case for the single-case path; codes in 医保版 form or messy (cleaned like file mode)."""

    pdx: str | None
    sdx: list[str] = field(default_factory=list)
    procedures: list[str] = field(default_factory=list)  # principal first
    age_days: int | None = None
    birth_weight: int | None = None

    @classmethod
    def of(cls, value: "CaseInput | dict[str, Any]") -> "CaseInput":
        if isinstance(value, CaseInput):
            return value
        return cls(pdx=value.get("pdx"), sdx=list(value.get("sdx") or []),
                   procedures=list(value.get("procedures") or []),
                   age_days=value.get("age_days"), birth_weight=value.get("birth_weight"))


@dataclass
class Facts:
    """What the rules test, as ``dipg_case`` / ``dipg_proc`` / ``dipg_case_dx`` hold it."""

    pdx: str | None
    pdx3: str | None
    pdx4: str | None
    sdx: list[str]
    sdx_keys: set[str]
    all_dx_keys: set[str]
    procs: list[str]            # counting procedures, in order
    pp: str | None
    ignored: list[tuple[str, str]]  # (code, why)
    age_days: int | None
    birth_weight: int | None
    resistant: bool
    stop_reason: str | None
    pdx_raw: str | None = None      # the principal diagnosis as typed
    pdx_note: str | None = None     # the normaliser's word on it (why it is invalid)


@dataclass
class Attempt:
    """One rule tried for the case: matched or the reason it failed."""

    rule: Rule
    dx_len: int
    ok: bool
    why: str
    matched: list[str]


@dataclass
class Outcome:
    facts: Facts
    attempts: list[Attempt]
    chosen: Attempt | None
    comprehensive: Comprehensive | None
    treatment: str | None
    primary_care: bool
    reason: str | None
    primary_ref: str | None


def _index(catalog: Catalog) -> dict[str, Any]:
    if "single" in catalog.cache:
        return catalog.cache["single"]
    seed_pp: dict[tuple[str, str], list[Rule]] = defaultdict(list)
    seed_pdx: dict[str, list[Rule]] = defaultdict(list)
    seed_proc: dict[str, list[Rule]] = defaultdict(list)
    seed_anydx: dict[str, list[Rule]] = defaultdict(list)
    for rule in [*catalog.rules, *catalog.flag_rules]:
        if rule.pdx_keys and rule.proc_mode in (PRINCIPAL, CONSERVATIVE):
            for key in rule.pdx_keys:
                for code in (rule.terms[0] if rule.proc_mode == PRINCIPAL else ("",)):
                    seed_pp[(key, code)].append(rule)
        elif rule.pdx_keys:
            for key in rule.pdx_keys:
                seed_pdx[key].append(rule)
        elif rule.proc_mode in (PRINCIPAL, ANYWHERE):
            for code in rule.terms[0]:
                seed_proc[code].append(rule)
        else:
            for key in rule.anydx_keys:
                seed_anydx[key].append(rule)
    index = {
        "seed_pp": seed_pp, "seed_pdx": seed_pdx, "seed_proc": seed_proc, "seed_anydx": seed_anydx,
        "comp": {(c.dx3, c.treatment): c for c in catalog.comprehensive},
        "layers": sorted({(r.layer_order, r.layer) for r in catalog.rules}),
    }
    catalog.cache["single"] = index
    return index


def case_facts(catalog: Catalog, case: CaseInput, index: "CodeIndex | None" = None) -> Facts:
    """Steps 1-4 for one case."""
    pdx_raw = None if _blank(case.pdx) else str(case.pdx).strip()
    checked = normalise(pdx_raw, "diagnosis", index.get("diagnosis") if index is not None else None) if pdx_raw else None
    pdx = checked.code if checked is not None else None
    pdx3, pdx4 = dip_keys(pdx)
    sdx = [c for c in (normalise_code(s, "diagnosis", index) for s in case.sdx) if c]
    sdx_keys = {k for code in sdx for k in dip_keys(code) if k}
    raw_procs = [p for p in case.procedures if not _blank(p)]
    codes = [normalise_code(p, "procedure", index) for p in raw_procs]
    procs: list[str] = []
    eligible: list[str] = []
    ignored: list[tuple[str, str]] = []
    for code in (c for c in codes if c):
        mode, allowed = catalog.excluded_proc.get(code, ("count", frozenset()))
        if mode == "ignore":
            ignored.append((code, "不纳入分组手术（按保守治疗入组）"))
            continue
        if mode == "principal_if_dx" and not ({pdx3, pdx4} & allowed):
            ignored.append((code, "不纳入分组手术（主要诊断不在允许范围内）"))
            continue
        procs.append(code)
        if mode == "not_principal":
            ignored.append((code, "不可作为主要手术操作（可作为相关手术）"))
        else:
            eligible.append(code)
    stop = None
    if _blank(case.pdx):
        stop = "NO_PDX"
    elif pdx is None:
        stop = "PDX_INVALID"
    elif pdx in catalog.excluded_dx:
        stop = "PDX_EXCLUDED"
    elif codes and codes[0] is None:
        stop = "PROC_INVALID"
    resistant = (pdx in catalog.tb_principal) or any(s in catalog.tb_secondary for s in sdx)
    return Facts(pdx=pdx, pdx3=pdx3, pdx4=pdx4, sdx=sdx, sdx_keys=sdx_keys,
                 all_dx_keys=sdx_keys | {k for k in (pdx3, pdx4) if k}, procs=procs,
                 pp=eligible[0] if eligible else None, ignored=ignored, age_days=case.age_days,
                 birth_weight=case.birth_weight, resistant=resistant, stop_reason=stop,
                 pdx_raw=pdx_raw, pdx_note=checked.message if checked is not None else None)


def _seeds(index: dict[str, Any], f: Facts) -> dict[int, tuple[Rule, int]]:
    """Step 5: candidate rules with the length of the matched principal-diagnosis key."""
    found: dict[int, tuple[Rule, int]] = {}

    def add(rule: Rule, dx_len: int) -> None:
        if rule.rule_id not in found or found[rule.rule_id][1] < dx_len:
            found[rule.rule_id] = (rule, dx_len)

    for key, dx_len in ((f.pdx4, 4), (f.pdx3, 3)):
        if key is None:
            continue
        for rule in index["seed_pp"].get((key, f.pp or ""), []):
            add(rule, dx_len)
        for rule in index["seed_pdx"].get(key, []):
            add(rule, dx_len)
    for code in set(f.procs):
        for rule in index["seed_proc"].get(code, []):
            if rule.proc_mode == ANYWHERE or f.pp == code:
                add(rule, 0)
    for key in f.all_dx_keys:
        for rule in index["seed_anydx"].get(key, []):
            add(rule, 0)
    return found


def _check(rule: Rule, f: Facts) -> tuple[bool, str, list[str]]:
    """Step 6 for one candidate: (ok, why not, codes that matched)."""
    present = set(f.procs)
    matched = [f.pp] if rule.proc_mode == PRINCIPAL and f.pp else []
    for term_no, alternatives in checked_terms(rule):
        hit = [a for a in alternatives if a in present]
        if not hit:
            label = "主要/相关手术" if rule.proc_mode == ANYWHERE else "相关手术"
            return False, f"缺少{label}第 {term_no + 1} 项（{'/'.join(alternatives[:4])}{'…' if len(alternatives) > 4 else ''}）", matched
        matched.append(hit[0])
    if rule.sdx_keys:
        hit = sorted(k for k in f.sdx_keys if k in rule.sdx_keys)
        if not hit:
            return False, f"其他诊断中无 {'/'.join(rule.sdx_keys[:6])}", matched
        matched.append(hit[0])
    if rule.max_age_days is not None and (f.age_days is None or f.age_days > rule.max_age_days):
        return False, f"天龄 {f.age_days} 不满足 ≤ {rule.max_age_days} 天", matched
    if rule.min_weight is not None and (f.birth_weight is None or f.birth_weight < rule.min_weight):
        return False, f"出生体重 {f.birth_weight} 克低于 {rule.min_weight} 克", matched
    if rule.max_weight is not None and (f.birth_weight is None or f.birth_weight > rule.max_weight):
        return False, f"出生体重 {f.birth_weight} 克高于 {rule.max_weight} 克", matched
    if rule.resistant is not None and rule.resistant != f.resistant:
        return False, "耐药情况不符（" + ("要求耐药" if rule.resistant else "要求非耐药") + "）", matched
    return True, "", matched


def rank_key(rule: Rule, dx_len: int) -> tuple:
    """Step 7 ordering, identical to ``07_pick_core.sql``."""
    score = (0, -rule.score) if rule.score is not None else (1, 0)
    return (rule.layer_order, -rule.rel_rank, -dx_len, score, rule.group_code, rule.rule_id)


def group_one(catalog: Catalog, case: CaseInput | dict[str, Any], proc_attr: dict[str, str] | None = None,
              code_index: "CodeIndex | None" = None) -> Outcome:
    """Group one case; the result equals the SQL path's row for the same case."""
    index = _index(catalog)
    f = case_facts(catalog, CaseInput.of(case), code_index)
    attempts: list[Attempt] = []
    if f.stop_reason is None:
        for rule, dx_len in _seeds(index, f).values():
            ok, why, matched = _check(rule, f)
            attempts.append(Attempt(rule, dx_len, ok, why, matched))
    core = sorted((a for a in attempts if a.ok and a.rule.layer != "primary_care"),
                  key=lambda a: rank_key(a.rule, a.dx_len))
    chosen = core[0] if core else None
    comp, treatment, reason = None, None, None
    flag = next((a for a in attempts if a.ok and a.rule.layer == "primary_care"), None)
    primary = False
    if chosen is not None:
        treatment = chosen.rule.treatment
        primary = (flag is not None) if catalog.is_national else chosen.rule.primary_care
    elif f.stop_reason is not None:
        reason = f.stop_reason
    else:
        if f.pp is None:
            wanted = "内科诊疗"
        else:
            wanted = ATTRIBUTE_TO_TREATMENT.get((proc_attr or {}).get(f.pp, ""))
        comp = index["comp"].get((f.pdx3, wanted)) if wanted else None
        if comp is not None:
            treatment, primary = comp.treatment, comp.primary_care
        elif catalog.is_national:
            reason = "NO_CORE_MATCH"
        else:
            reason = "PROC_ATTR_UNKNOWN" if wanted is None else "NO_COMPREHENSIVE"
        treatment = comp.treatment if comp else None
    return Outcome(f, attempts, chosen, comp, treatment, primary, reason,
                   flag.rule.rule_ref if flag and chosen is not None and catalog.is_national else None)
