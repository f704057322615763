"""SHA-256 fingerprints of files, texts and row lists.

Every hash the project records (imports, code lists, packs, weights tables, run inputs) is a
hex SHA-256 made here, so two layers that hash the same bytes always agree.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Iterable, Sequence

_BLOCK = 1 << 20  # read files in 1 MiB blocks: memory stays flat for multi-GB settlement files


def file_sha256(path: Path | str) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def text_sha256(text: str) -> str:
    """Hex SHA-256 of ``text`` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def rows_sha256(rows: Iterable[Sequence[Any]]) -> str:
    """Hex SHA-256 of rows written as tab-separated lines, each ending in a newline.

    Used for lists of ``(name, sha256)`` such as a pack's files or a workspace's imports; the
    caller fixes the order.
    """
    return text_sha256("".join("\t".join(str(v) for v in row) + "\n" for row in rows))
