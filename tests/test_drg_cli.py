"""The ``dipdrg drg`` commands end to end on the hand-made pack and the reference scheme."""

from __future__ import annotations

import csv

import pytest
from typer.testing import CliRunner

from test_drg_minipack import write_mini

from dipdrg.cli import app
from dipdrg.drg.batch import group_file
from dipdrg.drg.pack import load_pack
from dipdrg.errors import UserError

runner = CliRunner()


def test_import_pack_check_and_explain(reference, tmp_path):
    out = tmp_path / "pack11"
    result = runner.invoke(app, ["drg", "import-pack", str(reference / "chs-drg-1.1"), str(out),
                                 "--version", "1.1"])
    assert result.exit_code == 0, result.output
    assert (out / "manifest.toml").is_file() and (out / "adrg_codes.csv").is_file()
    again = runner.invoke(app, ["drg", "import-pack", str(reference / "chs-drg-1.1"), str(out)])
    assert again.exit_code != 0           # refuses to overwrite without --force
    checked = runner.invoke(app, ["drg", "check-pack", str(out)])
    assert "校验通过" in checked.output
    # labelled case 22062109: K22.301 with 42.0902 -> MDCG GC1 GC13 (MCC J96.900x001 counts)
    result = runner.invoke(app, [
        "drg", "explain", "--pack", str(out), "--pdx", "K22.301",
        "--sdx", "J94.801|J96.900x001|I10.x00x002", "--proc", "42.0902", "--proc", "34.0401",
        "--age", "59", "--gender", "1"])
    assert result.exit_code == 0, result.output
    assert "MDCG → GC1 → GC13" in result.output
    assert "MDCA：主要手术操作 42.0902 在手术室手术列表中" in result.output
    assert "J96.900x001 MCC" in result.output


def test_group_file_and_workspace_commands(tmp_path):
    pack = write_mini(tmp_path / "pack")
    source = tmp_path / "in.csv"
    source.write_text(
        "case_id,gender,age,age_days,birth_weight,principal_dx,secondary_dx,principal_proc,other_procs\n"
        "a,1,40,,,DM1,DX4,,\n"
        "b,2,40,,,DM1,,,\n"
        "c,,40,,,DC1,,,\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["drg", "group-file", str(source), "--pack", str(pack), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "入组（SUCCESS）1" in result.output and "数据校验未通过（CHECK_FAILED）1" in result.output
    assert list(csv.reader(open(out, encoding="utf-8"))) == [
        ["case_id", "mdc", "adrg", "drg", "status", "reason"],
        ["a", "MDCM", "MR1", "MR13", "SUCCESS", ""],
        # DM1 enters only MDCM, which is for gender 1: no MDC; c has no gender
        ["b", "0000", "00", "0000", "FAIL", "no_mdc"],
        ["c", "0000", "00", "0000", "CHECK_FAILED", "gender"],
    ]

    ws = tmp_path / "ws"
    assert runner.invoke(app, ["init", str(ws)]).exit_code == 0
    result = runner.invoke(app, ["drg", "group", "-w", str(ws), "--pack", str(pack)])
    assert result.exit_code == 0, result.output
    assert "共 0 例" in result.output


def test_group_file_reason_names_the_failed_check(tmp_path):
    """A non-numeric age fails the age check, and the output says so (input order kept)."""
    pack = write_mini(tmp_path / "pack")
    source = tmp_path / "in.csv"
    source.write_text(
        "case_id,gender,age,age_days,birth_weight,principal_dx\n"
        "x,1,abc,,,DM1\n"
        "y,1,0,,,DM1\n"
        "z,1,40,,,DM1\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    group_file(source, load_pack(pack), out)
    got = [(r["case_id"], r["status"], r["reason"])
           for r in csv.DictReader(open(out, encoding="utf-8"))]
    assert got == [("x", "CHECK_FAILED", "age"), ("y", "CHECK_FAILED", "age_days"),
                   ("z", "SUCCESS", "")]


def test_missing_columns_are_a_chinese_error(tmp_path):
    pack = write_mini(tmp_path / "pack")
    source = tmp_path / "in.csv"
    source.write_text("id,sex\n1,1\n", encoding="utf-8")
    with pytest.raises(UserError, match="病例文件缺少列：case_id"):
        group_file(source, load_pack(pack), tmp_path / "out.csv")


def test_a_broken_parquet_case_file_is_a_chinese_error(tmp_path):
    pack = write_mini(tmp_path / "pack")
    fake = tmp_path / "cases.parquet"
    fake.write_text("不是 Parquet", encoding="utf-8")
    result = runner.invoke(app, ["drg", "group-file", str(fake), "--pack", str(pack), "-o", str(tmp_path / "o.csv")])
    assert isinstance(result.exception, UserError)
    assert "无法按 Parquet 读取" in str(result.exception)
