"""Write a ``dip-local`` pack from group rows (used by the local importer; open to the builder)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Mapping

from dipdrg.dip.pack import tables as T
from dipdrg.dip.pack.manifest import Manifest, write_manifest


def write_local_pack(out: Path, rows: Iterable[Mapping[str, object]], *, pack_id: str, version: str,
                     region: str = "", description: str = "", source: str = "",
                     budget_point_value: str | None = None, extra_columns: tuple[str, ...] = ()) -> Path:
    """Write ``groups.csv`` (contract columns + ``extra_columns``) and ``manifest.toml``.

    Other files already in ``out`` (coefficients.csv, ...) are kept and hashed into the manifest.
    The pack is not validated here; call :func:`dipdrg.dip.pack.load_pack` to check it.
    """
    out.mkdir(parents=True, exist_ok=True)
    T.write_table(out / T.LOCAL_GROUPS, (*T.LOCAL_COLUMNS, *extra_columns), [dict(r) for r in rows])
    write_manifest(out, Manifest(id=pack_id, kind="dip-local", version=version, region=region,
                                 description=description, source=source, budget_point_value=budget_point_value))
    return out
