"""Importer for the official DIP 3.0 workbook (按病种分值（DIP）付费3.0版分组方案.xlsx).

Sheets are recognised by their titles (一、先期分组, 二、并项规则下的核心病种, 三、诊断辅助细分-烧伤/肿瘤/
结核类病种, 四、基础规则下的核心病种, 不纳入分组诊断, 不纳入分组手术, 基层病种, 结核耐药诊断列表) and
columns by their header labels, found on the first row holding 序号 or 编码; title rows above it
are skipped. Cells holding several codes use '|' or line breaks. The records are then shaped
like the JSON layout and written by :func:`write_national_pack`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dipdrg.dip.pack.import_national import write_national_pack
from dipdrg.errors import UserError, detail

SHEETS = (  # (key, words that must all be in the sheet title)
    ("pre", ("先期分组",)),
    ("merge", ("并项",)),
    ("burn", ("辅助细分", "烧伤")),
    ("tumor", ("辅助细分", "肿瘤")),
    ("tb", ("辅助细分", "结核")),
    ("base", ("基础规则",)),
    ("excludedDiagnosis", ("不纳入分组诊断",)),
    ("excludedProcedure", ("不纳入分组手术",)),
    ("primaryCare", ("基层病种",)),
    ("tbResistantDiagnosis", ("结核耐药",)),
)
# header label (exact after removing spaces) -> JSON field; first match wins
HEADERS = (
    ("分类", "category"), ("序号", "seq"), ("分组名称", "name"), ("病种名称", "name"),
    ("主要诊断编码", "principalDiagnosis"), ("主要诊断名称", "principalDiagnosisName"),
    ("主要手术操作编码", "principalProcedure"), ("主要手术操作名称", "principalProcedureName"),
    ("相关手术操作编码", "relatedProcedure"), ("相关手术操作名称", "relatedProcedureName"),
    ("其他诊断编码", "secondaryDiagnosis"), ("其他诊断名称", "secondaryDiagnosisName"),
    ("烧伤程度", "burnDegree"), ("烧伤面积", "burnArea"),
    ("手术操作组合", "procedureExpression"), ("手术操作组合名称", "procedureName"),
    ("是否耐药", "drugResistant"), ("耐药判断规则", "drugResistantRule"),
    ("诊断编码", "code"), ("手术操作编码", "code"), ("编码", "code"),
    ("诊断名称", "name"), ("手术操作名称", "name"), ("名称", "name"),
    ("备注", "note"), ("说明", "note"),
)
LIST_FIELDS = {"principalDiagnosis", "principalProcedure", "relatedProcedure", "secondaryDiagnosis"}
REQUIRED = {
    "pre": ("seq", "principalDiagnosis", "principalProcedure"),
    "merge": ("seq", "principalDiagnosis", "principalProcedure"),
    "burn": ("seq", "principalDiagnosis", "secondaryDiagnosis", "principalProcedure"),
    "tumor": ("seq", "principalDiagnosis", "secondaryDiagnosis"),
    "tb": ("seq", "principalDiagnosis", "principalProcedure", "drugResistant"),
    "base": ("seq", "principalDiagnosis", "principalProcedure"),
    "excludedDiagnosis": ("code",), "excludedProcedure": ("code",),
    "primaryCare": ("seq", "principalDiagnosis"), "tbResistantDiagnosis": ("code",),
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _sheet_key(title: str) -> str | None:
    for key, words in SHEETS:
        if all(w in title for w in words):
            return key
    return None


def _field(label: str) -> str | None:
    compact = label.replace(" ", "").replace("\n", "")
    for text, field in HEADERS:
        if compact == text:
            return field
    return None


def _records(src: Path, title: str, key: str, rows: list[list[Any]]) -> list[dict[str, Any]]:
    header_at = next((i for i, row in enumerate(rows) if any(_text(c) in ("序号", "编码", "诊断编码", "手术操作编码") for c in row)), None)
    if header_at is None:
        raise UserError("找不到表头行（含“序号”或“编码”的行）", file=f"{src} [{title}]")
    fields = [_field(_text(c)) for c in rows[header_at]]
    missing = [f for f in REQUIRED[key] if f not in fields]
    if missing:
        raise UserError(f"缺少列：{'、'.join(missing)}", file=f"{src} [{title}]", row=header_at + 1)
    out = []
    for offset, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        cells = {f: _text(c) for f, c in zip(fields, row) if f}
        if not any(cells.values()):
            continue
        record: dict[str, Any] = {"sourceSheet": title, "sourceRow": offset}
        for field, value in cells.items():
            record[field] = [p.strip() for p in value.replace("\n", "|").split("|") if p.strip()] if field in LIST_FIELDS else value
        out.append(record)
    return out


def import_workbook(src: Path, out: Path) -> Path:
    """Import the official workbook layout into a dip-national pack."""
    from python_calamine import CalamineWorkbook

    if not src.is_file():
        raise UserError("文件不存在", file=src)
    try:
        book = CalamineWorkbook.from_path(str(src))
    except Exception as exc:  # calamine raises its own error types for unreadable files
        raise UserError(f"无法读取工作簿（{detail(exc)}）", file=src) from exc
    sheets: dict[str, list[dict[str, Any]]] = {}
    for title in book.sheet_names:
        key = _sheet_key(title)
        if key is None:
            continue
        rows = book.get_sheet_by_name(title).to_python(skip_empty_area=False)
        sheets.setdefault(key, []).extend(_records(src, title, key, rows))
    missing = [k for k, words in SHEETS[:8] if k not in sheets]
    if missing:
        names = {k: "".join(w) for k, w in SHEETS}
        raise UserError(f"工作簿缺少工作表：{'、'.join(names[k] for k in missing)}", file=src)
    return write_national_pack(sheets, out, pack_id=src.stem, version="DIP-3.0", source=src,
                               description=f"国家 DIP 分组方案（{src.name}）")
