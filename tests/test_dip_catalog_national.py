"""build-catalog on top of the national DIP 3.0 catalog (issue 5 item 1; reference fixture):
the national 不纳入分组诊断 / 不纳入分组手术 lists apply to the history exactly as the grouper
applies them (its own steps run), and the build's figures show the difference.

Rows used from the real workbook lists: K35.800 is a 不纳入分组诊断; 00.2400 and 47.0900 are
按保守治疗入组 (ignore); 00.3101 is 不可作为主要手术操作 (not_principal); 47.0100 is not listed.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from typer.testing import CliRunner

from dipdrg.cli import app
from dipdrg.dip.pack import load_pack
from dipdrg.dip.pack.import_national import import_json
from dipdrg.errors import UserError
from test_dip_catalog_fixtures import History
from test_dip_catalog_formulas import build

ONE_YEAR = {"dip.catalog.year_weights": [D(1)], "dip.catalog.threshold": 3,
            "dip.catalog.max_unknown_attribute_share": D(1)}


@pytest.fixture(scope="module")
def national_dir(reference, tmp_path_factory):
    out = tmp_path_factory.mktemp("national") / "dip-3.0"
    import_json(reference / "dip-3.0" / "national-excerpt.json", out)
    return out


def history(ws) -> None:
    h = History(ws.con)
    h.many(3, "K35.300", 3000, pp="47.0100")                       # base of the pair
    h.many(3, "K35.300", 5000, pp="47.0100", others=["00.2400"])   # + an ignored procedure (+67 %)
    h.many(3, "K35.300", 3000, pp="00.3101", others=["47.0100"])   # not_principal recorded first
    h.many(3, "K35.300", 1000, pp="47.0900")                       # ignored principal procedure
    h.many(2, "K35.800", 900)                                      # excluded principal diagnosis
    h.flush()


def test_national_exclusions_shape_the_catalog(workspace, tmp_path, national_dir) -> None:
    history(workspace)
    plain, groups, _, _ = build(workspace, tmp_path / "plain", years=[2025], **ONE_YEAR)
    # without the national lists: 00.2400 is a related procedure adding 67 % → its own group;
    # 00.3101 is a principal procedure without attribute; 47.0900 its own pair; K35.800 counts
    assert plain.status_counts == {"ok": 14}
    assert {"K35.3:47.0100+00.2400", "K35.3:47.0900", "K35:ZN"} <= set(groups)

    result, groups, _, _ = build(workspace, tmp_path / "national", years=[2025], national=load_pack(national_dir),
                                 **ONE_YEAR)
    assert result.status_counts == {"ok": 12, "excluded_dx": 2}
    # 00.2400 does not count (the 3 cases join the pair); 00.3101 cannot be principal, so
    # 47.0100 is (00.3101 a related procedure: 3000 < 1.1 × base mean → folds into the pair);
    # 47.0900 is ignored, so those cases are conservative
    assert set(groups) == {"K35.3:47.0100", "K35.3:C"}
    assert groups["K35.3:47.0100"]["case_count"] == "9" and groups["K35.3:C"]["case_count"] == "3"
    # pair mean (3·3000 + 3·5000 + 3·3000) / 9 = 3666.67
    assert D(groups["K35.3:47.0100"]["mean_cost"]) == D("3666.67")
    summary = (tmp_path / "national" / "summary.md").read_text(encoding="utf-8")
    assert "主要诊断属于国家分组方案的不纳入分组诊断 2 例" in summary and "套用国家分组方案" in summary


def test_build_catalog_command_takes_national(tmp_path, national_dir) -> None:
    from dipdrg.workspace import init_workspace

    with init_workspace(tmp_path / "ws") as ws:
        history(ws)
    policy = tmp_path / "policy.toml"
    policy.write_text('[dip.catalog]\nyear_weights = ["1"]\nthreshold = 3\nmax_unknown_attribute_share = "1"\n',
                      encoding="utf-8")
    args = ["dip", "build-catalog", "-w", str(tmp_path / "ws"), "--years", "2025", "-p", str(policy)]
    out = CliRunner().invoke(app, [*args, "-o", str(tmp_path / "pack"), "--national", str(national_dir)])
    assert out.exit_code == 0, out.output
    assert {r.group_code for r in load_pack(tmp_path / "pack").rules} == {"K35.3:47.0100", "K35.3:C"}
    out = CliRunner().invoke(app, [*args, "-o", str(tmp_path / "p2"), "--national", str(tmp_path / "pack")])
    assert out.exit_code != 0 and "dip-national" in str(out.exception)


def test_primary_care_groups_from_the_national_list(workspace, tmp_path, national_dir) -> None:
    h = History(workspace.con)
    h.many(3, "K35.300", 3000, pp="47.0100")   # 基层病种 序号 59: K35 + 47.0100 (3-character key)
    h.many(3, "K35.300", 1000)                 # K35.3 conservative: the list has K35.8 only
    h.many(3, "J18.000", 800)                  # 序号 37: J18.0 conservative
    h.many(3, "J18.000", 900, pp="99.2500")    # 99.2500 is 按保守治疗入组: joins J18.0 conservative
    h.flush()
    national = load_pack(national_dir)
    result, groups, coefficients, _ = build(workspace, tmp_path / "p", years=[2025], national=national, **ONE_YEAR,
                                            **{"dip.coefficient.primary_care_mode": "national"})
    flagged = {code for code, g in groups.items() if g["primary_care"] == "1"}
    assert flagged == {"K35.3:47.0100", "J18.0:C"}
    assert "K35.3:C" in groups and groups["J18.0:C"]["case_count"] == "6"
    assert not any(r["group_code"] in flagged for r in coefficients)
    with pytest.raises(UserError, match="--national"):
        build(workspace, tmp_path / "q", years=[2025], **ONE_YEAR, **{"dip.coefficient.primary_care_mode": "national"})


def chemo_delivery_history(ws) -> None:
    """Z51.102 + 99.2500 (化疗药物输注, 按保守治疗入组), O80.000 + 73.5900 (其他手法助产, 按保守
    治疗入组), an ordinary pair and K35.800 (不纳入分组诊断); Z51.102 itself is not listed
    (only Z51.100 is)."""
    h = History(ws.con)
    h.many(3, "Z51.102", 6000, pp="99.2500")
    h.many(3, "O80.000", 4000, pp="73.5900")
    h.many(3, "K35.300", 3000, pp="47.0100")
    h.many(2, "K35.800", 900)
    h.flush()


def _grouped(ws, run_id: str) -> dict[str, int]:
    rows = ws.con.execute("SELECT COALESCE(group_code, reason), COUNT(*) FROM dip_case_groups WHERE run_id = ?"
                          " GROUP BY 1", [run_id]).fetchall()
    return dict(rows)


def test_pack_built_with_national_groups_alone_as_built(workspace, tmp_path, national_dir) -> None:
    """Issue: the exclusion lists applied by build-catalog --national travel with the pack, so
    grouping without --national gives the build's groups (no 99.2500 / 73.5900 counting)."""
    from dipdrg.dip.group.workspace import group_workspace
    from dipdrg.dip.pack.manifest import pack_sha256, read_manifest, write_manifest

    chemo_delivery_history(workspace)
    pack = tmp_path / "pack"
    result, groups, _, _ = build(workspace, pack, years=[2025], national=load_pack(national_dir), **ONE_YEAR)
    assert result.status_counts == {"ok": 9, "excluded_dx": 2}
    assert {g: groups[g]["case_count"] for g in groups} == {"Z51.1:C": "3", "O80.0:C": "3", "K35.3:47.0100": "3"}

    local = load_pack(pack)
    assert {"excluded_diagnoses.csv", "excluded_procedures.csv"} <= set(local.manifest.files)
    assert local.excluded_proc["99.2500"][0] == "ignore" and "K35.800" in local.excluded_dx

    alone = group_workspace(workspace, local)
    # every case the build counted in a group is grouped into that group; the 2 K35.800 cases are
    # left out as in the build: 9 / 11 = 0.8182
    assert _grouped(workspace, alone.run_id) == {"Z51.1:C": 3, "O80.0:C": 3, "K35.3:47.0100": 3, "PDX_EXCLUDED": 2}
    assert alone.overall.grouped == result.figures["core_cases"] + result.figures["comprehensive_cases"] == 9
    assert alone.overall.rate == D("0.8182")

    # the same national pack given again changes nothing (lists replaced, not applied twice)
    again = local.with_exclusions(load_pack(national_dir))
    assert again.warnings == local.warnings
    both = group_workspace(workspace, again)
    assert _grouped(workspace, both.run_id) == _grouped(workspace, alone.run_id)

    # the copied lists are part of the pack: another list gives another pack hash
    edited = tmp_path / "edited"
    edited.mkdir()
    for path in pack.iterdir():
        if path.name != "manifest.toml":
            text = path.read_text(encoding="utf-8")
            if path.name == "excluded_procedures.csv":
                text = "\n".join(line for line in text.splitlines() if not line.startswith("99.2500,")) + "\n"
            (edited / path.name).write_text(text, encoding="utf-8")
    write_manifest(edited, read_manifest(pack))
    assert pack_sha256(edited) != local.sha256
    # ... and a national pack whose lists differ wins, with a warning
    other = load_pack(edited)
    assert "99.2500" not in other.excluded_proc
    merged = other.with_exclusions(load_pack(national_dir))
    assert any("不纳入分组" in w for w in merged.warnings) and merged.excluded_proc["99.2500"][0] == "ignore"


def test_pack_built_without_national_carries_no_lists(workspace, tmp_path) -> None:
    chemo_delivery_history(workspace)
    build(workspace, tmp_path / "plain", years=[2025], **ONE_YEAR)
    local = load_pack(tmp_path / "plain")
    assert not (tmp_path / "plain" / "excluded_procedures.csv").exists()
    assert local.excluded_dx == {} and local.excluded_proc == {}
