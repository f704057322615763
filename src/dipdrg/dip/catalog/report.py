"""The build report (DESIGN §4.2; issue 5 item 5): group counts, coverage, CV distribution, the
largest groups and the changes against a previous pack — as tables, an optional XLSX file and a
short Chinese summary (printed by the CLI and written to ``summary.md`` in the pack).

The report reads the build's temporary tables (small aggregates) and, for the comparison, the
previous pack's ``groups.csv``; it never changes anything.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from dipdrg.dip.pack.tables import read_table
from dipdrg.errors import UserError
from dipdrg.money import four

CV_BANDS = ((Decimal("0"), Decimal("0.3")), (Decimal("0.3"), Decimal("0.5")), (Decimal("0.5"), Decimal("0.7")),
            (Decimal("0.7"), Decimal("1.0")), (Decimal("1.0"), None))
CHANGE_NAMES = {"new": "新增", "removed": "删除", "rescored": "分值调整"}


def _groups(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    cur = con.execute("SELECT group_code, group_name, group_type, score, case_count, mean_cost, cv, primary_care"
                      " FROM cat_pack_groups ORDER BY group_code")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def cv_distribution(groups: list[dict[str, Any]]) -> list[tuple[str, int, int]]:
    """(band, groups, cases) per CV band; groups with one case (no CV spread) fall in the first."""
    rows = []
    for low, high in CV_BANDS:
        inside = [g for g in groups if (g["cv"] or 0) >= low and (high is None or (g["cv"] or 0) < high)]
        label = f"{low}–{high}" if high is not None else f"≥ {low}"
        rows.append((label, len(inside), sum(g["case_count"] for g in inside)))
    return rows


def compare_packs(current: list[dict[str, Any]], previous_dir: Path) -> list[tuple[str, str, str, Any, Any, Any, Any]]:
    """(change, code, name, old score, new score, difference, relative change) vs a previous pack."""
    old_rows = read_table(previous_dir / "groups.csv", ("group_code", "group_name", "score"))
    old = {}
    for row, r in enumerate(old_rows, start=2):
        try:
            old[r["group_code"]] = (r["group_name"], Decimal(r["score"]) if r["score"] else None)
        except ArithmeticError:
            raise UserError(f"分值应为数值，实际为“{r['score']}”", file=previous_dir / "groups.csv", row=row, field="score") from None
    new = {g["group_code"]: (g["group_name"], g["score"]) for g in current}
    out = []
    for code in sorted(new.keys() - old.keys()):
        out.append(("new", code, new[code][0], None, new[code][1], None, None))
    for code in sorted(old.keys() - new.keys()):
        out.append(("removed", code, old[code][0], old[code][1], None, None, None))
    for code in sorted(new.keys() & old.keys()):
        before, after = old[code][1], new[code][1]
        if before != after:
            diff = after - before if None not in (before, after) else None
            rel = four(diff / before) if diff is not None and before else None
            out.append(("rescored", code, new[code][0], before, after, diff, rel))
    return out


def _figures(con: duckdb.DuckDBPyConnection, result: Any, groups: list[dict[str, Any]]) -> dict[str, Any]:
    ok = result.status_counts.get("ok", 0)
    core = [g for g in groups if g["group_type"] == "core"]
    comp = [g for g in groups if g["group_type"] == "comprehensive"]
    core_cases = sum(g["case_count"] for g in core)
    comp_cases = sum(g["case_count"] for g in comp)
    combos, split = con.execute("SELECT COUNT(*), COUNT(CASE WHEN is_core THEN 1 END) FROM cat_combo_decisions").fetchone()
    ignored = con.execute(
        "SELECT COUNT(DISTINCT p.setl_id) FROM case_procedures p JOIN cat_history h ON h.setl_id = p.setl_id"
        " WHERE h.status = 'ok' AND p.seq > 0 AND p.oprn_code IS NULL").fetchone()[0]
    return {
        "ok_cases": ok,
        "core_groups": len(core), "core_cases": core_cases,
        "comprehensive_groups": len(comp), "comprehensive_cases": comp_cases,
        "ungrouped_cases": ok - core_cases - comp_cases,
        "coverage": four(Decimal(core_cases) / Decimal(ok)) if ok else Decimal(0),
        "combos": combos, "combos_split": split,
        "primary_care_groups": sum(1 for g in groups if g["primary_care"]),
        "aux_types": con.execute("SELECT COUNT(*) FROM cat_aux_types").fetchone()[0],
        "cases_with_ignored_procedures": ignored,
    }


def _summary(result: Any, f: dict[str, Any], cv_rows: list, changes: list | None) -> str:
    p = result.params
    years = sorted(p.year_weights)
    excluded = {k: v for k, v in result.status_counts.items() if k != "ok"}
    from dipdrg.dip.catalog.build import STATUS_NAMES

    lines = [
        f"# DIP 本地病种库测算摘要（{years[0]}–{years[-1]} 年）",
        "",
        f"- 历史病例：纳入测算 {f['ok_cases']:,} 例；"
        + ("未纳入 " + "，".join(f"{STATUS_NAMES[k]} {v:,} 例" for k, v in sorted(excluded.items())) if excluded else "无未纳入病例"),
        f"- 年度权重 {':'.join(str(p.year_weights[y]) for y in years)}；病例数临界值 {result.threshold} 例"
        f"（{'按覆盖率 ' + str(p.coverage_target) if p.threshold_mode == 'coverage' else '按病例数'}）",
        f"- 核心病种 {f['core_groups']:,} 组，覆盖 {f['core_cases']:,} 例（{f['coverage'] * 100:.2f}%）；"
        f"综合病种 {f['comprehensive_groups']:,} 组，{f['comprehensive_cases']:,} 例；"
        f"无法入组（主要手术操作无治疗属性）{f['ungrouped_cases']:,} 例",
        f"- 相关手术组合 {f['combos']:,} 个，其中 {f['combos_split']:,} 个因费用增加 ≥ {p.related_share * 100:.0f}% 单独成组",
        f"- 全部病例次均费用 M = {result.region_mean:,} 元；分值方法 {p.score_method}，放大倍数 {p.scale}",
        f"- 预算点值 {result.point_value} 元/分；基层病种 {f['primary_care_groups']:,} 组；辅助分型 {f['aux_types']:,} 个",
        "- 组内变异系数分布：" + "，".join(f"{band} {n:,} 组" for band, n, _ in cv_rows),
    ]
    if result.national:
        lines.append(f"- 套用国家分组方案 {result.national} 的不纳入分组诊断、不纳入分组手术清单")
    lines += [f"- **警告**：{w}" for w in result.warnings]
    if f["cases_with_ignored_procedures"]:
        lines.append(f"- 有 {f['cases_with_ignored_procedures']:,} 例的其他手术操作编码无法识别，测算时未计入相关手术")
    if changes is not None:
        counts = {k: sum(1 for c in changes if c[0] == k) for k in CHANGE_NAMES}
        lines.append(f"- 与上一版病种库相比：新增 {counts['new']:,} 组，删除 {counts['removed']:,} 组，分值调整 {counts['rescored']:,} 组")
    return "\n".join(lines) + "\n"


def build_report(con: duckdb.DuckDBPyConnection, pack_dir: Path, result: Any, *,
                 previous: Path | None = None, xlsx: Path | None = None) -> dict[str, Any]:
    """Compute the report, write ``summary.md`` into the pack and the XLSX when asked."""
    groups = _groups(con)
    figures = _figures(con, result, groups)
    cv_rows = cv_distribution(groups)
    largest = sorted(groups, key=lambda g: (-g["case_count"], g["group_code"]))[:20]
    changes = compare_packs(groups, Path(previous)) if previous is not None else None
    summary = _summary(result, figures, cv_rows, changes)
    (pack_dir / "summary.md").write_text(summary, encoding="utf-8")
    figures.update(summary=summary, cv_distribution=cv_rows, largest=largest, changes=changes)
    if xlsx is not None:
        _write_xlsx(Path(xlsx), result, figures)
    return figures


def _write_xlsx(path: Path, result: Any, f: dict[str, Any]) -> None:
    from openpyxl import Workbook

    from dipdrg.report.xlsx import write_table

    book = Workbook(write_only=True)
    overview = [
        ("纳入测算病例", f["ok_cases"]), ("病例数临界值", result.threshold),
        ("核心病种数", f["core_groups"]), ("核心病种病例", f["core_cases"]), ("核心病种覆盖率", f["coverage"]),
        ("综合病种数", f["comprehensive_groups"]), ("综合病种病例", f["comprehensive_cases"]),
        ("无法入组病例", f["ungrouped_cases"]), ("全部病例次均费用 M", result.region_mean),
        ("预算点值", result.point_value), ("基层病种数", f["primary_care_groups"]), ("辅助分型数", f["aux_types"]),
    ]
    write_table(book, "概览", ["指标", "数值"], overview)
    write_table(book, "变异系数分布", ["变异系数区间", "病种数", "病例数"], f["cv_distribution"], {"病例数": "int"})
    write_table(book, "最大20个病种", ["病种编码", "病种名称", "类型", "病例数", "次均费用", "变异系数", "分值"],
                [(g["group_code"], g["group_name"], "核心" if g["group_type"] == "core" else "综合", g["case_count"],
                  g["mean_cost"], g["cv"], g["score"]) for g in f["largest"]],
                {"次均费用": "money", "分值": "four", "变异系数": "four"})
    if f["changes"] is not None:
        write_table(book, "与上一版对比", ["变化", "病种编码", "病种名称", "原分值", "新分值", "分值差", "变化率"],
                    [(CHANGE_NAMES[c[0]],) + tuple(c[1:]) for c in f["changes"]],
                    {"原分值": "four", "新分值": "four", "分值差": "four", "变化率": "percent"})
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(str(path))
