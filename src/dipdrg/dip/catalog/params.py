"""The catalog-build parameters, read once from the policy and checked together.

Every value comes from ``policy/defaults/dip.toml`` (or a regional file); the build records
``policy.used("dip")`` and ``policy.used("region")`` so a pack says which values made it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from dipdrg.errors import UserError
from dipdrg.policy.loader import Policy


@dataclass(frozen=True)
class CatalogParams:
    """Everything the build steps bind as SQL parameters."""

    year_basis: str
    year_weights: dict[int, Decimal]
    threshold_mode: str
    threshold: int
    coverage_target: Decimal
    related_share: Decimal
    max_unknown_attribute_share: Decimal
    trim_lower: Decimal
    trim_upper: Decimal
    trim_min_cases: int
    score_method: str
    scale: Decimal
    reference_group: str
    fixed_amount: Decimal
    coefficient_method: str
    per_group: bool
    per_group_min_cases: int
    primary_care_mode: str
    primary_care_groups: tuple[str, ...]
    primary_care_max_cv: Decimal
    primary_care_min_share: Decimal
    primary_care_levels: tuple[str, ...]
    aux_kinds: tuple[str, ...]
    aux_min_cases: int
    aux_cv_reduction: Decimal
    aux_group_cv_min: Decimal
    severity_los_days: int


def year_weights(years: list[int], weights: list[Decimal],
                 key: str = "dip.catalog.year_weights") -> dict[int, Decimal]:
    """Pair history years (sorted, oldest first) with the policy weights (Y−3 : Y−2 : Y−1).

    DESIGN §4.6 "Year weights": the weights belong to the years in order; a year without
    cases simply drops out of each weighted mean (renormalised there, not here). ``key`` is the
    policy parameter the weights came from (named in errors; DRG weights use their own).
    """
    ordered = sorted(set(years))
    if len(ordered) != len(years):
        raise UserError(f"测算年度重复：{years}", field="--years")
    if len(ordered) != len(weights):
        raise UserError(
            f"测算年度有 {len(ordered)} 个（{'、'.join(map(str, ordered))}），"
            f"而年度权重 {key} 有 {len(weights)} 个（{':'.join(map(str, weights))}）；两者个数须一致",
            field="--years",
        )
    if any(w < 0 for w in weights) or not any(w > 0 for w in weights):
        raise UserError("年度权重须为非负数且至少一个大于 0", field=key)
    return dict(zip(ordered, weights))


def read_params(policy: Policy, years: list[int]) -> CatalogParams:
    """Read and cross-check the build parameters (Chinese errors name the parameter)."""
    g = policy.get
    threshold = g("dip.catalog.threshold") or (
        g("dip.catalog.threshold_province") if g("region.scope") == "province" else g("dip.catalog.threshold_city")
    )
    lower, upper = g("dip.catalog.trim_lower"), g("dip.catalog.trim_upper")
    if lower >= upper:
        raise UserError(f"剔除极值的下分位 {lower} 须小于上分位 {upper}", field="dip.catalog.trim_lower")
    method = g("dip.score.method")
    if method == "reference_group" and not g("dip.score.reference_group"):
        raise UserError("基准病种法须设置基准病种编码 dip.score.reference_group", field="dip.score.reference_group")
    if method == "fixed_amount" and g("dip.score.fixed_amount") <= 0:
        raise UserError("标准定额法须设置大于 0 的定额 dip.score.fixed_amount", field="dip.score.fixed_amount")
    kinds = tuple(g("dip.aux.kinds"))
    unknown = [k for k in kinds if k not in ("severity", "age", "icu")]
    if unknown:
        raise UserError(f"未知的辅助分型 {'、'.join(unknown)}（可用 severity/age/icu）", field="dip.aux.kinds")
    return CatalogParams(
        year_basis=g("dip.catalog.year_basis"),
        year_weights=year_weights(years, list(g("dip.catalog.year_weights"))),
        threshold_mode=g("dip.catalog.threshold_mode"),
        threshold=int(threshold),
        coverage_target=g("dip.catalog.coverage_target"),
        related_share=g("dip.catalog.related_procedure_share"),
        max_unknown_attribute_share=g("dip.catalog.max_unknown_attribute_share"),
        trim_lower=lower,
        trim_upper=upper,
        trim_min_cases=g("dip.catalog.trim_min_cases"),
        score_method=method,
        scale=g("dip.score.scale"),
        reference_group=g("dip.score.reference_group"),
        fixed_amount=g("dip.score.fixed_amount"),
        coefficient_method=g("dip.coefficient.method"),
        per_group=g("dip.coefficient.per_group"),
        per_group_min_cases=g("dip.coefficient.per_group_min_cases"),
        primary_care_mode=g("dip.coefficient.primary_care_mode"),
        primary_care_groups=tuple(g("dip.coefficient.primary_care_groups")),
        primary_care_max_cv=g("dip.coefficient.primary_care_max_cv"),
        primary_care_min_share=g("dip.coefficient.primary_care_min_share"),
        primary_care_levels=tuple(g("dip.coefficient.primary_care_levels")),
        aux_kinds=kinds,
        aux_min_cases=g("dip.aux.min_cases"),
        aux_cv_reduction=g("dip.aux.cv_reduction"),
        aux_group_cv_min=g("dip.aux.group_cv_min"),
        severity_los_days=g("dip.aux.severity_los_days"),
    )
