"""Pack format: writing, loading, hashes and the refusal of broken packs with clear messages."""

from __future__ import annotations

import copy

import pytest

from test_drg_minipack import case, mini_tables, write_mini

from dipdrg.drg.explain import explain_case
from dipdrg.drg.pack import load_pack, parse_category_rule
from dipdrg.errors import UserError


def refused(tmp_path, tables) -> str:
    with pytest.raises(UserError) as info:
        load_pack(write_mini(tmp_path / "bad", tables=tables))
    return str(info.value)


def test_mini_pack_loads_with_identity_and_switches(tmp_path):
    pack = load_pack(write_mini(tmp_path / "p", {"qy_enabled": True}))
    assert (pack.id, pack.version) == ("mini", "t1")
    assert pack.switches == {"qy_enabled": True, "fall_through_after_mdc": True, "code_mapping": False}
    assert len(pack.sha256) == 64
    assert pack.tables["adrg"].num_rows == len(mini_tables()["adrg"])


def test_parquet_tables_group_like_csv(tmp_path):
    csv_pack = load_pack(write_mini(tmp_path / "csv"))
    pq_pack = load_pack(write_mini(tmp_path / "pq", fmt="parquet"))
    assert (tmp_path / "pq" / "adrg.parquet").is_file()
    sample = case("DM1", ["DX4"])
    assert explain_case(pq_pack, sample).drg == explain_case(csv_pack, sample).drg == "MR13"


def test_hash_mismatch_is_refused(tmp_path):
    directory = write_mini(tmp_path / "p")
    with open(directory / "cc.csv", "a", encoding="utf-8") as handle:
        handle.write("DX9,T9\n")
    with pytest.raises(UserError, match="SHA-256"):
        load_pack(directory)


def test_missing_table_and_column_are_refused(tmp_path):
    directory = write_mini(tmp_path / "p")
    (directory / "mcc.csv").unlink()
    with pytest.raises(UserError, match="缺少表 mcc 的文件"):
        load_pack(directory)
    tables = mini_tables()
    for row in tables["drg"]:
        del row["rule"]
    assert "表 drg 缺少列：rule" in refused(tmp_path, tables)


def test_unknown_rule_shape_and_atom(tmp_path):
    tables = mini_tables()
    tables["adrg"][0]["rule_shape"] = "pproc_twice"
    assert "规则形状 'pproc_twice' 未在 rule_shapes 中定义" in refused(tmp_path, tables)
    tables = mini_tables()
    tables["rule_shapes"].append({"shape": "x", "atom": "pdx_startswith", "list": "dx"})
    assert "未知的规则条件 'pdx_startswith'" in refused(tmp_path / "2", tables)


def test_unknown_mdc_duplicate_drg_and_missing_fallback(tmp_path):
    tables = mini_tables()
    tables["adrg"][0]["mdc"] = "MDCQ"
    dup = copy.deepcopy(tables["drg"][0])
    dup["check_order"] = "7"
    tables["drg"].append(dup)
    message = refused(tmp_path, tables)
    assert "ADRG AA1 引用了不存在的 MDC 'MDCQ'" in message
    assert "重复的DRG AA19" in message
    assert "adrg 第 2 行" in message            # row numbers count the header line
    tables = mini_tables()
    tables["drg"] = [r for r in tables["drg"] if r["drg"] != "MR15"]
    assert "ADRG MR1 的最后一个 DRG 不是无条件规则" in refused(tmp_path / "2", tables)


def test_entry_shape_list_and_category_rule_errors(tmp_path):
    tables = mini_tables()
    tables["mdc"][1]["entry_shape"] = "pdx_prefix"
    tables["adrg_codes"] = [r for r in tables["adrg_codes"] if r["list"] != "proc2"]
    next(r for r in tables["adrg"] if r["adrg"] == "BA1")["proc_category_rule"] = "1&|2"
    next(r for r in tables["drg"] if r["drg"] == "MR11")["rule"] = "MCC_plus"
    message = refused(tmp_path, tables)
    assert "未知的入组规则形状 'pdx_prefix'" in message
    assert "需要列表 proc2" in message
    assert "类别规则 '1&|2' 格式不对" in message
    assert "未知的严重程度规则 'MCC_plus'" in message


def test_manifest_errors(tmp_path):
    directory = write_mini(tmp_path / "p")
    manifest = directory / "manifest.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("qy_enabled = false", "qy_enabled = \"no\""), encoding="utf-8")
    with pytest.raises(UserError, match="行为开关 qy_enabled 必须是 true 或 false"):
        load_pack(directory)
    manifest.write_text(text.replace("code_mapping", "mapping_codes"), encoding="utf-8")
    with pytest.raises(UserError, match="未知的行为开关 mapping_codes"):
        load_pack(directory)
    with pytest.raises(UserError, match="缺少 manifest.toml"):
        load_pack(tmp_path)


def test_code_mapping_needs_map_tables(tmp_path):
    tables = mini_tables()
    del tables["dx_map"]
    with pytest.raises(UserError, match="dx_map"):
        load_pack(write_mini(tmp_path / "p", {"code_mapping": True}, tables=tables))


def test_parse_category_rule():
    assert parse_category_rule("1&2|1&3&4") == [frozenset({"1", "2"}), frozenset({"1", "3", "4"})]
    assert parse_category_rule("1|2&3") == [frozenset({"1"}), frozenset({"2", "3"})]
    assert parse_category_rule("") is None
    assert parse_category_rule("1||2") is None
