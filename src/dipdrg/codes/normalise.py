"""The code normaliser: one messy diagnosis or procedure code in, a canonical 医保版 code out.

This is the only place that decides what a code "means"; the per-case path calls
:func:`normalise` directly and the batch path (:mod:`dipdrg.codes.batch`) calls it once per
distinct raw value, so both paths always agree.

Canonical forms (医保版 2.0):

* diagnosis (ICD-10 医保版): ``K35.800``, ``R31.x00``, ``A01.000x004``, ``A17.000+G01*``;
* procedure (ICD-9-CM-3 医保版): ``47.0100``, ``01.6x00``, ``00.5500x008``, ``17.912A0``.

The normaliser repairs writing only (dots, case, full-width characters, spaces, missing or
extra trailing zeros, ``†``/``*`` instead of ``+``) and maps 国临版 codes through a loaded
crosswalk. It never picks a child for a heading code and never guesses an unknown code.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:  # pragma: no cover
    from dipdrg.codes.index import KindIndex

KINDS = ("diagnosis", "procedure")
KIND_ZH = {"diagnosis": "诊断", "procedure": "手术操作"}

OK = "ok"  # listed code (writing may have been repaired)
MAPPED = "mapped"  # 国临版 code mapped to 医保版 through the crosswalk
PADDED = "padded"  # trailing zeros added or removed to reach a listed code
UNKNOWN = "unknown"  # well-formed but not in the list (and not a heading)
HEADING = "heading"  # a category/heading (灰码) whose list has sub-codes
MALFORMED = "malformed"  # not shaped like a code at all
UNCHECKED = "unchecked"  # no code list loaded: writing repaired, validity unknown
STATUSES = (OK, MAPPED, PADDED, UNKNOWN, HEADING, MALFORMED, UNCHECKED)

# Shape of a canonical code (re and DuckDB's RE2 read these alike; used by the loaders too).
CANONICAL_PATTERN = {
    "diagnosis": r"[A-Z][0-9]{2}\.[0-9x][0-9]{2}(x[0-9]{3})?(\+[A-Z][0-9]{2}(\.[0-9]{1,3})?\*)?",
    "procedure": r"[0-9]{2}\.([0-9][0-9x][0-9]{2}(x[0-9]{3})?|[0-9]{3}[0-9A-Z][0-9])",
}

# After clean-up, upper case and with every dot removed.
_DIAGNOSIS = re.compile(
    r"([A-Z]\d\d)([0-9X]\d*)?(?:X(\d+))?(?:[+*]?([A-Z]\d\d)(\d*)\*?|(\*))?"
)
_PROCEDURE = re.compile(r"(\d\d)([0-9][0-9X]?[0-9A-WYZ]*)?(?:X(\d+))?")

# Characters typed instead of the ASCII ones (NFKC already folds full-width forms).
_TRANSLATE = str.maketrans(
    {"†": "+", "，": ".", ",": ".", "。": ".", "、": ".", "\u200b": None, "\ufeff": None}
)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Normalised:
    """The outcome for one raw code; ``code`` is a listed 医保版 code or None."""

    raw: str | None
    code: str | None
    status: str
    message: str
    key3: str | None
    key4: str | None


@dataclass(frozen=True, slots=True)
class _Parsed:
    """A code split into its parts (dagger core, extension, asterisk), writing repaired."""

    head: str  # K35 / 47
    sub: str  # 800 / 8 / x00 / 0100 / '' (as written, lower-case x)
    ext: str  # '001' or ''
    star: str  # asterisk part without '*' ('G01', 'J17.0') or ''

    def render(self, sub: str | None = None, star: str | None = None) -> str:
        sub = self.sub if sub is None else sub
        star = self.star if star is None else star
        text = f"{self.head}.{sub}" if sub else self.head
        if self.ext:
            text += f"x{self.ext}"
        if star:
            text += f"+{star}*"
        return text


def clean(raw: str) -> str:
    """Fold full-width characters, drop all whitespace and use ASCII punctuation."""
    text = unicodedata.normalize("NFKC", raw).translate(_TRANSLATE)
    return _SPACE.sub("", text)


def written_form(raw: str, kind: str) -> str:
    """The repaired writing of a code without any list look-up (used to key crosswalks).

    ``K74.300x011+I98.2`` (asterisk missing) → ``K74.300x011+I98.2*``; text that is not
    shaped like a code is returned cleaned and upper-cased.
    """
    text = clean(raw)
    parsed = _parse(text, kind)
    return parsed.render() if parsed is not None else text.upper()


def dip_keys(code: str | None) -> tuple[str | None, str | None]:
    """DIP keys of a canonical diagnosis code (DESIGN.md §4.6 "Keys").

    key3 = the category (``K35``); key4 = up to the first digit after the dot, dot kept
    (``K35.800x001`` → ``K35.8``), None when the 4th character is ``x`` (``R31.x00``).
    Dagger/asterisk pairs are keyed on the dagger part. Procedures have no 3/4-character
    keys (their DIP key is the full code), so they give (None, None).
    """
    if not code or not code[0].isalpha() or len(code) < 3:
        return None, None
    key3 = code[:3]
    if len(code) >= 5 and code[3] == "." and code[4].isdigit():
        return key3, code[:5]
    return key3, None


def _parse(text: str, kind: str) -> _Parsed | None:
    """Split a cleaned code into its parts, or None when it is not shaped like a code."""
    flat = text.upper().replace(".", "")
    if kind == "diagnosis":
        m = _DIAGNOSIS.fullmatch(flat)
        if not m:
            return None
        head, sub, ext, star_head, star_sub, _lone_star = m.groups()
        star = ""
        if star_head:
            star = f"{star_head}.{star_sub}" if star_sub else star_head
        return _Parsed(head, (sub or "").lower(), ext or "", star)
    m = _PROCEDURE.fullmatch(flat)
    if not m:
        return None
    head, sub, ext = m.groups()
    sub = (sub or "").replace("X", "x")
    return _Parsed(head, sub, ext or "", "")


def _sub_variants(sub: str, kind: str) -> list[str]:
    """Other spellings of the part after the dot that differ only in trailing zeros.

    Diagnoses have 3 characters after the dot (``K35.8`` → ``800``; a bare category
    ``R31`` → ``x00``); procedures 4 (``47.01`` → ``0100``; ``01.6`` → ``6x00``). Extra
    trailing zeros are dropped (``K35.8000`` → ``800``).
    """
    width = 3 if kind == "diagnosis" else 4
    if not sub:
        return ["x00"] if kind == "diagnosis" else []
    if len(sub) < width:
        if kind == "procedure" and len(sub) == 1:
            return [sub + "x00"]
        return [sub + "0" * (width - len(sub))]
    if len(sub) > width and set(sub[width:]) == {"0"}:
        return [sub[:width]]
    return []


def _star_variants(star: str) -> list[str]:
    """Asterisk codes are 3 or 4 characters; ``J17.000`` may stand for ``J17.0``."""
    if "." not in star:
        return []
    head, sub = star.split(".")
    out = []
    if len(sub) > 1 and set(sub[1:]) == {"0"}:
        out.append(f"{head}.{sub[0]}")
    if set(sub) == {"0"}:
        out.append(head)
    return out


def _candidates(parsed: _Parsed, kind: str) -> Iterator[tuple[str, bool]]:
    """(candidate code, differs-by-zeros) in order: as written first, then zero variants."""
    subs = [parsed.sub] + _sub_variants(parsed.sub, kind)
    stars = [parsed.star] + _star_variants(parsed.star)
    for i, sub in enumerate(subs):
        for j, star in enumerate(stars):
            yield parsed.render(sub, star), bool(i or j)


def _result(raw: str | None, code: str | None, status: str, message: str, kind: str) -> Normalised:
    key3, key4 = dip_keys(code) if kind == "diagnosis" and status != HEADING else (None, None)
    return Normalised(raw, code, status, message, key3, key4)


def normalise(raw: str | None, kind: str, index: "KindIndex | None" = None) -> Normalised:
    """Normalise one raw code of ``kind`` against ``index`` (None: no list loaded)."""
    zh = KIND_ZH[kind]
    if raw is None or not (text := clean(str(raw))):
        return _result(raw, None, MALFORMED, f"{zh}编码为空", kind)
    parsed = _parse(text, kind)
    if parsed is None:
        target = index.crosswalk.get(text.upper()) if index is not None else None
        if target is not None and target in index.codes:
            return _result(raw, target, MAPPED, f"国临版编码 {text} 映射为医保版 {target}", kind)
        example = "K35.800" if kind == "diagnosis" else "47.0100"
        return _result(raw, None, MALFORMED, f"{zh}编码 {raw!r} 格式不正确（应形如 {example}）", kind)

    written = parsed.render()
    if index is None:
        variants = _sub_variants(parsed.sub, kind) if parsed.sub else []
        code = parsed.render(variants[0]) if variants else written
        return _result(raw, code, UNCHECKED, f"未加载{zh}编码目录，未校验", kind)

    for candidate, by_zeros in _candidates(parsed, kind):
        if candidate in index.codes:
            if by_zeros:
                return _result(raw, candidate, PADDED, f"按补零/去零规则规范为 {candidate}", kind)
            note = "" if candidate == raw else f"书写已规范为 {candidate}"
            return _result(raw, candidate, OK, note, kind)
        target = index.crosswalk.get(candidate)
        if target is not None:
            if target in index.codes:
                return _result(raw, target, MAPPED, f"国临版编码 {candidate} 映射为医保版 {target}", kind)
            return _result(
                raw, None, UNKNOWN, f"国临版编码 {candidate} 的映射目标 {target} 不在医保版目录中", kind
            )
    return _not_listed(raw, parsed, written, kind, index)


def _not_listed(
    raw: str | None, parsed: _Parsed, written: str, kind: str, index: "KindIndex"
) -> Normalised:
    """Explain why a well-formed code is not in the list (pair, heading or unknown)."""
    zh = KIND_ZH[kind]
    daggers = [parsed.render(sub, "") for sub in [parsed.sub] + _sub_variants(parsed.sub, kind)]
    for dagger in daggers:
        pairs = index.pairs.get(dagger)
        if parsed.star and dagger in index.codes:
            return _result(
                raw, None, UNKNOWN,
                f"组合 {written} 不在目录中；剑号部分 {dagger} 在目录中（单独编码），请核对星号编码", kind,
            )
        if pairs and parsed.star:
            return _result(
                raw, None, UNKNOWN,
                f"组合 {written} 不在目录中；剑号部分 {dagger} 在目录中的组合为 {'、'.join(pairs[:5])}", kind,
            )
        if pairs:
            return _result(
                raw, None, HEADING,
                f"{dagger} 只是剑号部分，目录中的组合为 {'、'.join(pairs[:5])}，请补录星号编码", kind,
            )
    children = index.children(written)
    if children:
        shown = "、".join(children[:3])
        return _result(
            raw, None, HEADING,
            f"{written} 是类目/亚目（灰码），目录中有 {len(children)} 个下级编码（如 {shown}），请编码到细目",
            kind,
        )
    return _result(raw, None, UNKNOWN, f"{zh}编码 {written} 不在医保版目录中", kind)
