"""Line ends of CSV input: a file mixing CRLF and LF is read from an LF-only copy.

DuckDB's strict CSV parser stops with "state machine reached an invalid state" when a file
mixes CRLF and LF line ends (a line appended by another program, a line cut off without its
CR), and a failed statement aborts the import's transaction, so the mix is detected before
parsing. One kind of line end throughout keeps every line where it was (line numbers do not
change); only a CRLF inside a quoted cell becomes LF. Files with one kind of line end, the
normal case, are not copied.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

CHUNK = 8 << 20


def _chunks(path: Path) -> Iterator[bytes]:
    """The file in chunks that never end between the CR and LF of a CRLF."""
    carry = b""
    with path.open("rb") as src:
        while chunk := src.read(CHUNK):
            chunk = carry + chunk
            carry = b"\r" if chunk.endswith(b"\r") else b""
            yield chunk[:-1] if carry else chunk
    if carry:
        yield carry


def has_mixed_newlines(path: Path) -> bool:
    """Some lines end in CRLF and others in a bare LF (byte counts, no decoding)."""
    crlf = lf = 0
    for chunk in _chunks(path):
        crlf += chunk.count(b"\r\n")
        lf += chunk.count(b"\n")
    return 0 < crlf < lf


def lf_copy_if_mixed(path: Path, directory: Path) -> Path | None:
    """An LF-only copy of ``path`` in ``directory`` when its line ends are mixed, else None."""
    if not has_mixed_newlines(path):
        return None
    target = directory / (path.stem + ".lf.csv")
    with target.open("wb") as out:
        for chunk in _chunks(path):
            out.write(chunk.replace(b"\r\n", b"\n"))
    return target
