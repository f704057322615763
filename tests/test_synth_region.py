"""The synthetic region as files: determinism, manifest, layout, command line."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from dipdrg.cases.fields import FEE_ITEMS, HOSPITAL_FIELDS, SETTLEMENT_FIELDS
from dipdrg.errors import UserError
from dipdrg.synth.region import generate_region


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): _sha(p) for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("region")
    generate_region(out, seed=11, cases_per_year=1500, years=2, hospitals=12)
    return out


def test_same_seed_gives_byte_identical_files_and_other_seed_differs(region, tmp_path):
    generate_region(tmp_path / "again", seed=11, cases_per_year=1500, years=2, hospitals=12)
    generate_region(tmp_path / "other", seed=12, cases_per_year=1500, years=2, hospitals=12)
    first, again, other = _files(region), _files(tmp_path / "again"), _files(tmp_path / "other")
    assert first == again
    assert first["settlements/2025-part000.parquet"] != other["settlements/2025-part000.parquet"]
    assert first["labels.csv"] != other["labels.csv"]


def test_manifest_lists_every_file_with_its_hash_and_row_count(region):
    manifest = json.loads((region / "manifest.json").read_text(encoding="utf-8"))
    on_disk = _files(region)
    on_disk.pop("manifest.json")
    assert {k: v["sha256"] for k, v in manifest["files"].items()} == on_disk
    assert manifest["seed"] == 11
    assert manifest["parameters"]["years"] == [2025, 2026]
    con = duckdb.connect()
    for year in ("2025", "2026"):
        rows = con.execute(f"select count(*) from read_parquet('{region}/settlements/{year}-part*.parquet')").fetchone()[0]
        assert manifest["cases_by_year"][year] == rows
        assert rows >= 1500  # split admissions add the readmission rows
    with open(region / "labels.csv", encoding="utf-8") as fh:
        assert manifest["files"]["labels.csv"]["rows"] == sum(1 for _ in fh) - 1


def test_settlement_columns_are_the_canonical_flat_layout(region):
    con = duckdb.connect()
    cols = [r[0] for r in con.execute(f"describe select * from read_parquet('{region}/settlements/2025-part000.parquet')").fetchall()]
    expected = [f.name for f in SETTLEMENT_FIELDS] + [c for _, c, _ in FEE_ITEMS] + [
        "main_diag_code", "main_diag_name", "main_diag_adm_cond", "other_diag_codes",
        "other_diag_adm_conds", "oprn_codes", "oprn_dates"]
    assert cols == expected
    types = dict(con.execute(f"select column_name, column_type from (describe select * from "
                         f"read_parquet('{region}/settlements/2025-part000.parquet'))").fetchall())
    assert types["medfee_sumamt"] == "DECIMAL(18,2)" and types["fee_wm"] == "DECIMAL(18,2)"
    assert types["adm_time"].startswith("TIMESTAMP")


def test_hospital_registry_uses_the_registry_fields(region):
    with open(region / "hospitals.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == [f.name for f in HOSPITAL_FIELDS]
    assert len(rows) == 12
    assert {r["hosp_lv"] for r in rows} == {"1", "2", "3"}
    assert {r["hosp_type"] for r in rows} <= {"综合", "中医", "专科"}
    assert len({r["fixmedins_code"] for r in rows}) == 12


def test_code_lists_cover_every_valid_code_used(region):
    con = duckdb.connect()
    used = {r[0] for r in con.execute(f"""
        select main_diag_code from read_parquet('{region}/settlements/*.parquet')
        union select unnest(string_split(other_diag_codes, '|')) from read_parquet('{region}/settlements/*.parquet')
    """).fetchall() if r[0]}
    with open(region / "codes/diagnoses.csv", encoding="utf-8") as fh:
        listed = {r["code"] for r in csv.DictReader(fh)}
    invalid = {r[0] for r in con.execute(f"""select main_diag_code from read_parquet('{region}/settlements/*.parquet')
        where setl_id in (select id from read_csv('{region}/labels.csv') where kind = 'invalid_code')""").fetchall()}
    assert invalid and not invalid & listed
    assert used - invalid == listed
    with open(region / "codes/procedures.csv", encoding="utf-8") as fh:
        procs = list(csv.DictReader(fh))
    assert procs and all(p["category"] in {"手术", "介入治疗", "治疗性操作", "诊断性操作"} for p in procs)


def test_cli_writes_a_region_and_reports_user_errors_in_chinese(tmp_path):
    from dipdrg.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["synth", str(tmp_path / "r"), "--seed", "3", "--cases-per-year", "300",
                                 "--years", "1", "--hospitals", "5", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r" / "settlements" / "2026-part000.csv").is_file()
    assert json.loads((tmp_path / "r" / "manifest.json").read_text(encoding="utf-8"))["parameters"]["format"] == "csv"
    (tmp_path / "foreign").mkdir()
    (tmp_path / "foreign" / "keep.txt").write_text("x")
    with pytest.raises(UserError, match="非空"):
        generate_region(tmp_path / "foreign", seed=1, cases_per_year=10, years=1)
    with pytest.raises(UserError, match="格式"):
        generate_region(tmp_path / "bad", seed=1, cases_per_year=10, years=1, fmt="xlsx")


def test_regenerating_into_a_region_replaces_its_parts(tmp_path):
    generate_region(tmp_path, seed=1, cases_per_year=200, years=2, hospitals=5)
    generate_region(tmp_path, seed=1, cases_per_year=200, years=1, hospitals=5)
    assert sorted(p.name for p in (tmp_path / "settlements").iterdir()) == ["2026-part000.parquet"]
