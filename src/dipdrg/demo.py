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


def run_demo(out: Path, *, seed: int = 2026, cases_per_year: int = 20_000, hospitals: int = 40,
             drg_pack: Path | None = None) -> DemoResult:
    """Run the pipeline into ``out`` (new, empty, or an earlier demo's output) and return what it made.

    With ``drg_pack`` (a CHS-DRG scheme pack made by ``dipdrg drg import-pack``) the same
    year is also grouped, weighted and settled by DRG, as a region paying by both would.
    """
    from dipdrg.policy import load_policy
    from dipdrg.synth.region import generate_region
    from dipdrg.workspace import init_workspace

    out = Path(out)
    if (out / MARKER).is_file():  # an earlier demo's output: replace it as a whole
        shutil.rmtree(out)
    elif out.exists() and any(out.iterdir()):
        raise UserError("示范输出目录已存在且非空（也不是此前的示范输出）；请换一个目录或先删除它", file=out)
    (out / "reports").mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("dipdrg demo output; `dipdrg demo` may replace this directory\n", encoding="utf-8")

    result = DemoResult(out, [], 0)
    region_dir = out / "region"
    manifest = _timed(result, "生成合成地区", lambda: generate_region(region_dir, seed, cases_per_year, 4, hospitals))
    result.years = sorted(int(y) for y in manifest.cases_by_year)
    result.settle_year = result.years[-1]
    policy_file = out / "policy.toml"
    policy_file.write_bytes(resources.files("dipdrg").joinpath("demo_policy.toml").read_bytes())
    policy = load_policy(policy_file)
    result.files["地区政策文件"] = policy_file
    ws = init_workspace(out / "workspace")
    try:
        _load_region(ws, policy, region_dir, result)
        _dip_stage(ws, policy, result)
        if drg_pack is not None:
            _drg_stage(ws, policy, Path(drg_pack), result)
    finally:
        ws.close()
    result.files["工作区"] = out / "workspace"
    _write_summary(result)
    return result


def _load_region(ws: Any, policy: Any, region_dir: Path, result: DemoResult) -> None:
    """Code lists, registry and settlement lists into the workspace, then the quality check."""
    from dipdrg.cases.hospitals import import_hospitals
    from dipdrg.cases.settlements import import_settlements
    from dipdrg.codes.lists import load_files
    from dipdrg.quality.report import write_report
    from dipdrg.quality.run import run_quality

    codes = region_dir / "codes"
    _timed(result, "加载编码表", lambda: load_files(
        ws, diagnoses=codes / "diagnoses.csv", procedures=codes / "procedures.csv",
        categories=codes / "procedures.csv",
        dx_crosswalk=codes / "dx-crosswalk.csv", proc_crosswalk=codes / "proc-crosswalk.csv"))
    _timed(result, "导入医疗机构名录", lambda: import_hospitals(ws, region_dir / "hospitals.csv"))
    parts = sorted((region_dir / "settlements").iterdir())
    imported = _timed(result, "导入结算清单", lambda: import_settlements(ws, parts))
    for key in ("rows_read", "loaded", "quarantined", "duplicates"):
        result.figures[key] = sum(getattr(r, key) for r in imported)
    _timed(result, "结算清单质控", lambda: run_quality(ws, policy))
    result.files["质控报告"] = result.out / "reports" / "质控报告.xlsx"
    write_report(ws, result.files["质控报告"])


def _settle(ws: Any, policy: Any, result: DemoResult, method: str, statements_dir: Path) -> dict[str, Any]:
    """Monthly prepayment, annual clearance, simulated payment and statements of one method."""
    from dipdrg.pay.clearance import settle_year
    from dipdrg.pay.monthly import settle_months
    from dipdrg.pay.simulate import simulate
    from dipdrg.pay.statements import write_statements

    year, name = result.settle_year, method.upper()
    months = [f"{year}-{m:02d}" for m in range(1, 13)]
    _timed(result, f"{name} {year} 年月度预付", lambda: settle_months(ws, policy, months, method=method))
    annual = _timed(result, f"{name} {year} 年年度清算", lambda: settle_year(ws, policy, year, method=method))
    totals = ws.con.execute(
        "SELECT COUNT(*), SUM(due), SUM(billed_fund), SUM(settled_amount), SUM(monthly_paid),"
        " SUM(final_amount) FROM settle_annual WHERE run_id = ?", [annual.run_id]).fetchone()
    _timed(result, f"{name} 模拟付费（与按项目付费对比）", lambda: simulate(ws, policy, year, method=method))
    _timed(result, f"{name} 结算单", lambda: write_statements(ws, year, statements_dir, method=method))
    return {"annual": annual, "totals": totals, "statements": statements_dir}


def _dip_stage(ws: Any, policy: Any, result: DemoResult) -> None:
    """Catalog from the three history years, grouping, case scores, then DIP settlement."""
    from dipdrg.dip.catalog.build import build_catalog
    from dipdrg.dip.group.workspace import group_workspace
    from dipdrg.dip.pack import load_pack
    from dipdrg.dip.score.score import score_cases

    history = result.years[-4:-1]
    pack_dir, report = result.out / "catalog", result.out / "reports" / "病种库测算报告.xlsx"
    built = _timed(result, f"测算本地病种库（{history[0]}–{history[-1]} 年历史）",
                   lambda: build_catalog(ws, history, policy, pack_dir, report=report))
    result.files["病种库"], result.files["病种库测算报告"] = pack_dir, report
    result.figures["budget_point_value"] = built.point_value
    catalog = load_pack(pack_dir)
    result.figures["grouping"] = _timed(result, "DIP 分组", lambda: group_workspace(ws, catalog))
    result.figures["scoring"] = _timed(result, "计算病例分值", lambda: score_cases(ws, pack_dir, policy))
    result.figures["dip"] = _settle(ws, policy, result, "dip", result.out / "statements")
    result.files["结算单目录"] = result.out / "statements"


def _drg_stage(ws: Any, policy: Any, pack_dir: Path, result: DemoResult) -> None:
    """CHS-DRG grouping, weights from the history years, case weights, then DRG settlement."""
    from dipdrg.drg.batch import group_workspace
    from dipdrg.drg.pack import load_pack
    from dipdrg.drg.weights.build import build_weights
    from dipdrg.drg.weights.score import score_cases

    pack = load_pack(pack_dir)
    grouped = _timed(result, f"CHS-DRG 分组（{pack.id} {pack.version}）",
                     lambda: group_workspace(ws, pack))
    weights = _timed(result, "DRG 权重测算", lambda: build_weights(ws, policy, result.years[-4:-1]))
    scored = _timed(result, "DRG 病例权重", lambda: score_cases(
        ws, policy, weights.run_id, year=result.settle_year))
    result.figures["drg_grouping"], result.figures["drg_weights"] = grouped, weights
    result.figures["drg_scoring"] = scored
    result.figures["drg"] = _settle(ws, policy, result, "drg", result.out / "statements-drg")
    result.files["DRG 结算单目录"] = result.out / "statements-drg"


def _settlement_line(label: str, unit: str, settled: dict[str, Any]) -> str:
    values = settled["annual"].point_values
    count, due, billed, total, paid, final = settled["totals"]
    return (f"- {label}年度清算：{count} 家机构，结算{unit} {values.settlement_pv}，执行{unit} {values.applied_pv}，"
            f"基金支付比例 {values.fund_ratio}；应付 {due:,} 元，按项目统筹 {billed:,} 元，"
            f"清算总额 {total:,} 元，已月度预付 {paid:,} 元，清算应拨付 {final:,} 元。")


def _summary_lines(result: DemoResult) -> list[str]:
    f = result.figures
    scoring = f["scoring"]
    lines = [
        f"# dipdrg 示范运行摘要（{result.settle_year} 年度）",
        "",
        f"- 合成地区：{len(result.years)} 年结算清单 {f['rows_read']:,} 行："
        f"入库 {f['loaded']:,}，隔离 {f['quarantined']:,}，重复 {f['duplicates']:,}。",
        f"- 本地病种库：由 {result.years[-4]}–{result.years[-2]} 年历史测算，预算点值 {f['budget_point_value']} 元/分。",
        f"- DIP 分组与分值：病例 {scoring.cases:,} 例，入组 {scoring.grouped:,} 例，总分值 {scoring.total_score:,}。",
        _settlement_line("DIP ", "点值", f["dip"]),
    ]
    if "drg" in f:
        grouped, drg_scoring = f["drg_grouping"], f["drg_scoring"]
        lines += [
            f"- CHS-DRG 分组：病例 {grouped.total:,} 例，入组 {grouped.by_status.get('SUCCESS', 0):,} 例；"
            f"权重测算 {len(f['drg_weights'].rows):,} 个 DRG 组，费率 {drg_scoring.rate.value} 元/权重。",
            _settlement_line("DRG ", "费率", f["drg"]),
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
    drg_pack: Path = typer.Option(None, "--drg-pack", help="CHS-DRG 方案包（dipdrg drg import-pack 生成）；给出时同一年度再按 DRG 分组与结算"),
) -> None:
    """在合成示范地区上运行完整流程：生成→导入→质控→病种库测算→分组→分值→结算→结算单。"""
    run_demo(out, seed=seed, cases_per_year=cases_per_year, hospitals=hospitals, drg_pack=drg_pack)


app = demo
