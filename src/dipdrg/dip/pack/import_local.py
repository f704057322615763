"""Importer for a local catalog table (CSV or XLSX) into a ``dip-local`` pack.

Columns may be the pack's English names or the usual Chinese headers (病种编码, 病种名称, 病种类型,
诊断编码, 手术操作, 治疗方式, 分值, 基层病种); statistics columns are carried unchanged.
"""

from __future__ import annotations

import csv
from pathlib import Path

from dipdrg.dip.pack import tables as T
from dipdrg.dip.pack.manifest import file_sha256
from dipdrg.dip.pack.write_local import write_local_pack
from dipdrg.errors import UserError

ALIASES = {
    "group_code": ("病种编码", "病种代码", "分组编码"),
    "group_name": ("病种名称", "分组名称"),
    "group_type": ("病种类型", "类型"),
    "dx_key": ("诊断编码", "主要诊断编码", "诊断键"),
    "procedures": ("手术操作", "手术操作编码", "手术组合", "手术操作组合"),
    "treatment": ("治疗方式",),
    "score": ("分值", "病种分值"),
    "primary_care": ("基层病种", "是否基层病种"),
}
TYPE_WORDS = {"核心": "core", "核心病种": "core", "综合": "comprehensive", "综合病种": "comprehensive"}


def _read_rows(src: Path) -> list[dict[str, str]]:
    if src.suffix.lower() in (".xlsx", ".xls", ".xlsm"):
        from python_calamine import CalamineWorkbook

        sheet = CalamineWorkbook.from_path(str(src)).get_sheet_by_index(0).to_python(skip_empty_area=True)
        if not sheet:
            raise UserError("工作表为空", file=src)
        header = [str(h).strip() for h in sheet[0]]
        return [{h: _cell(v) for h, v in zip(header, row)} for row in sheet[1:] if any(_cell(v) for v in row)]
    try:
        with src.open(encoding="utf-8-sig", newline="") as handle:
            return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]
    except UnicodeDecodeError as exc:
        raise UserError("文件不是 UTF-8 编码", file=src) from exc


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def import_local(src: Path, out: Path, *, pack_id: str, version: str, region: str = "", description: str = "") -> Path:
    """Write ``groups.csv`` + manifest from a local catalog table and check that the pack loads."""
    from dipdrg.dip.pack.load import load_pack

    if not src.is_file():
        raise UserError("文件不存在", file=src)
    rows = _read_rows(src)
    if not rows:
        raise UserError("病种库表没有数据行", file=src)
    header = list(rows[0].keys())
    rename = {}
    for name, labels in ALIASES.items():
        for label in (name, *labels):
            if label in header:
                rename[label] = name
                break
    missing = [c for c in T.LOCAL_COLUMNS if c not in rename.values() and c not in ("treatment", "score", "primary_care")]
    if missing:
        raise UserError(f"缺少列：{'、'.join(missing)}", file=src, field=missing[0])
    extra = [h for h in header if h not in rename and h]
    out_rows = []
    for row in rows:
        shaped = {rename.get(k, k): v for k, v in row.items()}
        shaped["group_type"] = TYPE_WORDS.get(shaped.get("group_type", ""), shaped.get("group_type", ""))
        out_rows.append(shaped)
    write_local_pack(out, out_rows, pack_id=pack_id, version=version, region=region,
                     description=description or f"地方病种库（{src.name}）",
                     source=f"{src.name} sha256={file_sha256(src)}", extra_columns=tuple(extra))
    load_pack(out)
    return out
