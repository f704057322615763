"""The pack manifest (``manifest.toml``) and the pack's content hash.

A pack is a directory: ``manifest.toml`` plus UTF-8 tables. ``[pack]`` names it (id, kind,
version, region, ...), ``[files]`` maps each file name to its sha256. The pack hash recorded with
every grouping run is the sha256 over the sorted ``name<TAB>sha256`` lines of *every* file in the
directory except the manifest, so files a reader does not know (added by the catalog builder)
still change the hash.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from dipdrg.errors import UserError, detail
from dipdrg.hashing import file_sha256, rows_sha256

MANIFEST = "manifest.toml"
KINDS = ("dip-national", "dip-local")


def file_hashes(directory: Path) -> dict[str, str]:
    """Name → sha256 of every file of the pack directory except the manifest, by name."""
    return {p.name: file_sha256(p) for p in sorted(directory.iterdir()) if p.is_file() and p.name != MANIFEST}


def pack_sha256(directory: Path) -> str:
    """Hash of all the pack's files (names and contents), manifest excluded."""
    return rows_sha256(file_hashes(directory).items())


@dataclass
class Manifest:
    """``[pack]`` of a manifest; ``extra`` keeps keys written by other tools."""

    id: str
    kind: str
    version: str
    region: str = ""
    description: str = ""
    created: str = ""
    source: str = ""
    budget_point_value: str | None = None
    files: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


def read_manifest(directory: Path) -> Manifest:
    path = directory / MANIFEST
    if not directory.is_dir():
        raise UserError("病种库目录不存在", file=directory)
    if not path.is_file():
        raise UserError(f"病种库目录中缺少 {MANIFEST}", file=directory)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UserError(f"清单文件不是有效的 UTF-8 TOML（{detail(exc)}）", file=path) from exc
    pack = dict(data.get("pack") or {})
    for key in ("id", "kind", "version"):
        if not str(pack.get(key, "")).strip():
            raise UserError(f"[pack] 缺少必填项 {key}", file=path, field=key)
    if pack["kind"] not in KINDS:
        raise UserError(f"[pack] kind 应为 {' 或 '.join(KINDS)}，实际为 {pack['kind']}", file=path, field="kind")
    files = {str(k): str(v) for k, v in (data.get("files") or {}).items()}
    for name, expected in files.items():
        target = directory / name
        if not target.is_file():
            raise UserError(f"清单列出的文件 {name} 不存在", file=path, field="files")
        if file_sha256(target) != expected:
            raise UserError(f"文件 {name} 的 sha256 与清单不符（文件已被修改？请重新生成清单）", file=path, field="files")
    known = {"id", "kind", "version", "region", "description", "created", "source", "budget_point_value"}
    bpv = pack.get("budget_point_value")
    return Manifest(
        id=str(pack["id"]),
        kind=str(pack["kind"]),
        version=str(pack["version"]),
        region=str(pack.get("region", "")),
        description=str(pack.get("description", "")),
        created=str(pack.get("created", "")),
        source=str(pack.get("source", "")),
        budget_point_value=None if bpv is None else str(bpv),
        files=files,
        extra={k: v for k, v in pack.items() if k not in known},
    )


def _toml_value(value: Any) -> str:
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def write_manifest(directory: Path, manifest: Manifest) -> None:
    """Write ``manifest.toml`` with the current hash of every other file in the directory."""
    manifest.files = file_hashes(directory)
    if not manifest.created:
        manifest.created = datetime.now().isoformat(timespec="seconds")
    lines = ["[pack]"]
    for key in ("id", "kind", "version", "region", "description", "created", "source"):
        lines.append(f"{key} = {_toml_value(getattr(manifest, key))}")
    if manifest.budget_point_value is not None:
        lines.append(f"budget_point_value = {_toml_value(manifest.budget_point_value)}")
    for key, value in manifest.extra.items():
        lines.append(f"{key} = {_toml_value(value)}")
    lines += ["", "[files]"]
    lines += [f"{_toml_value(name)} = {_toml_value(sha)}" for name, sha in manifest.files.items()]
    (directory / MANIFEST).write_text("\n".join(lines) + "\n", encoding="utf-8")
