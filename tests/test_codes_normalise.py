"""The normaliser on a small hand-made index: writing repairs, padding, pairs, headings, crosswalk."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dipdrg.codes.index import KindIndex
from dipdrg.codes.normalise import (
    HEADING, MALFORMED, MAPPED, OK, PADDED, UNCHECKED, UNKNOWN, clean, dip_keys, normalise,
)

DX_CODES = [
    "K35.200", "K35.201", "K35.300", "K35.800", "K35.800x001", "R31.x00", "A58.x00", "A58.x01",
    "A01.000x004", "A17.000+G01*", "A17.000x001+G05.0*", "X59.900", "A00.000",
]
PX_CODES = ["47.0100", "47.0900", "47.0900x001", "00.5500x008", "01.6x00", "17.912A0", "17.91100"]
DX = KindIndex.build("diagnosis", DX_CODES, {"A01.000x002": "A01.000x004", "B99.000": "Z99.999"}, {})
PX = KindIndex.build("procedure", PX_CODES, {"37.8300x002": "00.5500x008"}, {"47.0100": "手术"})


@pytest.mark.parametrize(
    "raw, code, status",
    [
        ("K35.800", "K35.800", OK),
        ("k35.800", "K35.800", OK),
        ("K35800", "K35.800", OK),
        ("K35..800", "K35.800", OK),
        (" K 35 .8\t00 ", "K35.800", OK),
        ("Ｋ３５．８００", "K35.800", OK),
        ("K35，800", "K35.800", OK),
        ("K35.800X001", "K35.800x001", OK),
        ("k35800x001", "K35.800x001", OK),
        ("r31.X00", "R31.x00", OK),
        ("X59.900", "X59.900", OK),
        ("K35.8", "K35.800", PADDED),
        ("K35.80", "K35.800", PADDED),
        ("K35.8000", "K35.800", PADDED),
        ("R31", "R31.x00", PADDED),
        ("A58", "A58.x00", PADDED),
        ("A17.000+G01*", "A17.000+G01*", OK),
        ("A17.000†G01*", "A17.000+G01*", OK),
        ("A17.000*G01*", "A17.000+G01*", OK),
        ("A17.000+G01", "A17.000+G01*", OK),
        ("a17000 + g01 *", "A17.000+G01*", OK),
        ("A17.0+G01.0*", "A17.000+G01*", PADDED),
        ("A17.000x001+G05.000*", "A17.000x001+G05.0*", PADDED),
        ("A01.000x002", "A01.000x004", MAPPED),
    ],
)
def test_diagnosis_normalises(raw: str, code: str, status: str) -> None:
    result = normalise(raw, "diagnosis", DX)
    assert (result.code, result.status) == (code, status)


@pytest.mark.parametrize(
    "raw, code, status",
    [
        ("47.0100", "47.0100", OK),
        ("470100", "47.0100", OK),
        ("47.01", "47.0100", PADDED),
        ("4701", "47.0100", PADDED),
        ("47.010", "47.0100", PADDED),
        ("47.01000", "47.0100", PADDED),
        ("00.5500X008", "00.5500x008", OK),
        ("0055 00x008", "00.5500x008", OK),
        ("01.6", "01.6x00", PADDED),
        ("01.6X00", "01.6x00", OK),
        ("17.912a0", "17.912A0", OK),
        ("17.91100", "17.91100", OK),
        ("37.8300x002", "00.5500x008", MAPPED),
    ],
)
def test_procedure_normalises(raw: str, code: str, status: str) -> None:
    result = normalise(raw, "procedure", PX)
    assert (result.code, result.status) == (code, status)


def test_heading_is_reported_not_guessed() -> None:
    for raw, kind, index in (("K35", "diagnosis", DX), ("47.0", "procedure", PX), ("47", "procedure", PX)):
        result = normalise(raw, kind, index)
        assert result.status == HEADING and result.code is None
        assert "灰码" in result.message
    assert "K35.200" in normalise("K35", "diagnosis", DX).message


def test_dagger_part_alone_names_the_listed_pair() -> None:
    result = normalise("A17.000", "diagnosis", DX)
    assert result.status == HEADING and result.code is None
    assert "A17.000+G01*" in result.message and "星号" in result.message


def test_unlisted_pair_with_listed_dagger_says_so() -> None:
    result = normalise("A17.000+G02*", "diagnosis", DX)
    assert result.status == UNKNOWN and result.code is None
    assert "剑号部分 A17.000" in result.message and "A17.000+G01*" in result.message


def test_unknown_and_malformed() -> None:
    assert normalise("K35.900", "diagnosis", DX).status == UNKNOWN  # K35.9 is not in the list
    assert normalise("K35.9", "diagnosis", DX).status == UNKNOWN
    for raw in ("ＫＡ", "35.800", "K3", "hello", "47.01.00.00.1a", ""):
        assert normalise(raw, "diagnosis", DX).status == MALFORMED
    assert normalise(None, "diagnosis", DX).status == MALFORMED
    assert normalise("K35.800", "procedure", PX).status == MALFORMED


def test_crosswalk_target_missing_from_list_is_unknown() -> None:
    result = normalise("B99.000", "diagnosis", DX)
    assert result.status == UNKNOWN and result.code is None and "Z99.999" in result.message


def test_unchecked_without_list_repairs_writing_only() -> None:
    assert normalise("k35.8", "diagnosis").code == "K35.800"
    assert normalise("k35.8", "diagnosis").status == UNCHECKED
    assert normalise("4701", "procedure").code == "47.0100"
    assert normalise("K35", "diagnosis").code == "K35"


@pytest.mark.parametrize(
    "code, keys",
    [
        ("K35.800x001", ("K35", "K35.8")),
        ("K35.800", ("K35", "K35.8")),
        ("R31.x00", ("R31", None)),
        ("A17.000+G01*", ("A17", "A17.0")),
        ("47.0100", (None, None)),
        (None, (None, None)),
    ],
)
def test_dip_keys(code, keys) -> None:
    assert dip_keys(code) == keys


def test_result_carries_keys_of_the_canonical_code() -> None:
    result = normalise("k35.8x001", "diagnosis", DX)
    assert (result.code, result.key3, result.key4) == ("K35.800x001", "K35", "K35.8")
    assert normalise("K35", "diagnosis", DX).key3 is None


# -- properties ---------------------------------------------------------------------------
FULL_WIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}


@st.composite
def messy(draw, code: str) -> str:
    """A rendering of ``code`` with random case, spaces, full-width characters and dots removed."""
    text = code
    if draw(st.booleans()):
        text = text.replace(".", "")
    out = []
    for ch in text:
        if ch.isalpha() and draw(st.booleans()):
            ch = ch.swapcase()
        if draw(st.integers(0, 4)) == 0:
            ch = FULL_WIDTH.get(ch, ch)
        out.append(ch)
        if draw(st.integers(0, 5)) == 0:
            out.append(draw(st.sampled_from([" ", "\t", "\u3000"])))
    return draw(st.sampled_from(["", " "])) + "".join(out)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_messy_rendering_of_a_listed_code_normalises_back(data) -> None:
    kind, index, codes = data.draw(
        st.sampled_from([("diagnosis", DX, DX_CODES), ("procedure", PX, PX_CODES)])
    )
    code = data.draw(st.sampled_from(codes))
    raw = data.draw(messy(code))
    result = normalise(raw, kind, index)
    assert result.code == code, (raw, result)
    assert result.status == OK


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(DX_CODES + PX_CODES))
def test_canonical_code_is_a_fixed_point(code: str) -> None:
    kind, index = ("diagnosis", DX) if code[0].isalpha() else ("procedure", PX)
    result = normalise(code, kind, index)
    assert (result.code, result.status, result.message) == (code, OK, "")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ABKRXx0123456789.+*† ＫＡ．，", max_size=14), st.sampled_from(["diagnosis", "procedure"]))
def test_output_is_a_listed_code_or_none(raw: str, kind: str) -> None:
    index = DX if kind == "diagnosis" else PX
    result = normalise(raw, kind, index)
    assert result.code is None or result.code in index.codes
    assert (result.code is None) == (result.status in (HEADING, UNKNOWN, MALFORMED))
    assert result.message or result.status == OK


def test_clean_folds_full_width_and_spaces() -> None:
    assert clean("Ｋ３５．８ ０\u3000０") == "K35.800"
