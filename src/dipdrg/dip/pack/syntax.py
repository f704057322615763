"""The small languages inside a DIP pack: diagnosis keys, ranges and procedure combinations.

Diagnosis keys (DESIGN §4.6 "Keys"): 3 characters (``K35``, a whole category) or 4 characters
(``K35.8``, a 亚目). Ranges ``C00-C75`` expand to every 3-character category in between.

Procedure combinations (the contract of ``docs/dip-pack.md``): terms joined by ``+`` must all
be on the case, each term lists alternatives joined by ``/``; a national pack may also join
several combinations by ``|`` ("any one of these combinations").
"""

from __future__ import annotations

import re

DX_KEY = re.compile(r"^[A-Z][0-9]{2}(\.[0-9])?$")
# 医保版 ICD-9-CM-3: 47.0100, 37.5100x001, 33.6x00, 40.3x00x002, TCM 17.98330 / 17.912A0
PROC_CODE = re.compile(r"^[0-9]{2}\.[0-9A-Za-z]{2,5}(x[0-9]{3})?$")
DX_CODE = re.compile(r"^[A-Z][0-9]{2}(\.[0-9A-Za-z]{1,8})?([+][A-Z][0-9]{2}(\.[0-9A-Za-z]{0,8})?\*?)?$")


class SyntaxProblem(ValueError):
    """A malformed key or combination; the caller adds file/row/field and raises UserError."""


def _category_index(key: str) -> tuple[str, int]:
    return key[0], int(key[1:3])


def expand_dx(text: str) -> list[str]:
    """Expand one written key or range (``A15-A16``, ``K35.8``, ``M47.0+``) into keys."""
    item = text.strip().upper().rstrip("+").strip()
    if not item:
        raise SyntaxProblem("诊断编码为空")
    if "-" in item:
        low, _, high = (part.strip() for part in item.partition("-"))
        if not (DX_KEY.match(low) and DX_KEY.match(high)) or len(low) != len(high):
            raise SyntaxProblem(f"诊断范围“{text}”格式错误（应如 C00-C75 或 T31.0-T31.3）")
        if len(low) == 3:
            (l_letter, l_num), (h_letter, h_num) = _category_index(low), _category_index(high)
            if (l_letter, l_num) > (h_letter, h_num):
                raise SyntaxProblem(f"诊断范围“{text}”起点大于终点")
            keys = []
            for letter in (chr(c) for c in range(ord(l_letter), ord(h_letter) + 1)):
                first = l_num if letter == l_letter else 0
                last = h_num if letter == h_letter else 99
                keys.extend(f"{letter}{n:02d}" for n in range(first, last + 1))
            return keys
        if low[:4] != high[:4] or low[4] > high[4]:
            raise SyntaxProblem(f"诊断范围“{text}”须在同一类目内且起点不大于终点")
        return [f"{low[:4]}{d}" for d in range(int(low[4]), int(high[4]) + 1)]
    if not DX_KEY.match(item):
        raise SyntaxProblem(f"诊断编码“{text}”不是 3 位类目（如 K35）或 4 位亚目（如 K35.8）")
    return [item]


def expand_dx_list(items: list[str] | str) -> list[str]:
    """Expand a list of keys/ranges (or one text joined by ``|``/``,``/newlines), keeping order."""
    if isinstance(items, str):
        items = [p for p in re.split(r"[|,，、\n]", items) if p.strip()]
    out: list[str] = []
    for item in items:
        for key in expand_dx(item):
            if key not in out:
                out.append(key)
    return out


def clean_proc(code: str) -> str:
    """Validate one procedure code written in a pack."""
    item = code.strip()
    if not item:
        raise SyntaxProblem("手术操作编码为空")
    if not PROC_CODE.match(item):
        raise SyntaxProblem(f"手术操作编码“{code}”格式错误（应如 47.0100 或 37.5100x001）")
    return item


def parse_combination(text: str) -> tuple[tuple[str, ...], ...]:
    """Parse ``a/b+c``: a tuple of terms, each a tuple of alternative codes."""
    if text.strip() == "":
        return ()
    terms = []
    for term in text.split("+"):
        if term.strip() == "":
            raise SyntaxProblem(f"手术组合“{text}”中有空的“+”项（如 a++b 或首尾多余的 +）")
        alternatives = []
        for alt in term.split("/"):
            if alt.strip() == "":
                raise SyntaxProblem(f"手术组合“{text}”中有空的“/”备选（如 /b 或 a//b）")
            code = clean_proc(alt)
            if code not in alternatives:
                alternatives.append(code)
        terms.append(tuple(alternatives))
    return tuple(terms)


def parse_expression(text: str) -> list[tuple[tuple[str, ...], ...]]:
    """Parse combinations joined by ``|`` (national packs): any one of them."""
    if text.strip() == "":
        return []
    parts = text.split("|")
    if any(p.strip() == "" for p in parts):
        raise SyntaxProblem(f"手术表达式“{text}”中有空的“|”备选")
    return [parse_combination(p) for p in parts]


def combination_text(terms: tuple[tuple[str, ...], ...]) -> str:
    """The canonical written form of parsed terms (used for duplicate detection)."""
    return "+".join("/".join(sorted(t)) for t in terms)
