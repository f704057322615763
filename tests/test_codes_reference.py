"""The normaliser and loaders on the real 医保版 2.0 reference lists (skipped when absent)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dipdrg.codes.index import CodeIndex
from dipdrg.codes.lists import load_files


@pytest.fixture(scope="module")
def loaded(reference: Path, tmp_path_factory):
    from dipdrg.workspace import init_workspace

    ws = init_workspace(tmp_path_factory.mktemp("ref") / "ws")
    codes = reference / "codes"
    reports = load_files(
        ws,
        diagnoses=codes / "icd10-yb-2.0.csv",
        procedures=codes / "icd9-yb-2.0.csv",
        dx_crosswalk=codes / "icd10-gl-to-yb.csv",
        proc_crosswalk=codes / "icd9-gl-to-yb.csv",
        categories=codes / "icd9-category.csv",
    )
    yield ws, {r.list_id: r for r in reports}, CodeIndex.from_workspace(ws)
    ws.close()


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_counts_match_the_files(loaded, reference: Path) -> None:
    _, reports, index = loaded
    assert reports["icd10-yb"].loaded == len(rows(reference / "codes" / "icd10-yb-2.0.csv")) == 33304
    assert reports["icd9-yb"].loaded == 13686
    # README: 13,098 shared codes, 3 of them without attribute -> 13,095 procedures with one
    assert reports["icd9-yb-category"].loaded == 13095
    problems = {p.kind: p.count for p in reports["icd9-yb-category"].problems}
    assert problems["unlisted"] == 555 and problems["no_category"] == 3
    assert problems["missing"] == 588 + 3
    assert index.category("47.0100") == "手术"


@pytest.mark.parametrize(
    "raw, code, status, key3, key4",
    [
        ("K35.800x001", "K35.800x001", "ok", "K35", "K35.8"),
        ("k35.8", "K35.800", "padded", "K35", "K35.8"),
        ("A01.000X004", "A01.000x004", "ok", "A01", "A01.0"),
        ("R31.X00", "R31.x00", "ok", "R31", None),
        ("r31", "R31.x00", "padded", "R31", None),
        ("A17.000†G01*", "A17.000+G01*", "ok", "A17", "A17.0"),
        ("K35", None, "heading", None, None),
        ("A17.000", None, "heading", None, None),
        ("A01.000x002", "A01.003", "mapped", "A01", "A01.0"),  # 国临版 row with source != target
        ("A02.200x004+N16.0*", "A02.205+N16.0*", "mapped", "A02", "A02.2"),
        ("B06.801+J17.1*", "B06.801+J17.1*", "ok", "B06", "B06.8"),  # crosswalk target had a leading space
        ("K35.900", "K35.800x001", "mapped", "K35", "K35.8"),  # 国临版 K35.900
        ("K35.700", None, "unknown", None, None),
    ],
)
def test_tricky_diagnoses(loaded, raw, code, status, key3, key4) -> None:
    result = loaded[2].normalise(raw, "diagnosis")
    assert (result.code, result.status, result.key3, result.key4) == (code, status, key3, key4)


@pytest.mark.parametrize(
    "raw, code, status",
    [
        ("4701", "47.0100", "padded"),
        ("00.5500X008", "00.5500x008", "ok"),
        ("01.6", "01.6x00", "padded"),
        ("17.912a0", "17.912A0", "ok"),
        ("37.8300x002", "00.5000x004", "mapped"),
        ("47.0", None, "heading"),
    ],
)
def test_tricky_procedures(loaded, raw, code, status) -> None:
    result = loaded[2].normalise(raw, "procedure")
    assert (result.code, result.status) == (code, status)


def test_every_crosswalk_row_with_listed_target_maps(loaded, reference: Path) -> None:
    index = loaded[2]
    for kind, name in (("diagnosis", "icd10-gl-to-yb.csv"), ("procedure", "icd9-gl-to-yb.csv")):
        listed = index.get(kind).codes
        checked = 0
        for row in rows(reference / "codes" / name):
            source, target = row["source_code"].strip(), row["target_code"].strip()
            if source != target and source not in listed and target in listed:
                assert index.normalise(source, kind).code == target, source
                checked += 1
        assert checked > 100


def test_every_listed_code_is_its_own_normal_form(loaded) -> None:
    index = loaded[2]
    for kind in ("diagnosis", "procedure"):
        for code in index.get(kind).codes:
            result = index.normalise(code, kind)
            assert result.code == code and result.status == "ok", code
