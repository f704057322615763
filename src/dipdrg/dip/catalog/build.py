"""Build a local DIP catalog pack from history (DESIGN §4.2–4.3, §4.6).

The work is a fixed sequence of set-based SQL steps (the numbered ``.sql`` files beside this
module, one rule each) over temporary tables of the workspace connection; Python only orders
the steps, binds the policy values and writes the pack. The whole build runs inside
``Workspace.run("dip-catalog", ...)`` so the workspace records which inputs and values made the
pack, and the pack directory appears only when every step has succeeded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from dipdrg.dip.catalog.params import CatalogParams, read_params
from dipdrg.dip.group.engine import drop_temps, run_named_steps
from dipdrg.dip.pack.model import Catalog
from dipdrg.dip.progress import OnStep, no_steps
from dipdrg.dip.score.aux import case_subtypes
from dipdrg.dip.score.exact import install_macros
from dipdrg.dip.score.point_value import YearTotal, budget_point_value
from dipdrg.errors import UserError
from dipdrg.policy.loader import Policy
from dipdrg.publish import publish_directory
from dipdrg.sqlfiles import run_sql
from dipdrg.workspace.fingerprint import cases_fingerprint
from dipdrg.workspace.store import Workspace

PKG = "dipdrg.dip.catalog"

STATUS_NAMES = {
    "ok": "纳入测算",
    "no_year": "缺少出院（结算）日期",
    "no_principal_dx": "无有效主要诊断",
    "excluded_dx": "主要诊断属于国家分组方案的不纳入分组诊断",
    "no_cost": "医疗费总额缺失或为负",
    "invalid_procedure": "主要手术操作编码无法识别",
}


@dataclass
class BuildResult:
    """What a build produced: the pack, its headline figures and the run that recorded it."""

    run_id: str
    pack_dir: Path
    params: CatalogParams
    threshold: int
    region_mean: Decimal
    point_value: Decimal
    status_counts: dict[str, int]
    figures: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    national: str | None = None  # "<id> <version>" of the national pack applied, if any


def _stats(con: duckdb.DuckDBPyConnection, into: str, p: CatalogParams, *, trimmed: bool,
           keep_sums: str | None = None) -> None:
    """Shared statistics over the view ``cat_stat_input``: yearly sums, then weighted means."""
    if trimmed:
        run_sql(con, PKG, "stats_year_sums_trimmed.sql", trim_lower=p.trim_lower,
                 trim_upper=p.trim_upper, trim_min_cases=p.trim_min_cases)
    else:
        run_sql(con, PKG, "stats_year_sums.sql")
    if keep_sums:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {keep_sums} AS SELECT * FROM cat_year_sums")
    run_sql(con, PKG, "stats_weighted.sql")
    con.execute(f"CREATE OR REPLACE TEMP TABLE {into} AS SELECT * FROM cat_stat_result")


def _small_table(con: duckdb.DuckDBPyConnection, name: str, column: str, values: list[Any], sql_type: str) -> None:
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({column} {sql_type})")
    if values:
        con.executemany(f"INSERT INTO {name} VALUES (?)", [(v,) for v in values])


BUILD_STEPS = (
    "读取历史病例", "病例数临界值", "病种组合与相关手术", "病例入组", "病种统计与分值", "基层病种",
    "医疗机构等级系数", "辅助分型", "预算点值", "写出病种库",
)


def _national_exclusions(con: duckdb.DuckDBPyConnection, national: Catalog | None) -> None:
    """``cat_procedures`` / ``cat_excluded_cases``, through the grouper's steps when ``national``."""
    if national is None:
        run_sql(con, PKG, "00_procedures.sql")
        return
    run_sql(con, "dipdrg.dip.group", "ws_steps/01_workspace_input.sql")
    run_named_steps(con, national, ("01_", "03_", "04_"))
    run_sql(con, PKG, "00_national_procedures.sql")
    drop_temps(con)  # on failure the run's transaction is rolled back, temp tables with it


def national_primary_rows(national: Catalog) -> list[tuple[str, str]]:
    """(key, principal procedure or '' = conservative) of each national 基层病种 row."""
    return sorted({(key, code) for rule in national.flag_rules for key in rule.pdx_keys
                   for code in (rule.terms[0] if rule.terms else ("",))})


def _attribute_check(con: duckdb.DuckDBPyConnection, p: CatalogParams, ok_cases: int) -> list[str]:
    """Refuse when too many principal procedures lack a treatment attribute; else a warning."""
    run_sql(con, PKG, "02b_unknown_attributes.sql")
    rows = con.execute("SELECT oprn_code, cases FROM cat_unknown_attributes ORDER BY cases DESC, oprn_code").fetchall()
    missing = sum(n for _, n in rows)
    if not missing:
        return []
    share = Decimal(missing) / Decimal(ok_cases)
    known = con.execute("SELECT COUNT(*) FROM codes WHERE kind = 'procedure' AND category IS NOT NULL").fetchone()[0]
    examples = "、".join(f"{code}（{n:,} 例）" for code, n in rows[:5])
    head = (f"{missing:,} 例（占纳入测算病例 {ok_cases:,} 例的 {share * 100:.2f}%）的主要手术操作在编码表中没有治疗属性"
            f"（手术/介入治疗/治疗性操作/诊断性操作），涉及 {len(rows):,} 个编码，如 {examples}")
    hint = ("工作区尚未加载手术操作属性表，请先运行 dipdrg codes load --categories 属性表.csv" if not known
            else "请在手术操作属性表中补充这些编码后重新加载（dipdrg codes load --categories）")
    if share > p.max_unknown_attribute_share:
        raise UserError(f"{head}；超过上限 {p.max_unknown_attribute_share * 100:.2f}%（dip.catalog.max_unknown_attribute_share），"
                        f"未生成病种库。这些病例进不了综合病种，会被算作无法入组。{hint}", field="dip.catalog.max_unknown_attribute_share")
    return [f"{head}；其中未进入核心病种的病例无法归入综合病种（见测算摘要“无法入组”）。{hint}"]


def run_build_steps(con: duckdb.DuckDBPyConnection, p: CatalogParams, *, national: Catalog | None = None,
                    on_step: OnStep = no_steps) -> dict[str, Any]:
    """Run every build step on ``con``; leaves the ``cat_*`` temp tables the pack is written from.

    ``national``: a dip-national pack whose 不纳入分组诊断/手术 lists apply to the history.
    ``on_step`` is called with each name of :data:`BUILD_STEPS` as that step starts.
    """
    install_macros(con)
    con.execute("CREATE OR REPLACE TEMP TABLE cat_year_weights (case_year INTEGER, weight DECIMAL(18,6))")
    con.executemany("INSERT INTO cat_year_weights VALUES (?, ?)", list(p.year_weights.items()))

    on_step(BUILD_STEPS[0])
    _national_exclusions(con, national)
    run_sql(con, PKG, "01_related_terms.sql")
    run_sql(con, PKG, "02_history.sql", year_basis=p.year_basis)
    status = dict(con.execute("SELECT status, COUNT(*) FROM cat_history GROUP BY status").fetchall())
    if not status.get("ok"):
        years = "、".join(map(str, p.year_weights))
        raise UserError(f"测算年度（{years}）没有可用的历史病例（请检查是否已导入结算清单、年度是否正确）", field="--years")
    warnings = _attribute_check(con, p, status["ok"])

    on_step(BUILD_STEPS[1])
    threshold = p.threshold
    if p.threshold_mode == "coverage":
        run_sql(con, PKG, "03_threshold_coverage.sql", coverage_target=p.coverage_target)
        threshold = int(con.execute("SELECT threshold FROM cat_threshold").fetchone()[0])

    on_step(BUILD_STEPS[2])
    run_sql(con, PKG, "04_combo_input.sql")
    _stats(con, "cat_combo_stats", p, trimmed=True)
    run_sql(con, PKG, "05_combo_decisions.sql", threshold=threshold, related_share=p.related_share)
    on_step(BUILD_STEPS[3])
    run_sql(con, PKG, "06_case_groups.sql", threshold=threshold)

    on_step(BUILD_STEPS[4])
    run_sql(con, PKG, "07_group_input.sql")
    _stats(con, "cat_group_stats", p, trimmed=True)
    run_sql(con, PKG, "07_region_input.sql")
    _stats(con, "cat_region_stats", p, trimmed=False)
    if p.score_method == "reference_group":
        found = con.execute("SELECT COUNT(*) FROM cat_group_stats WHERE set_key = ?", [p.reference_group]).fetchone()[0]
        if not found:
            raise UserError(f"基准病种 {p.reference_group} 不在本次测算生成的病种中", field="dip.score.reference_group")
    run_sql(con, PKG, "08_scores.sql", score_method=p.score_method, scale=p.scale,
             reference_group=p.reference_group, fixed_amount=p.fixed_amount)

    on_step(BUILD_STEPS[5])
    _small_table(con, "cat_primary_list", "group_code", list(p.primary_care_groups), "VARCHAR")
    _small_table(con, "cat_primary_levels", "hosp_lv", list(p.primary_care_levels), "VARCHAR")
    con.execute("CREATE OR REPLACE TEMP TABLE cat_national_primary (dx_key VARCHAR, pp VARCHAR)")
    if national is not None and national.flag_rules:
        con.executemany("INSERT INTO cat_national_primary VALUES (?, ?)", national_primary_rows(national))
    run_sql(con, PKG, "09_primary_care.sql", primary_care_mode=p.primary_care_mode,
             max_cv=p.primary_care_max_cv, min_share=p.primary_care_min_share)

    on_step(BUILD_STEPS[6])
    run_sql(con, PKG, "10_coefficient_input.sql")
    _stats(con, "cat_coef_stats", p, trimmed=False, keep_sums="cat_coef_year_sums")
    if p.coefficient_method == "casemix":
        run_sql(con, PKG, "10b_casemix_input.sql")
        _stats(con, "cat_casemix_stats", p, trimmed=False)
    else:
        con.execute("CREATE OR REPLACE TEMP TABLE cat_casemix_stats AS SELECT * FROM cat_coef_stats WHERE FALSE")
    run_sql(con, PKG, "11_coefficients.sql", coefficient_method=p.coefficient_method, per_group=p.per_group,
             per_group_min_cases=p.per_group_min_cases)

    on_step(BUILD_STEPS[7])
    case_subtypes(con, "SELECT setl_id FROM cat_case_groups WHERE group_code IS NOT NULL", p.severity_los_days)
    _small_table(con, "cat_aux_kinds", "aux_kind", list(p.aux_kinds), "VARCHAR")
    run_sql(con, PKG, "12_aux_input.sql")
    run_sql(con, PKG, "stats_year_sums.sql")
    con.execute("CREATE OR REPLACE TEMP TABLE cat_aux_sub_sums AS SELECT * FROM cat_year_sums")
    run_sql(con, PKG, "13_aux_rest_sums.sql")
    run_sql(con, PKG, "stats_weighted.sql")
    con.execute("CREATE OR REPLACE TEMP TABLE cat_aux_stats AS SELECT * FROM cat_stat_result")
    run_sql(con, PKG, "14_aux_types.sql", min_cases=p.aux_min_cases, group_cv_min=p.aux_group_cv_min,
             cv_reduction=p.aux_cv_reduction)

    on_step(BUILD_STEPS[8])
    run_sql(con, PKG, "15_point_value_years.sql")
    years = con.execute("SELECT case_year, cost, score FROM cat_pv_years").fetchall()
    point_value = budget_point_value(YearTotal(y, p.year_weights[y], c, s) for y, c, s in years)
    region_mean = con.execute("SELECT mean_cost FROM cat_region_stats").fetchone()[0]
    run_sql(con, PKG, "16_pack_groups.sql")
    return {"threshold": threshold, "status": status, "point_value": point_value, "region_mean": region_mean,
            "warnings": warnings}


def build_catalog(
    ws: Workspace,
    years: list[int],
    policy: Policy,
    out_dir: Path,
    *,
    previous: Path | None = None,
    report: Path | None = None,
    pack_id: str | None = None,
    version: str | None = None,
    national: Catalog | None = None,
    on_step: OnStep = no_steps,
) -> BuildResult:
    """Build the local catalog of ``years`` into the new pack directory ``out_dir``.

    With ``national`` (a loaded dip-national pack) its exclusion lists apply to the history.
    """
    from dipdrg.dip.catalog.pack import write_exclusions, write_manifest_file, write_tables
    from dipdrg.dip.catalog.report import build_report

    out_dir = Path(out_dir)
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise UserError("输出目录已存在且非空；请指定新的病种库目录", file=out_dir)
    params = read_params(policy, years)
    parameters = {**policy.used("region"), **policy.used("dip")}
    inputs = {"history": cases_fingerprint(ws.con), "policy": policy.values_hash()}
    if national is not None:
        if not national.is_national:
            raise UserError("--national 应为国家分组方案包（kind = dip-national）", file=national.directory)
        inputs["national_pack"] = national.sha256
    if params.primary_care_mode == "national" and national is None:
        raise UserError("基层病种按国家目录确定（primary_care_mode = national）须同时给出国家分组方案包 --national",
                        field="dip.coefficient.primary_care_mode")
    if previous is not None:
        from dipdrg.dip.pack.manifest import pack_sha256, read_manifest

        read_manifest(Path(previous))
        inputs["previous_pack"] = pack_sha256(Path(previous))
    with publish_directory(out_dir) as staging:
        with ws.run("dip-catalog", inputs=inputs, parameters=parameters) as run_id:
            figures = run_build_steps(ws.con, params, national=national, on_step=on_step)
            result = BuildResult(
                run_id=run_id, pack_dir=out_dir, params=params, threshold=figures["threshold"],
                region_mean=figures["region_mean"], point_value=figures["point_value"],
                status_counts=figures["status"], warnings=figures["warnings"],
                national=f"{national.manifest.id} {national.manifest.version}" if national is not None else None,
            )
            on_step(BUILD_STEPS[9])
            write_tables(ws.con, staging)
            if national is not None:
                write_exclusions(national, staging)
            result.figures = build_report(ws.con, staging, result, previous=previous, xlsx=report)
            write_manifest_file(staging, result, policy, inputs, pack_id=pack_id, version=version)
    return result
