"""The national DIP 3.0 layers with the real workbook (reference fixture): one hand-built case
per layer and tie rule, each grouped by the SQL path and the single-case path, which must agree.
Expected groups are read off the workbook rows (序号) named in each test."""

from __future__ import annotations

import pytest

from dipdrg.dip.explain import group_case
from dipdrg.dip.group.filemode import group_records
from dipdrg.dip.pack import load_pack
from dipdrg.dip.pack.import_national import import_json


@pytest.fixture(scope="module")
def national(reference, tmp_path_factory):
    out = tmp_path_factory.mktemp("national") / "dip-3.0"
    import_json(reference / "dip-3.0" / "national-excerpt.json", out)
    return load_pack(out)


def group(catalog, **case):
    sql = group_records(catalog, [{"setl_id": "x", **case}])[0]
    exp = group_case(catalog, case)
    assert (exp.group_code, exp.layer, exp.status, exp.reason, exp.primary_care, exp.treatment) == (
        sql["group_code"], sql["layer"], sql["status"], sql["reason"], sql["primary_care"], sql["treatment"])
    assert exp.rule_ref == sql["rule_ref"]
    return sql, exp


def test_pack_holds_every_layer(national):
    layers = {}
    for rule in national.rules:
        layers.setdefault(rule.layer, set()).add(rule.group_code)
    # workbook numbering: 先期 1-19, 并项 20-1744, 辅助细分 1745-1857, 基础 1858-5125
    assert len(layers["pre"]) == 19 and len(layers["merge"]) == 1725 and len(layers["base"]) == 3268
    assert len(layers["burn"]) + len(layers["tumor"]) + len(layers["tb"]) == 1857 - 1745 + 1
    assert len(national.flag_rules) >= 127 and len(national.excluded_dx) == 4742
    assert "B33.400+J17.1*" in national.excluded_dx          # dagger/asterisk code kept
    assert "U84.300" in national.tb_secondary and "A15.000x010" in national.tb_principal
    tcm = [r for r in national.rules if any("17.98330" in t for t in r.terms)]
    assert tcm                                                # TCM procedure codes load


def test_pre_group_heart_transplant(national):
    sql, exp = group(national, pdx="I50.900", procedures=["37.5100"])
    assert (sql["group_code"], sql["layer"]) == ("XQ0002", "pre")
    assert exp.rule_ref == "一、先期分组 序号 2"


def test_pre_group_order_transplant_before_ecmo(national):
    assert group(national, pdx="I50.900", procedures=["37.5100", "39.6500"])[0]["group_code"] == "XQ0002"
    # ECMO anywhere on the case (不限定为主要手术操作)
    assert group(national, pdx="I50.900", procedures=["99.9999", "39.6500"])[0]["group_code"] == "XQ0011"


def test_pre_group_ventilation_with_and_without_crrt(national):
    assert group(national, pdx="J18.900", procedures=["31.1x00", "39.9500x007", "96.7201"])[0]["group_code"] == "XQ0013"
    assert group(national, pdx="J18.900", procedures=["31.1x00", "96.7201"])[0]["group_code"] == "XQ0014"


def test_pre_group_newborn_by_age_and_weight(national):
    assert group(national, pdx="P07.100", age_days=10, birth_weight=1200)[0]["group_code"] == "XQ0017"
    assert group(national, pdx="P22.000", sdx=["P07.000"], age_days=3, birth_weight=800)[0]["group_code"] == "XQ0016"
    # 29 days old or 2,500 g is outside every band: not a pre-group
    assert group(national, pdx="P07.100", age_days=29, birth_weight=1200)[0]["layer"] != "pre"
    assert group(national, pdx="P07.100", age_days=5, birth_weight=2500)[0]["layer"] != "pre"


def test_merge_rule_gastroscopy_allowed_as_principal_for_a09(national):
    sql, exp = group(national, pdx="A09.000x003", procedures=["44.1300x001"])
    assert (sql["group_code"], sql["layer"]) == ("BX0020", "merge")
    assert exp.matched_codes == ["A09.0", "44.1300x001"]


def test_merge_rule_with_related_procedure_beats_base_pair(national):
    # 并项 918: K35 + 47.0100 + related 45.2302; base 3625: K35 + 47.0100
    assert group(national, pdx="K35.800x001", procedures=["47.0100", "45.2302"])[0]["group_code"] == "BX0918"
    assert group(national, pdx="K35.800x001", procedures=["47.0100"])[0]["group_code"] == "JC3625"


def test_not_principal_procedure_gives_way_to_the_next(national):
    # 00.3101 CT navigation 不可作为主要手术操作: 47.0100 becomes the principal procedure
    sql, exp = group(national, pdx="K35.800x001", procedures=["00.3101", "47.0100"])
    assert sql["group_code"] == "JC3625" and exp.principal_procedure == "47.0100"


def test_burn_by_degree_and_area(national):
    assert group(national, pdx="T20.200", sdx=["T31.000"])[0]["group_code"] == "FZ1745"
    sql, exp = group(national, pdx="T20.300", sdx=["T31.000"], procedures=["86.2201"])
    assert (sql["group_code"], sql["layer"]) == ("FZ1756", "burn")
    assert "T31.0" in exp.matched_codes


def test_tumour_chemotherapy_modalities(national):
    assert group(national, pdx="Z51.101", sdx=["C34.900"], procedures=["99.2503"])[0]["group_code"] == "FZ1770"
    assert group(national, pdx="Z51.101", sdx=["C34.900"], procedures=["99.2503", "99.2800x005"])[0]["group_code"] == "FZ1771"
    both = group(national, pdx="Z51.101", sdx=["C34.900"], procedures=["99.2503", "99.2800x006", "99.2800x005"])[0]
    assert both["group_code"] == "FZ1773"
    assert group(national, pdx="Z51.101", sdx=["C78.000"], procedures=["99.2503"])[0]["group_code"] == "FZ1774"


def test_tuberculosis_drug_resistance(national):
    assert group(national, pdx="A15.000x010")[0]["group_code"] == "FZ1836"              # resistant code
    assert group(national, pdx="A15.000x001")[0]["group_code"] == "FZ1837"              # not resistant
    assert group(national, pdx="A15.000x001", sdx=["U84.300"])[0]["group_code"] == "FZ1836"  # marker
    assert group(national, pdx="A15.000x001", procedures=["32.4100"])[0]["group_code"] == "FZ1821"


def test_base_rules_and_three_character_keys(national):
    assert group(national, pdx="A01.000")[0]["group_code"] == "JC1858"
    assert group(national, pdx="A40.900", procedures=["96.7101"])[0]["group_code"] == "JC1876"


def test_excluded_procedure_groups_as_conservative(national):
    sql, exp = group(national, pdx="A01.000", procedures=["00.0100"])
    assert (sql["group_code"], sql["treatment"]) == ("JC1858", "保守治疗")
    assert exp.ignored_procedures and exp.ignored_procedures[0][0] == "00.0100"


def test_excluded_diagnosis(national):
    sql, exp = group(national, pdx="A09.900", procedures=["44.1300x001"])
    assert (sql["status"], sql["layer"], sql["reason"]) == ("ungrouped", "exclusion", "PDX_EXCLUDED")


def test_primary_care_flag(national):
    # 基层病种 1: A09.9 conservative; base 1868 is A09.9 conservative
    sql, _ = group(national, pdx="A09.900x003")
    assert (sql["group_code"], sql["primary_care"]) == ("JC1868", True)
    # 基层病种 61: K35.8 conservative; 59: K35 + 47.0100; drainage of appendiceal abscess
    # (base 3627, K35 + 47.2x00) is on no 基层 row
    assert group(national, pdx="K35.800x001")[0]["primary_care"] is True
    assert group(national, pdx="K35.800x001", procedures=["47.0100"])[0]["primary_care"] is True
    sql, _ = group(national, pdx="K35.800x001", procedures=["47.2x00"])
    assert (sql["group_code"], sql["primary_care"]) == ("JC3627", False)


def test_no_matching_row_is_ungrouped_with_reason(national):
    sql, exp = group(national, pdx="A01.000", procedures=["47.0100"])
    assert (sql["status"], sql["reason"]) == ("ungrouped", "NO_CORE_MATCH")
    assert any("基础规则" in line for line in exp.path)


def test_explain_says_why_earlier_layers_failed(national):
    exp = group(national, pdx="T20.300", sdx=["T31.000"], procedures=["86.2201"])[1]
    assert exp.path[0].startswith("先期分组") and exp.path[1].startswith("并项规则")
    assert "匹配" in exp.path[-1] and "1756" in exp.path[-1]


def test_local_catalog_with_national_exclusions(national, tmp_path):
    from dipdrg.dip.pack.write_local import write_local_pack

    write_local_pack(tmp_path / "p", [
        dict(group_code="A1", group_type="core", dx_key="A01.0", procedures=""),
        dict(group_code="A2", group_type="core", dx_key="A01.0", procedures="00.0100"),
    ], pack_id="t", version="1")
    local = load_pack(tmp_path / "p")
    assert group(local, pdx="A01.000", procedures=["00.0100"])[0]["group_code"] == "A2"
    combined = local.with_exclusions(national)
    assert group(combined, pdx="A01.000", procedures=["00.0100"])[0]["group_code"] == "A1"
    assert group(combined, pdx="A09.900")[0]["reason"] == "PDX_EXCLUDED"
