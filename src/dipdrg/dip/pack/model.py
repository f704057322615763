"""The in-memory form of a loaded pack: one list of matching rules for both pack kinds.

National layers and local core groups are all "diagnosis condition + procedure condition
(+ filters)", so both compile to :class:`Rule`; the SQL grouper and the single-case path read
the same rules, which is what keeps them in agreement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from dipdrg.dip.pack.manifest import Manifest

# proc_mode: how the procedure condition is read
CONSERVATIVE = "conservative"  # no counting procedure on the case (保守治疗)
PRINCIPAL = "principal"        # first term = principal procedure, others anywhere
ANYWHERE = "anywhere"          # every term anywhere on the case (不限定为主要手术操作)
IGNORE = "ignore"              # procedures not considered (newborn pre-groups)

# comprehensive treatment attribute of the principal procedure (DESIGN §4.1)
TREATMENTS = ("相关手术", "治疗性操作", "诊断性操作", "内科诊疗")
ATTRIBUTE_TO_TREATMENT = {"手术": "相关手术", "介入治疗": "相关手术", "治疗性操作": "治疗性操作", "诊断性操作": "诊断性操作"}

LOCAL_CORE_ORDER = 5


@dataclass(frozen=True)
class Rule:
    """One way into one group. ``rel_rank`` orders rules by matched related procedures."""

    rule_id: int
    layer: str
    layer_order: int
    group_code: str
    group_name: str
    group_type: str
    treatment: str
    score: Decimal | None
    primary_care: bool
    rule_ref: str
    pdx_keys: tuple[str, ...]
    anydx_keys: tuple[str, ...]
    sdx_keys: tuple[str, ...]
    proc_mode: str
    terms: tuple[tuple[str, ...], ...]
    rel_rank: int
    max_age_days: int | None = None
    min_weight: int | None = None
    max_weight: int | None = None
    resistant: bool | None = None


@dataclass(frozen=True)
class Comprehensive:
    """A comprehensive group (综合病种): 3-character category × treatment attribute."""

    group_code: str
    group_name: str
    dx3: str
    treatment: str
    score: Decimal | None
    primary_care: bool
    rule_ref: str


@dataclass
class Catalog:
    """A validated pack ready for grouping (SQL tables and single-case indexes derive from it)."""

    manifest: Manifest
    directory: Path
    sha256: str
    rules: list[Rule] = field(default_factory=list)
    flag_rules: list[Rule] = field(default_factory=list)  # national 基层病种 rows: flag only
    comprehensive: list[Comprehensive] = field(default_factory=list)
    excluded_dx: dict[str, str] = field(default_factory=dict)        # code -> name
    excluded_proc: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)  # code -> (mode, allowed dx keys)
    tb_principal: frozenset[str] = frozenset()
    tb_secondary: frozenset[str] = frozenset()
    extra_columns: dict[str, dict[str, str]] = field(default_factory=dict)  # group_code -> carried stats
    warnings: list[str] = field(default_factory=list)
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.manifest.kind

    @property
    def is_national(self) -> bool:
        return self.manifest.kind == "dip-national"

    def with_exclusions(self, national: "Catalog") -> "Catalog":
        """A local catalog that applies a national pack's exclusion lists.

        The national lists *replace* any the local pack carries (a pack built with
        ``--national`` holds copies of them), so giving the same national pack again changes
        nothing; a different one wins, with a warning.
        """
        warnings = list(self.warnings)
        carried = self.excluded_dx or self.excluded_proc
        if carried and (self.excluded_dx, self.excluded_proc) != (national.excluded_dx, national.excluded_proc):
            warnings.append(f"病种库 {self.manifest.id} 自带的不纳入分组诊断/手术清单与国家分组方案 "
                            f"{national.manifest.id} {national.manifest.version} 的不同，本次按后者分组")
        merged = Catalog(
            manifest=self.manifest, directory=self.directory, sha256=self.sha256,
            rules=self.rules, flag_rules=self.flag_rules, comprehensive=self.comprehensive,
            excluded_dx=dict(national.excluded_dx), excluded_proc=dict(national.excluded_proc),
            extra_columns=self.extra_columns, warnings=warnings,
        )
        merged.cache["national_sha256"] = national.sha256
        return merged
