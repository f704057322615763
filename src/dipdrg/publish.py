"""Publishing an output folder (a pack) all at once, or not at all."""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def publish_directory(out: Path, *, replace: bool = False) -> Iterator[Path]:
    """Yield a hidden folder beside ``out`` to write into; it becomes ``out`` only on success.

    A reader never sees a half-written pack, and a failed write leaves ``out`` as it was.
    ``out`` may exist only empty, unless ``replace`` (the caller has decided to overwrite it).
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        yield staging
        if out.exists():
            shutil.rmtree(out) if replace else out.rmdir()
        staging.rename(out)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
