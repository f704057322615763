"""Pack format, importers and validation: syntax of keys and combinations, malformed packs,
the manifest hash, the JSON layout's oddities, the official workbook layout, local tables."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dipdrg.dip.pack import load_pack
from dipdrg.dip.pack.manifest import pack_sha256
from dipdrg.dip.pack.syntax import SyntaxProblem, expand_dx, parse_combination, parse_expression
from dipdrg.dip.pack.write_local import write_local_pack
from dipdrg.errors import UserError


# -- syntax ---------------------------------------------------------------------------------
def test_sql_keys_follow_design_4_6_and_agree_with_the_codes_layer():
    import duckdb

    from dipdrg.codes.batch import dip_keys
    from dipdrg.dip.group.engine import step_files

    expected = {"K35.800x001": ("K35", "K35.8"), "R31.x00": ("R31", None), "B33.400+J17.1*": ("B33", "B33.4"),
                "A01.000": ("A01", "A01.0"), "Z51.101": ("Z51", "Z51.1")}
    con = duckdb.connect()
    con.execute("CREATE TABLE dipg_in_dx (setl_id VARCHAR, seq INTEGER, code VARCHAR, raw VARCHAR)")
    con.executemany("INSERT INTO dipg_in_dx VALUES (?, 0, ?, ?)", [[c, c, c] for c in expected])
    con.execute(dict(step_files())["01_principal_dx.sql"])
    got = {r[0]: (r[1], r[2]) for r in con.execute("SELECT pdx, pdx3, pdx4 FROM dipg_pdx").fetchall()}
    assert got == expected
    assert {c: dip_keys(c) for c in expected} == expected


def test_ranges_expand_to_categories():
    assert expand_dx("A15-A16") == ["A15", "A16"]
    keys = expand_dx("C00-C75")
    assert len(keys) == 76 and keys[0] == "C00" and keys[-1] == "C75"
    assert expand_dx("T31.0-T31.3") == ["T31.0", "T31.1", "T31.2", "T31.3"]
    assert expand_dx("Y98-Z01") == ["Y98", "Y99", "Z00", "Z01"]
    assert expand_dx("M47.0+") == ["M47.0"]
    for bad in ("C75-C00", "C00-C7", "K35.8-K36.1", "K3", "K35.80", "35.8"):
        with pytest.raises(SyntaxProblem):
            expand_dx(bad)


def test_combinations():
    assert parse_combination("47.0100/47.0901+54.9100") == (("47.0100", "47.0901"), ("54.9100",))
    assert parse_combination("17.912A0") == (("17.912A0",),)
    assert parse_expression("47.0100/47.0901|36.0700+88.5500") == [(("47.0100", "47.0901"),), (("36.0700",), ("88.5500",))]
    for bad in ("47.0100++54.9100", "/47.0100", "47.0100//47.0901", "47.0100+", "+47.0100", "4701", "47.0100 x"):
        with pytest.raises(SyntaxProblem):
            parse_combination(bad)
    with pytest.raises(SyntaxProblem):
        parse_expression("47.0100||54.9100")


# -- malformed local packs ------------------------------------------------------------------
GOOD = dict(group_code="G1", group_name="x", group_type="core", dx_key="K35.8", procedures="47.0100", score="10")


def _pack(tmp_path: Path, rows, **extra) -> Path:
    return write_local_pack(tmp_path / "p", rows, pack_id="t", version="1", **extra)


@pytest.mark.parametrize(("row", "field", "message"), [
    ({"procedures": "47.0100++54.9100"}, "procedures", "空的“+”"),
    ({"procedures": "/47.0100"}, "procedures", "空的“/”"),
    ({"procedures": "47.0100|54.9100"}, "procedures", "不用“|”"),
    ({"dx_key": "C00-C75"}, "dx_key", "不能是范围"),
    ({"dx_key": "K35.80"}, "dx_key", "亚目"),
    ({"group_type": "核心"}, "group_type", "core 或 comprehensive"),
    ({"score": "abc"}, "score", "不是数值"),
    ({"score": "-1"}, "score", "非负"),
    ({"primary_care": "2"}, "primary_care", "0 或 1"),
    ({"treatment": "保守治疗"}, "treatment", "手术操作"),
    ({"group_type": "comprehensive", "procedures": "", "treatment": "手术"}, "treatment", "相关手术"),
    ({"group_type": "comprehensive", "procedures": "", "treatment": "内科诊疗"}, "dx_key", "3 位"),
])
def test_malformed_local_rows_name_row_and_field(tmp_path, row, field, message):
    _pack(tmp_path, [GOOD, {**GOOD, "group_code": "G2", "procedures": "47.0901", **row}])
    with pytest.raises(UserError, match=re.escape(message)) as info:
        load_pack(tmp_path / "p")
    assert info.value.row == 3 and info.value.field == field and info.value.file.endswith("groups.csv")


def test_duplicate_key_and_code_are_refused(tmp_path):
    _pack(tmp_path, [GOOD, {**GOOD, "group_code": "G2", "procedures": "47.0100"}])
    with pytest.raises(UserError, match="病种键重复"):
        load_pack(tmp_path / "p")
    _pack(tmp_path, [GOOD, {**GOOD, "procedures": ""}])
    with pytest.raises(UserError, match="G1 重复"):
        load_pack(tmp_path / "p")


def test_missing_column_and_manifest_problems(tmp_path):
    out = _pack(tmp_path, [GOOD])
    (out / "groups.csv").write_text("group_code,group_name\nG1,x\n", encoding="utf-8")
    with pytest.raises(UserError, match="sha256"):   # edited after the manifest was written
        load_pack(out)
    from dipdrg.dip.pack.manifest import Manifest, write_manifest

    write_manifest(out, Manifest(id="t", kind="dip-local", version="1"))
    with pytest.raises(UserError, match="缺少列") as info:
        load_pack(out)
    assert "dx_key" in info.value.message
    (out / "manifest.toml").unlink()
    with pytest.raises(UserError, match="manifest.toml"):
        load_pack(out)


def test_unknown_files_are_hashed_and_carried_columns_kept(tmp_path):
    out = _pack(tmp_path, [{**GOOD, "case_count": "40", "cv": "0.52"}], extra_columns=("case_count", "cv"))
    before = load_pack(out)
    assert before.extra_columns["G1"] == {"case_count": "40", "cv": "0.52"}
    (out / "coefficients.csv").write_text("level,coefficient\n3,1.1\n", encoding="utf-8")
    assert pack_sha256(out) != before.sha256
    assert load_pack(out).sha256 == pack_sha256(out)


# -- national JSON layout -------------------------------------------------------------------
def test_json_layout_oddities_load(reference, tmp_path):
    from dipdrg.dip.pack.import_national import import_json

    catalog = load_pack(import_json(reference / "dip-3.0" / "national-excerpt.json", tmp_path / "n"))
    pre = {r.group_code: r for r in catalog.rules if r.layer == "pre"}
    assert len(pre) == 19                                      # the sub-header row is not a group
    assert (pre["XQ0016"].max_age_days, pre["XQ0016"].min_weight, pre["XQ0016"].max_weight) == (28, 0, 999)
    assert pre["XQ0016"].anydx_keys == ("P07",)
    tb = [r for r in catalog.rules if r.layer == "tb" and r.group_code == "FZ1812"][0]
    assert tb.pdx_keys == ("A15", "A16") and tb.resistant is True
    tumour = [r for r in catalog.rules if r.group_code == "FZ1770"][0]
    assert len(tumour.sdx_keys) == 76                          # C00-C75
    assert catalog.excluded_proc["44.1300x001"][0] == "principal_if_dx"
    assert "K20" in catalog.excluded_proc["44.1300x001"][1] and "I85" in catalog.excluded_proc["44.1300x001"][1]
    assert catalog.excluded_proc["00.3101"][0] == "not_principal"
    assert catalog.excluded_proc["00.0100"][0] == "ignore"


def test_json_importer_refuses_a_wrong_file(tmp_path):
    from dipdrg.dip.pack.import_national import import_json

    src = tmp_path / "x.json"
    src.write_text('{"pre": []}', encoding="utf-8")
    with pytest.raises(UserError, match="缺少工作表数组"):
        import_json(src, tmp_path / "n")


def test_unknown_codes_against_a_code_list(tmp_path):
    from dipdrg.dip.pack.codecheck import read_code_lists, unknown_codes

    catalog = load_pack(_pack(tmp_path, [GOOD, {**GOOD, "group_code": "G2", "procedures": "47.0901"}]))
    codes = tmp_path / "codes.csv"
    codes.write_text("code,name\nK35.800x001,急性阑尾炎\n47.0100,阑尾切除\n", encoding="utf-8")
    problems = unknown_codes(catalog, *read_code_lists([codes]))
    assert len(problems) == 1 and "47.0901" in problems[0]


# -- official workbook layout ---------------------------------------------------------------
def _workbook(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)

    def sheet(title, header, rows, titles=1):
        ws = book.create_sheet(title)
        for _ in range(titles):
            ws.append([f"{title}（示例）"])
        ws.append(header)
        for row in rows:
            ws.append(row)

    rule_header = ["分类", "序号", "分组名称", "主要诊断编码", "主要诊断名称", "主要手术操作编码", "主要手术操作名称", "备注"]
    sheet("一、先期分组", rule_header, [
        ["XQ", 2, "心脏移植", "所有诊断", "所有诊断", "37.5100\n37.5100x001", "心脏移植术|自体心脏移植", ""],
        ["XQ", 14, "有创呼吸机支持≥96小时", "所有诊断", "所有诊断", "96.7201", "呼吸机治疗", "手术操作中包含96.7201，不限定为主要手术操作"],
        ["分类", "序号", "分组名称", "主要诊断编码", "主要诊断名称", "天龄", "出生体重", ""],
        ["XQ", 17, "极低出生体重儿", "P07", "低出生体重", "<29天", "出生体重1000-1499克", "诊断中包含P07，不限定为主要诊断"],
    ], titles=2)
    sheet("二、并项规则下的核心病种", ["分类", "序号", "主要诊断编码", "主要诊断名称", "主要手术操作编码", "主要手术操作名称", "相关手术操作编码", "相关手术操作名称"], [
        ["BX", 20, "A09.0", "胃肠炎", "44.1300x001|45.2302", "胃镜检查|电子结肠镜检查", None, None],
        ["BX", 918, "K35", "急性阑尾炎", "47.0100", "阑尾切除术", "45.2302", "电子结肠镜检查"],
    ])
    sheet("三、诊断辅助细分-烧伤类病种", ["分类", "序号", "主要诊断编码", "烧伤程度", "其他诊断编码", "烧伤面积", "主要手术操作编码", "主要手术操作名称", "相关手术操作编码", "相关手术操作名称"], [
        ["FZ", 1745, "T20.2|T21.2", "二度烧伤", "T31.0|T32.0", "面积＜10%", None, None, None, None],
    ])
    sheet("三、诊断辅助细分-肿瘤类病种", ["分类", "序号", "主要诊断编码", "主要诊断名称", "其他诊断编码", "其他诊断名称", "手术操作组合", "手术操作组合名称"], [
        ["FZ", 1770, "Z51.1", "化疗", "C00-C75", "恶性肿瘤", "99.2503", "静脉注射化疗药物"],
        ["FZ", 1771, "Z51.1", "化疗", "C00-C75", "恶性肿瘤", "99.2503+99.2800x005", "化疗+免疫"],
    ])
    sheet("三、诊断辅助细分-结核类病种", ["分类", "序号", "主要诊断编码", "主要诊断名称", "主要手术操作编码", "主要手术操作名称", "是否耐药", "耐药判断规则"], [
        ["FZ", 1836, "A15-A16", "呼吸道结核", None, None, "是", "主要诊断含耐药拓展码或其他诊断包含U84.300（耐抗结核药物）"],
        ["FZ", 1837, "A15-A16", "呼吸道结核", None, None, "否", "主要诊断无耐药拓展码，且其他诊断不含U84.300"],
    ])
    sheet("四、基础规则下的核心病种", ["分类", "序号", "主要诊断编码", "主要诊断名称", "主要手术操作编码", "主要手术操作名称"], [
        ["JC", 1858, "A01.0", "伤寒", None, None],
        ["JC", 3625, "K35", "急性阑尾炎", "47.0100", "阑尾切除术"],
    ])
    sheet("不纳入分组诊断", ["序号", "诊断编码", "诊断名称"], [[1, "A09.900", "胃肠炎和结肠炎"], [2, "B33.400+J17.1*", "汉坦病毒肺综合征"]])
    sheet("不纳入分组手术", ["序号", "手术操作编码", "手术操作名称", "备注"], [
        [1, "00.0100", "头和颈部血管治疗性超声", "按保守治疗入组"],
        [2, "44.1300x001", "胃镜检查", "A00-A09|C15-C26\nK20-K93作为主要诊断，可作为主要手术操作"],
    ])
    sheet("基层病种", ["序号", "主要诊断编码", "主要诊断名称", "主要手术操作编码", "主要手术操作名称"], [[59, "K35", "急性阑尾炎", "47.0100", "阑尾切除术"]])
    sheet("结核耐药诊断列表", ["序号", "诊断编码", "诊断名称"], [[1, "A15.000x010", "继发性肺结核（初治,单耐药）"]])
    book.save(path)


def test_official_workbook_layout(tmp_path):
    from dipdrg.dip.explain import group_case
    from dipdrg.dip.pack.import_xlsx import import_workbook

    src = tmp_path / "按病种分值（DIP）付费3.0版分组方案.xlsx"
    _workbook(src)
    catalog = load_pack(import_workbook(src, tmp_path / "pack"))
    assert {r.group_code for r in catalog.rules} >= {"XQ0002", "XQ0014", "XQ0017", "BX0020", "BX0918", "FZ1745",
                                                       "FZ1770", "FZ1771", "FZ1836", "FZ1837", "JC1858", "JC3625"}
    cases = [
        ({"pdx": "I50.900", "procedures": ["37.5100x001"]}, "XQ0002"),
        ({"pdx": "P07.100", "age_days": 3, "birth_weight": 1100}, "XQ0017"),
        ({"pdx": "A09.000x003", "procedures": ["45.2302"]}, "BX0020"),
        ({"pdx": "K35.800x001", "procedures": ["47.0100", "45.2302"]}, "BX0918"),
        ({"pdx": "T21.200", "sdx": ["T32.000"]}, "FZ1745"),
        ({"pdx": "Z51.101", "sdx": ["C16.900"], "procedures": ["99.2503", "99.2800x005"]}, "FZ1771"),
        ({"pdx": "A15.000x001", "sdx": ["U84.300"]}, "FZ1836"),
        ({"pdx": "A16.200"}, "FZ1837"),
        ({"pdx": "A01.000", "procedures": ["00.0100"]}, "JC1858"),
    ]
    for case, expected in cases:
        assert group_case(catalog, case).group_code == expected, case
    assert group_case(catalog, {"pdx": "K35.800x001", "procedures": ["47.0100"]}).primary_care is True
    assert group_case(catalog, {"pdx": "A09.900"}).reason == "PDX_EXCLUDED"


def test_workbook_missing_sheet_or_column(tmp_path):
    from openpyxl import Workbook

    from dipdrg.dip.pack.import_xlsx import import_workbook

    src = tmp_path / "w.xlsx"
    book = Workbook()
    book.active.title = "一、先期分组"
    book.active.append(["序号", "分组名称"])
    book.save(src)
    with pytest.raises(UserError, match="缺少列"):
        import_workbook(src, tmp_path / "o")
    book.active.delete_rows(1)
    book.active.append(["分类", "序号", "主要诊断编码", "主要手术操作编码"])
    book.save(src)
    with pytest.raises(UserError, match="缺少工作表"):
        import_workbook(src, tmp_path / "o")


# -- local table importer -------------------------------------------------------------------
def test_local_table_with_chinese_headers(tmp_path):
    from dipdrg.dip.pack.import_local import import_local

    src = tmp_path / "目录.csv"
    src.write_text("病种编码,病种名称,病种类型,诊断编码,手术操作,治疗方式,分值,基层病种,case_count\n"
                   "G1,阑尾切除,核心,K35.8,47.0100,手术操作,300.5,1,40\n"
                   "Z1,K35 内科,综合,K35,,内科诊疗,80,0,12\n", encoding="utf-8")
    catalog = load_pack(import_local(src, tmp_path / "pack", pack_id="city", version="2026"))
    assert [r.group_code for r in catalog.rules] == ["G1"] and catalog.rules[0].primary_care is True
    assert str(catalog.rules[0].score) == "300.5"
    assert catalog.comprehensive[0].treatment == "内科诊疗"
    assert catalog.extra_columns["G1"] == {"case_count": "40"}
