"""Importer for a local catalog table (CSV or XLSX) into a ``dip-local`` pack.

Columns may be the pack's English names or the usual Chinese headers (病种编码, 病种名称, 病种类型,
诊断编码, 手术操作, 治疗方式, 分值, 基层病种); statistics columns are carried unchanged.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from dipdrg.dip.pack import tables as T
from dipdrg.dip.pack.write_local import write_local_pack
from dipdrg.errors import UserError
from dipdrg.hashing import file_sha256
from dipdrg.publish import publish_directory

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


def _read_rows(src: Path) -> list[tuple[int, dict[str, str]]]:
    """(row number in the user's file, row) for every data row; the header is row 1."""
    if src.suffix.lower() in (".xlsx", ".xls", ".xlsm"):
        from python_calamine import CalamineWorkbook

        sheet = CalamineWorkbook.from_path(str(src)).get_sheet_by_index(0).to_python(skip_empty_area=False)
        first = next((i for i, row in enumerate(sheet) if any(_cell(v) for v in row)), None)
        if first is None:
            raise UserError("工作表为空", file=src)
        header = [str(h).strip() for h in sheet[first]]
        return [(i + 1, {h: _cell(v) for h, v in zip(header, row)})
                for i, row in enumerate(sheet) if i > first and any(_cell(v) for v in row)]
    try:
        with src.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            # line_num after reading a record is the file line where it ends (quoted line breaks)
            return [(reader.line_num, {(k or "").strip(): (v or "").strip() for k, v in row.items()}) for row in reader]
    except UnicodeDecodeError as exc:
        raise UserError("文件不是 UTF-8 编码", file=src) from exc


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _in_source(exc: UserError, src: Path, generated: Path, source_rows: list[int],
               header_of: dict[str, str]) -> UserError:
    """An error about the generated ``groups.csv`` restated for the user's file, row and column."""
    if exc.file is None or Path(exc.file) != generated:
        return exc
    def mapped(row: int | None) -> int | None:
        return source_rows[row - 2] if row is not None and 2 <= row < len(source_rows) + 2 else row

    # rows named inside the message ("首次出现在第 2 行") are groups.csv rows too
    message = re.sub(r"第 (\d+) 行", lambda m: f"第 {mapped(int(m.group(1)))} 行", exc.message)
    return UserError(message, file=src, row=mapped(exc.row), field=header_of.get(exc.field or "", exc.field))


def import_local(src: Path, out: Path, *, pack_id: str, version: str, region: str = "", description: str = "") -> Path:
    """Write ``groups.csv`` + manifest from a local catalog table and check that the pack loads.

    The pack is written and validated in a temporary sibling directory and renamed to ``out``
    only when it loads, so a refused table leaves nothing behind; errors name the user's file,
    row and column, not the generated ``groups.csv``.
    """
    from dipdrg.dip.pack.load import load_pack

    if not src.is_file():
        raise UserError("文件不存在", file=src)
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UserError("输出目录已存在且非空；请指定新的病种库目录", file=out)
    numbered = _read_rows(src)
    if not numbered:
        raise UserError("病种库表没有数据行", file=src)
    header = list(numbered[0][1].keys())
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
    for _, row in numbered:
        shaped = {rename.get(k, k): v for k, v in row.items()}
        shaped["group_type"] = TYPE_WORDS.get(shaped.get("group_type", ""), shaped.get("group_type", ""))
        out_rows.append(shaped)
    with publish_directory(out) as staging:
        write_local_pack(staging, out_rows, pack_id=pack_id, version=version, region=region,
                         description=description or f"地方病种库（{src.name}）",
                         source=f"{src.name} sha256={file_sha256(src)}", extra_columns=tuple(extra))
        try:
            load_pack(staging)
        except UserError as exc:
            header_of = {name: label for label, name in rename.items()}
            raise _in_source(exc, src, staging / T.LOCAL_GROUPS, [n for n, _ in numbered], header_of) from exc
    return out
