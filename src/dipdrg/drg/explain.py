"""Single-case CHS-DRG grouping with the reasons for every step (ALGORITHM.md §3–§7).

This is the per-case twin of the SQL grouper in ``sql/``: it walks the same pack tables in
the same order and records which list and code decided the MDC, the ADRG and the DRG, which
MDCs were tried, and which CC/MCC counted or were excluded. Tests require both paths to
agree on every reference case.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dipdrg.drg.case import DrgCase
from dipdrg.drg.index import AdrgRule, PackIndex, pack_index
from dipdrg.drg.pack import DrgPack, load_pack
from dipdrg.drg.vocabulary import (
    ATOMS,
    ENTRY_SHAPES,
    LEVEL_TEXT,
    REASONS,
    SEVERITY_RULES,
    STATUS_CHECK_FAILED,
    STATUS_FAIL,
    STATUS_SUCCESS,
)


@dataclass
class MdcTrial:
    mdc: str
    entered: bool
    detail: str          # why the entry rule held or failed, or what happened inside


@dataclass
class Evidence:
    atom: str
    list: str
    codes: tuple[str, ...]
    text: str


@dataclass
class Complication:
    code: str
    level: str           # 'mcc' | 'cc'
    table: str
    excluded: bool


@dataclass
class Explanation:
    """The result of grouping one case and the trace that led to it."""

    status: str
    reason: str | None
    mdc: str = "0000"
    adrg: str = "00"
    drg: str = "0000"
    level: str = "none"
    drg_rule: str = ""
    mdc_trials: list[MdcTrial] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    complications: list[Complication] = field(default_factory=list)
    principal_tables: tuple[str, ...] = ()
    pack: str = ""

    def lines(self) -> list[str]:
        """The trace in Chinese, one line per fact."""
        out = [f"方案包：{self.pack}", f"结果：{self.status} {self.mdc} → {self.adrg} → {self.drg}"]
        if self.reason:
            out.append(f"原因：{self.reason} {REASONS.get(self.reason, '')}")
        for trial in self.mdc_trials:
            mark = "✓" if trial.entered else "✗"
            out.append(f"  {mark} {trial.mdc}：{trial.detail}")
        if self.evidence:
            out.append(f"ADRG {self.adrg} 的依据：")
            for ev in self.evidence:
                codes = "、".join(c if c else "（空）" for c in ev.codes)
                where = f"列表 {ev.list} 中的 {codes}" if ev.list else codes
                out.append(f"  · {ev.text}：{where}")
        if self.complications:
            tables = "、".join(self.principal_tables) or "无"
            out.append(f"CC/MCC（主要诊断所属排除表：{tables}）：")
            for comp in self.complications:
                state = f"被排除（排除表 {comp.table}）" if comp.excluded else "计入"
                out.append(f"  · {comp.code} {comp.level.upper()}（排除表 {comp.table}）{state}")
        if self.status == STATUS_SUCCESS and self.drg_rule:
            out.append(f"DRG {self.drg}：严重程度 {LEVEL_TEXT[self.level]}，满足规则 {self.drg_rule}")
        return out


def explain_case(pack: DrgPack | str, case: DrgCase) -> Explanation:
    """Group one case with ``pack`` (a loaded pack or its directory) and explain it."""
    pack = load_pack(pack) if not isinstance(pack, DrgPack) else pack
    idx = pack_index(pack)
    result = Explanation(STATUS_CHECK_FAILED, None, pack=f"{pack.id} {pack.version}")
    reason = _check(case)
    if reason:
        result.reason = reason
        return result
    dx, procs = list(case.diagnoses) or [""], list(case.procedures)
    if pack.switches["code_mapping"]:
        mapped = _map(idx, dx, procs)
        if mapped is None:
            result.reason = "code_unmapped"
            return result
        dx, procs = mapped
    result.status = STATUS_FAIL
    facts = _Facts(idx, case, dx, procs)
    entered_any = False
    for mdc in idx.mdcs:
        entered, detail = _entry(idx, mdc, facts)
        trial = MdcTrial(mdc.mdc, entered, detail)
        result.mdc_trials.append(trial)
        if not entered:
            continue
        entered_any = True
        for rule in idx.adrgs[mdc.mdc]:
            evidence = _match(rule, facts)
            if evidence is not None:
                trial.detail += f"；ADRG {rule.adrg} 匹配"
                _choose(idx, result, mdc.mdc, rule, evidence, facts)
                return result
        trial.detail += f"；但 {len(idx.adrgs[mdc.mdc])} 个 ADRG 均不匹配"
        if not pack.switches["fall_through_after_mdc"]:
            trial.detail += "（方案不允许继续尝试后续 MDC）"
            break
        trial.detail += "，继续尝试后续 MDC"
    result.reason = "no_adrg" if entered_any else "no_mdc"
    return result


def _check(case: DrgCase) -> str | None:
    """Input checks of ALGORITHM.md §3, in order."""
    if case.gender not in (1, 2):
        return "gender"
    if case.age is None:
        return "age"
    if case.age == 0 and case.age_days is None:
        return "age_days"
    if case.age == 0 and case.age_days is not None and case.age_days <= 28 and case.birth_weight is None:
        return "birth_weight"
    return None


def _map(idx: PackIndex, dx: list[str], procs: list[str]):
    """Replace every non-empty code by its target; None when one has no mapping."""
    out = []
    for codes, table in ((dx, idx.dx_map), (procs, idx.proc_map)):
        mapped = []
        for code in codes:
            if code == "":
                mapped.append(code)
            elif code in table:
                mapped.append(table[code])
            else:
                return None
        out.append(mapped)
    return out[0], out[1]


class _Facts:
    """The case's codes and the lookups every rule needs, computed once."""

    def __init__(self, idx: PackIndex, case: DrgCase, dx: list[str], procs: list[str]) -> None:
        self.case, self.dx, self.procs = case, dx, procs
        self.pdx = dx[0]
        self.pproc = procs[0] if procs else None
        self.or_procs = [p for p in procs if p in idx.or_codes]
        self.pproc_or = self.pproc is not None and self.pproc in idx.or_codes

    def codes_at(self, side: str, position: str) -> list[str]:
        codes = self.dx if side == "dx" else self.procs
        if position == "principal":
            return codes[:1]
        if position == "secondary":
            return codes[1:]
        return codes


def _entry(idx: PackIndex, mdc, facts: _Facts) -> tuple[bool, str]:
    """Does the MDC's entry rule hold (§5)? Returns the answer and the reason in Chinese."""
    case = facts.case
    if mdc.entry_shape == "pproc_in_or_list":
        if not facts.pproc_or:
            return False, "主要手术操作不在手术室手术列表中"
        detail = f"主要手术操作 {facts.pproc} 在手术室手术列表中"
    else:
        codes = facts.dx[:1] if mdc.entry_shape == "pdx_in_list" else facts.dx
        hits = [c for c in codes if mdc.mdc in idx.mdc_codes.get(c, {})]
        if not hits:
            which = f"主要诊断 {facts.pdx or '（空）'}" if mdc.entry_shape == "pdx_in_list" else "所有诊断均"
            return False, f"{which}不在该 MDC 的诊断列表中"
        detail = f"{ENTRY_SHAPES[mdc.entry_shape]}：{hits[0] or '（空）'}"
    if mdc.gender is not None and case.gender != mdc.gender:
        return False, f"{detail}，但性别不是 {mdc.gender}"
    if mdc.age_years_min is not None and case.age < mdc.age_years_min:
        return False, f"{detail}，但年龄小于 {mdc.age_years_min} 岁"
    if mdc.age_years_max is not None and case.age > mdc.age_years_max:
        return False, f"{detail}，但年龄大于 {mdc.age_years_max} 岁"
    if mdc.min_regions is not None:
        regions = {idx.mdc_codes[c][mdc.mdc] for c in facts.dx if idx.mdc_codes.get(c, {}).get(mdc.mdc)}
        if len(regions) < mdc.min_regions:
            return False, f"{detail}，但创伤部位仅 {len(regions)} 个（需 ≥ {mdc.min_regions}）"
        detail += f"，创伤部位 {len(regions)} 个：{'、'.join(sorted(regions))}"
    return True, detail


def _match(rule: AdrgRule, facts: _Facts) -> list[Evidence] | None:
    """Evidence for every atom of the rule (§6), or None as soon as one fails."""
    case = facts.case
    if rule.age_days_max is not None and (case.age_days is None or case.age_days > rule.age_days_max):
        return None
    evidence = []
    for atom_name, list_name in rule.atoms:
        atom = ATOMS[atom_name]
        if atom_name == "proc_categories":
            found = _categories(rule, list_name, facts)
            if found is None:
                return None
            evidence.append(found)
            continue
        if atom.needs_list:
            codes = rule.lists.get(list_name, frozenset())
            hits = tuple(c for c in facts.codes_at(atom.side, atom.position) if c in codes)
            if not hits:
                return None
            evidence.append(Evidence(atom_name, list_name, hits[:1], atom.text))
        elif atom_name == "pproc_in_or_list":
            if not facts.pproc_or:
                return None
            evidence.append(Evidence(atom_name, "", (facts.pproc,), atom.text))
        elif atom_name == "anyproc_in_or_list":
            if not facts.or_procs:
                return None
            evidence.append(Evidence(atom_name, "", tuple(facts.or_procs[:1]), atom.text))
        elif atom_name == "no_proc_in_or_list":
            if facts.or_procs:
                return None
            evidence.append(Evidence(atom_name, "", tuple(facts.procs) or ("无手术操作",), atom.text))
        elif atom_name == "birth_weight_in_range":
            w = case.birth_weight
            if not w or (rule.weight_min is not None and w < rule.weight_min) or (
                rule.weight_max is not None and w >= rule.weight_max
            ):
                return None
            evidence.append(Evidence(atom_name, "", (f"{w} 克",), atom.text))
    if rule.age_days_max is not None:
        evidence.append(Evidence("age_days_max", "", (f"{case.age_days} 天",),
                                 f"年龄不超过 {rule.age_days_max} 天"))
    return evidence


def _categories(rule: AdrgRule, list_name: str, facts: _Facts) -> Evidence | None:
    categories = rule.categories.get(list_name, {})
    found = {p: categories[p] for p in facts.procs if categories.get(p)}
    present = set(found.values())
    for clause in rule.category_rule:
        if clause <= present:
            codes = tuple(f"{p}（类别 {c}）" for p, c in found.items() if c in clause)
            return Evidence("proc_categories", list_name, codes,
                            f"手术类别组合 {'&'.join(sorted(clause))} 满足 {rule.category_rule_text}")
    return None


def _choose(idx: PackIndex, result: Explanation, mdc: str, rule: AdrgRule,
            evidence: list[Evidence], facts: _Facts) -> None:
    """Record the chosen ADRG and pick its DRG by severity (§7)."""
    result.status, result.mdc, result.adrg, result.evidence = STATUS_SUCCESS, mdc, rule.adrg, evidence
    if rule.is_qy:
        result.drg, result.reason = rule.adrg, "qy"
        return
    excluded_tables = idx.cce.get(facts.pdx, frozenset())
    result.principal_tables = tuple(sorted(excluded_tables))
    level_rank = {"none": 0, "cc": 1, "mcc": 2}
    best = "none"
    for code in facts.dx[1:]:
        for level, table_map in (("mcc", idx.mcc), ("cc", idx.cc)):
            for table in sorted(table_map.get(code, ())):
                excluded = table in excluded_tables
                result.complications.append(Complication(code, level, table, excluded))
                if not excluded and level_rank[level] > level_rank[best]:
                    best = level
    result.level = best
    for drg, rule_name in idx.drgs[rule.adrg]:
        if best in SEVERITY_RULES[rule_name]:
            result.drg, result.drg_rule = drg, rule_name
            return
