"""CSV reports for people: UTF-8 with a byte-order mark, so Excel shows the Chinese headers.

Values are written as ``str()`` gives them (a Decimal keeps its exact digits); None is blank.
Lines end in CRLF, as RFC 4180 and Excel expect.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Iterable, Sequence


def write_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write ``headers`` then ``rows`` (streamed) to ``path``; return the number of data rows."""
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for row in rows:
            writer.writerow(row)  # the csv module writes None as an empty field
            count += 1
    return count
