"""Explain the grouping of one case: which layer, which rule row, which codes, why not earlier.

``group_case(catalog, case)`` is the Python API (also behind ``dipdrg dip explain``); it runs
the single-case path of :mod:`dipdrg.dip.group.single`, which agrees with the SQL steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from dipdrg.codes.index import CodeIndex

from dipdrg.dip.group.reasons import LAYER_NAMES, REASONS
from dipdrg.dip.group.single import CaseInput, group_one, rank_key
from dipdrg.dip.pack.model import Catalog


@dataclass
class Explanation:
    """The grouping of one case with its path through the layers."""

    status: str                      # grouped | ungrouped
    group_code: str | None
    group_name: str | None
    group_type: str | None
    layer: str                       # pre/merge/burn/tumor/tb/base/core/comprehensive/exclusion/ungrouped
    rule_ref: str | None
    reason: str | None
    reason_text: str | None
    primary_care: bool
    treatment: str | None
    score: Decimal | None
    principal_dx: str | None
    principal_dx_raw: str | None
    principal_dx_note: str | None
    dx_keys: list[str]
    principal_procedure: str | None
    counted_procedures: list[str]
    ignored_procedures: list[tuple[str, str]]
    matched_codes: list[str]
    path: list[str] = field(default_factory=list)  # one line per layer tried, in order

    def lines(self) -> list[str]:
        """Human-readable (Chinese) lines for the CLI."""
        out = []
        if self.status == "grouped":
            out.append(f"入组：{self.group_code} {self.group_name or ''}（{LAYER_NAMES.get(self.layer, self.layer)}）")
            out.append(f"规则：{self.rule_ref}")
            out.append(f"匹配编码：{'、'.join(self.matched_codes) or '（仅主要诊断）'}")
            if self.treatment:
                out.append(f"治疗方式：{self.treatment}")
            if self.score is not None:
                out.append(f"分值：{self.score}")
            out.append(f"基层病种：{'是' if self.primary_care else '否'}")
        else:
            out.append(f"未入组：{self.reason} {self.reason_text}")
        if self.principal_dx:
            out.append(f"主要诊断：{self.principal_dx}（键 {'/'.join(self.dx_keys) or '-'}）")
        elif self.principal_dx_raw:
            out.append(f"主要诊断：{self.principal_dx_raw}（无效：{self.principal_dx_note or '未能规范化为医保版编码'}）")
        else:
            out.append("主要诊断：（无）")
        out.append(f"主要手术操作：{self.principal_procedure or '（无，保守治疗）'}")
        for code, why in self.ignored_procedures:
            out.append(f"  手术 {code}：{why}")
        out.append("分组路径：")
        out.extend(f"  {line}" for line in self.path)
        return out


def _layer_lines(catalog: Catalog, outcome) -> list[str]:
    """For each layer in order: matched rule, near misses, or no candidate."""
    layers = sorted({(r.layer_order, r.layer) for r in catalog.rules})
    chosen = outcome.chosen
    lines = []
    f = outcome.facts
    if f.stop_reason is not None:
        return [f"在所有层级之前停止：{REASONS[f.stop_reason]}"]
    for order, layer in layers:
        name = LAYER_NAMES.get(layer, layer)
        tried = [a for a in outcome.attempts if a.rule.layer == layer]
        ok = sorted((a for a in tried if a.ok), key=lambda a: rank_key(a.rule, a.dx_len))
        if chosen is not None and chosen.rule.layer == layer:
            others = [f"{a.rule.group_code}" for a in ok[1:4]]
            extra = f"；同层其他匹配 {', '.join(others)} 排序在后（相关手术数、亚目优先、分值、编码）" if others else ""
            lines.append(f"{name}：匹配 {chosen.rule.rule_ref}（{chosen.rule.group_code}）{extra}")
            return lines
        if not tried:
            lines.append(f"{name}：无候选规则（主要诊断键与主要手术在本层无对应行）")
        else:
            misses = "；".join(f"{a.rule.group_code} {a.why}" for a in tried[:3])
            lines.append(f"{name}：{len(tried)} 条候选均不满足（{misses}{'…' if len(tried) > 3 else ''}）")
    if not catalog.is_national:
        comp = outcome.comprehensive
        if comp is not None:
            lines.append(f"综合病种：{f.pdx3} × {comp.treatment} → {comp.group_code}")
        else:
            lines.append(f"综合病种：{REASONS.get(outcome.reason or '', '')}")
    return lines


def group_case(catalog: Catalog, case: CaseInput | dict[str, Any], proc_attr: dict[str, str] | None = None,
               code_index: "CodeIndex | None" = None) -> Explanation:
    """Group one case and explain it. Codes may be messy: they go through the codes layer's
    normaliser (against ``code_index`` when given, e.g. a workspace's lists)."""
    outcome = group_one(catalog, case, proc_attr, code_index)
    f = outcome.facts
    chosen, comp = outcome.chosen, outcome.comprehensive
    if chosen is not None:
        rule = chosen.rule
        code, name, gtype, layer, ref, score = rule.group_code, rule.group_name, rule.group_type, rule.layer, rule.rule_ref, rule.score
        matched = [k for k in (f.pdx4 if chosen.dx_len == 4 else f.pdx3 if chosen.dx_len == 3 else None,) if k] + chosen.matched
    elif comp is not None:
        code, name, gtype, layer, ref, score = comp.group_code, comp.group_name, "comprehensive", "comprehensive", comp.rule_ref, comp.score
        matched = [f.pdx3] + ([f.pp] if f.pp else [])
    else:
        code = name = gtype = ref = score = None
        layer = "exclusion" if outcome.reason == "PDX_EXCLUDED" else "ungrouped"
        matched = []
    path = _layer_lines(catalog, outcome)
    if outcome.primary_ref:
        path.append(f"基层病种：匹配 {outcome.primary_ref}")
    return Explanation(
        status="grouped" if code else "ungrouped", group_code=code, group_name=name, group_type=gtype,
        layer=layer, rule_ref=ref, reason=outcome.reason, reason_text=REASONS.get(outcome.reason or ""),
        primary_care=outcome.primary_care, treatment=outcome.treatment, score=score,
        principal_dx=f.pdx, principal_dx_raw=f.pdx_raw, principal_dx_note=f.pdx_note, dx_keys=[k for k in (f.pdx4, f.pdx3) if k], principal_procedure=f.pp,
        counted_procedures=f.procs, ignored_procedures=f.ignored, matched_codes=matched, path=path,
    )
