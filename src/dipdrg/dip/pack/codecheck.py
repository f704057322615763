"""Check a pack's codes against loaded code lists (unknown code = a user error unless allowed)."""

from __future__ import annotations

from pathlib import Path

from dipdrg.dip.pack.model import Catalog
from dipdrg.dip.pack.tables import read_table


def read_code_lists(paths: list[Path]) -> tuple[set[str], set[str]]:
    """(diagnosis codes, procedure codes) from CSV files with a ``code`` column."""
    dx, proc = set(), set()
    for path in paths:
        for row in read_table(path, ("code",)):
            code = row["code"]
            if code:
                (dx if code[0].isalpha() else proc).add(code)
    return dx, proc


def unknown_codes(catalog: Catalog, dx_codes: set[str], proc_codes: set[str]) -> list[str]:
    """Human-readable problems: procedure codes not in the list, diagnosis keys prefixing no code."""
    problems: list[str] = []
    if proc_codes:
        seen: set[str] = set()
        for rule in [*catalog.rules, *catalog.flag_rules]:
            for term in rule.terms:
                for code in term:
                    if code not in proc_codes and code not in seen:
                        seen.add(code)
                        problems.append(f"{rule.rule_ref}：手术操作编码 {code} 不在已加载的编码表中")
        for code in catalog.excluded_proc:
            if code not in proc_codes and code not in seen:
                seen.add(code)
                problems.append(f"不纳入分组手术：手术操作编码 {code} 不在已加载的编码表中")
    if dx_codes:
        prefixes = {c[:3] for c in dx_codes} | {c[:5] for c in dx_codes}
        seen = set()
        for rule in [*catalog.rules, *catalog.flag_rules]:
            for key in (*rule.pdx_keys, *rule.sdx_keys, *rule.anydx_keys):
                if key not in prefixes and key not in seen:
                    seen.add(key)
                    problems.append(f"{rule.rule_ref}：诊断键 {key} 不是已加载编码表中任何编码的前缀")
        problems += [f"不纳入分组诊断：诊断编码 {c} 不在已加载的编码表中" for c in catalog.excluded_dx if c not in dx_codes]
        for comp in catalog.comprehensive:
            if comp.dx3 not in prefixes:
                problems.append(f"{comp.rule_ref}：诊断键 {comp.dx3} 不是已加载编码表中任何编码的前缀")
    return problems
