"""``dipdrg demo OUT``: the whole DIP pipeline on the synthetic demo region.

synthetic region → workspace → code lists → import (registry, settlement lists) → quality →
catalog build from the three history years → grouping → case scores → point values →
monthly prepayment and annual clearance → simulated payment → statements, then a short
Chinese summary of what was produced and where. Every step is the same public function the
individual commands call; the demo only strings them together.
"""

from __future__ import annotations

import shutil
import time
from importlib import resources
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import typer

from dipdrg.console import console
from dipdrg.errors import UserError


MARKER = ".dipdrg-demo"  # marks a directory the demo made, so a re-run may replace it


@dataclass
class DemoResult:
    """What the demo produced, for the summary and for tests."""

    out: Path
    years: list[int]
    settle_year: int
    figures: dict[str, Any] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    timings: list[tuple[str, float]] = field(default_factory=list)


def _timed(result: DemoResult, label: str, work: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    with console.status(f"[bold]{label}…"):
        value = work()
    seconds = time.perf_counter() - started
    result.timings.append((label, seconds))
    console.print(f"[green]✓[/] {label}（{seconds:.1f} 秒）")
    return value


def run_demo(out: Path, *, seed: int = 2026, cases_per_year: int = 20_000, hospitals: int = 40) -> DemoResult:
    """Run the pipeline into ``out`` (which must be new or empty) and return what it made."""
    from dipdrg.cases.hospitals import import_hospitals
    from dipdrg.cases.settlements import import_settlements
    from dipdrg.codes.lists import load_files
    from dipdrg.dip.catalog.build import build_catalog
    from dipdrg.dip.group.workspace import group_workspace
    from dipdrg.dip.pack import load_pack
    from dipdrg.dip.score.score import score_cases
    from dipdrg.pay.clearance import settle_year
    from dipdrg.pay.monthly import settle_months
    from dipdrg.pay.simulate import simulate
    from dipdrg.pay.statements import write_statements
    from dipdrg.policy import load_policy
    from dipdrg.quality.report import write_report
    from dipdrg.quality.run import run_quality
    from dipdrg.synth.region import generate_region
    from dipdrg.workspace import init_workspace

    out = Path(out)
    if (out / MARKER).is_file():  # an earlier demo's output: replace it as a whole
        shutil.rmtree(out)
    elif out.exists() and any(out.iterdir()):
        raise UserError("示范输出目录已存在且非空（也不是此前的示范输出）；请换一个目录或先删除它", file=out)
    region_dir, ws_dir, pack_dir = out / "region", out / "workspace", out / "catalog"
    reports = out / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("dipdrg demo output; `dipdrg demo` may replace this directory\n", encoding="utf-8")

    result = DemoResult(out, [], 0)
    manifest = _timed(result, "生成合成地区", lambda: generate_region(region_dir, seed, cases_per_year, 4, hospitals))
    result.years = sorted(int(y) for y in manifest.cases_by_year)
    result.settle_year = result.years[-1]
    years = result.years
    policy_file = out / "policy.toml"
    policy_file.write_bytes(resources.files("dipdrg").joinpath("demo_policy.toml").read_bytes())
    policy = load_policy(policy_file)
    result.files["地区政策文件"] = policy_file
    ws = init_workspace(ws_dir)
    try:
        codes = region_dir / "codes"
        _timed(result, "加载编码表", lambda: load_files(
            ws, diagnoses=codes / "diagnoses.csv", procedures=codes / "procedures.csv",
            categories=codes / "procedures.csv",
            dx_crosswalk=codes / "dx-crosswalk.csv", proc_crosswalk=codes / "proc-crosswalk.csv"))
        _timed(result, "导入医疗机构名录", lambda: import_hospitals(ws, region_dir / "hospitals.csv"))
        parts = sorted((region_dir / "settlements").iterdir())
        imported = _timed(result, "导入结算清单", lambda: import_settlements(ws, parts))
        result.figures["rows_read"] = sum(r.rows_read for r in imported)
        result.figures["loaded"] = sum(r.loaded for r in imported)
        result.figures["quarantined"] = sum(r.quarantined for r in imported)
        result.figures["duplicates"] = sum(r.duplicates for r in imported)

        _timed(result, "结算清单质控", lambda: run_quality(ws, policy))
        result.files["质控报告"] = reports / "质控报告.xlsx"
        write_report(ws, result.files["质控报告"])

        history = years[-4:-1]
        result.files["病种库"] = pack_dir
        built = _timed(result, f"测算本地病种库（{history[0]}–{history[-1]} 年历史）", lambda: build_catalog(
            ws, history, policy, pack_dir, report=reports / "病种库测算报告.xlsx"))
        result.files["病种库测算报告"] = reports / "病种库测算报告.xlsx"
        result.figures["budget_point_value"] = built.point_value
        catalog = load_pack(pack_dir)
        grouped = _timed(result, "DIP 分组", lambda: group_workspace(ws, catalog))
        result.figures["grouping"] = grouped
        scored = _timed(result, "计算病例分值", lambda: score_cases(ws, pack_dir, policy))
        result.figures["scoring"] = scored

        year = result.settle_year
        months = [f"{year}-{m:02d}" for m in range(1, 13)]
        _timed(result, f"{year} 年月度预付", lambda: settle_months(ws, policy, months))
        annual = _timed(result, f"{year} 年年度清算", lambda: settle_year(ws, policy, year))
        result.figures["annual"] = annual
        result.figures["annual_totals"] = ws.con.execute(
            "SELECT COUNT(*), SUM(due), SUM(billed_fund), SUM(settled_amount), SUM(monthly_paid),"
            " SUM(final_amount) FROM settle_annual WHERE run_id = ?", [annual.run_id]).fetchone()
        _timed(result, "模拟付费（DIP 与按项目付费对比）", lambda: simulate(ws, policy, year))
        statements = _timed(result, "生成结算单", lambda: write_statements(ws, year, out / "statements"))
        result.files["结算单目录"] = out / "statements"
        result.figures["statements"] = statements
    finally:
        ws.close()
    result.files["工作区"] = ws_dir
    _write_summary(result)
    return result


def _summary_lines(result: DemoResult) -> list[str]:
    f = result.figures
    scoring = f["scoring"]
    annual = f["annual"]
    lines = [
        f"# dipdrg 示范运行摘要（{result.settle_year} 年度）",
        "",
        f"- 合成地区：{len(result.years)} 年结算清单 {f['rows_read']:,} 行："
        f"入库 {f['loaded']:,}，隔离 {f['quarantined']:,}，重复 {f['duplicates']:,}。",
        f"- 本地病种库：由 {result.years[-4]}–{result.years[-2]} 年历史测算，预算点值 {f['budget_point_value']} 元/分。",
        f"- DIP 分组与分值：病例 {scoring.cases:,} 例，入组 {scoring.grouped:,} 例，总分值 {scoring.total_score:,}。",
    ]
    values = annual.point_values
    count, due, billed, settled, paid, final = f["annual_totals"]
    lines += [
        f"- 年度清算：{count} 家机构，结算点值 {values.settlement_pv} 元/分，执行点值 {values.applied_pv}，"
        f"基金支付比例 {values.fund_ratio}；DIP 应付 {due:,} 元，按项目统筹 {billed:,} 元，"
        f"清算总额 {settled:,} 元，已月度预付 {paid:,} 元，清算应拨付 {final:,} 元。",
    ]
    lines += ["", "## 文件", ""]
    lines += [f"- {name}：{path}" for name, path in result.files.items()]
    lines += ["", "## 各步用时", ""]
    lines += [f"- {label}：{seconds:.1f} 秒" for label, seconds in result.timings]
    return lines


def _write_summary(result: DemoResult) -> None:
    path = result.out / "摘要.md"
    path.write_text("\n".join(_summary_lines(result)) + "\n", encoding="utf-8")
    result.files["摘要"] = path
    console.print()
    lines = _summary_lines(result)
    for line in lines[: lines.index("## 各步用时")]:
        console.print(line.lstrip("# "))


def demo(
    out: Path = typer.Argument(Path("demo"), help="输出目录（新建）"),
    seed: int = typer.Option(2026, "--seed", help="合成地区随机种子"),
    cases_per_year: int = typer.Option(20_000, "--cases-per-year", help="每年病例数"),
    hospitals: int = typer.Option(40, "--hospitals", help="医疗机构数量"),
) -> None:
    """在合成示范地区上运行完整流程：生成→导入→质控→病种库测算→分组→分值→结算→结算单。"""
    run_demo(out, seed=seed, cases_per_year=cases_per_year, hospitals=hospitals)


app = demo
