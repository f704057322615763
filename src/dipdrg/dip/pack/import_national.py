"""Importers for the national DIP 3.0 grouping scheme: the JSON layout and shared row shaping.

Both layouts (JSON records, official XLSX workbook) are reduced to the same per-sheet records
(``principalDiagnosis`` lists, ``principalProcedure`` lists, ...) and then written as the tables
of a ``dip-national`` pack by :func:`write_national_pack`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterable

from dipdrg.dip.pack import tables as T
from dipdrg.dip.pack.manifest import Manifest, write_manifest
from dipdrg.errors import UserError, detail
from dipdrg.hashing import file_sha256

ALL_DIAGNOSES = "所有诊断"
NOT_PRINCIPAL_PROC = "不限定为主要手术操作"
NOT_PRINCIPAL_DX = "不限定为主要诊断"
DX_IN_TEXT = re.compile(r"[A-Z][0-9]{2}\.[0-9A-Za-z]+")
AGE_TEXT = re.compile(r"^\s*[<＜]\s*([0-9]+)\s*天\s*$")
WEIGHT_TEXT = re.compile(r"([0-9]+)\s*[-–~至]\s*([0-9]+)\s*克")
# sheet key -> layer name of rules.csv
RULE_SHEETS = {"pre": "pre", "merge": "merge", "burn": "burn", "tumor": "tumor", "tb": "tb", "base": "base"}


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [p.strip() for p in re.split(r"[|\n]", str(value)) if p.strip()]


def _is_sub_header(record: dict[str, Any]) -> bool:
    return str(record.get("seq", "")).strip() == "序号"


def _newborn_conditions(record: dict[str, Any], labels: dict[str, str], where: str) -> dict[str, Any]:
    """Read the columns of the newborn block of 一、先期分组 by the labels of its sub-header."""
    out: dict[str, Any] = {}
    for field, label in labels.items():
        value = " ".join(_list(record.get(field)))
        if "天龄" in label:
            match = AGE_TEXT.match(value)
            if not match:
                raise UserError(f"天龄条件“{value}”无法识别（应如 <29天）", file=where, field=label)
            out["max_age_days"] = int(match.group(1)) - 1
        elif "体重" in label:
            match = WEIGHT_TEXT.search(value)
            if not match:
                raise UserError(f"出生体重条件“{value}”无法识别（应如 出生体重0-999克）", file=where, field=label)
            out["min_weight"], out["max_weight"] = int(match.group(1)), int(match.group(2))
    return out


def rule_rows(sheets: dict[str, list[dict[str, Any]]], where: str) -> list[dict[str, Any]]:
    """Shape the per-sheet records into rows of rules.csv (one row per workbook group)."""
    out: list[dict[str, Any]] = []
    for key, layer in RULE_SHEETS.items():
        labels: dict[str, str] | None = None
        for record in sheets.get(key, []):
            if _is_sub_header(record):
                labels = {f: " ".join(_list(record.get(f))) for f in ("principalProcedure", "principalProcedureName")}
                continue
            seq = str(record.get("seq", "")).strip()
            if not seq.isdigit():
                raise UserError(f"序号“{seq}”不是数字", file=where, row=record.get("sourceRow"), field="序号")
            note = str(record.get("note") or "")
            dx = _list(record.get("principalDiagnosis"))
            row: dict[str, Any] = {
                "layer": layer, "seq": int(seq), "group_code": f"{T.LAYERS[layer][1]}{int(seq):04d}",
                "group_name": _group_name(record),
                "dx": "" if dx == [ALL_DIAGNOSES] else "|".join(dx),
                "dx_scope": "any" if NOT_PRINCIPAL_DX in note else "principal",
                "secondary_dx": "|".join(_list(record.get("secondaryDiagnosis"))),
                "note": note, "source_sheet": record.get("sourceSheet", T.LAYERS[layer][2]),
                "source_row": record.get("sourceRow", ""),
            }
            if labels is not None:  # the newborn block: procedure columns hold age and weight
                row.update(_newborn_conditions(record, labels, where))
                row["procedures"], row["proc_scope"] = "", "none"
            else:
                row["procedures"], row["proc_scope"] = _procedures(layer, record, note)
            if layer == "tb":
                row["drug_resistant"] = str(record.get("drugResistant", "")).strip()
            out.append(row)
    return out


def _group_name(record: dict[str, Any]) -> str:
    """The workbook's name, or for 诊断辅助细分 rows the subdivision spelled out."""
    parts = [record.get("name") or record.get("principalDiagnosisName") or ""]
    parts += [str(record.get(k) or "") for k in ("burnDegree", "burnArea")]
    parts.append(str(record.get("procedureName") or record.get("principalProcedureName") or "") if not record.get("name") else "")
    if record.get("drugResistant"):
        parts.append("耐药" if str(record["drugResistant"]).strip() == "是" else "非耐药")
    return "，".join(p.replace("|", "/")[:60] for p in parts if p)


def _procedures(layer: str, record: dict[str, Any], note: str) -> tuple[str, str]:
    """(procedures expression, scope): principal alternatives, each + one related alternative."""
    if layer == "tumor":
        expression = record.get("procedureExpression") or "|".join(_list(record.get("principalProcedure")))
        return str(expression).strip(), "anywhere"
    principal = _list(record.get("principalProcedure"))
    related = _list(record.get("relatedProcedure"))
    scope = "anywhere" if NOT_PRINCIPAL_PROC in note else "principal"
    if not principal:
        return "", scope
    if any("+" in p for p in principal):  # e.g. 96.7201+39.9500x007: each listed combination
        return "|".join(principal), scope
    head = "/".join(principal)
    if not related:
        return head, scope
    return "|".join(f"{head}+{r}" for r in related), scope


def excluded_procedure_rows(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """不纳入分组手术 with its note read as a mode (DESIGN: ignored for grouping unless noted)."""
    rows = []
    for r in records:
        note = str(r.get("note") or "").strip()
        mode, allowed = "ignore", ""
        if "不可作为主要手术操作" in note:
            mode = "not_principal"
        elif "可作为主要手术操作" in note:
            mode = "principal_if_dx"
            allowed = "|".join(p.strip() for p in re.split(r"[|\n ]", note.split("作为主要诊断")[0]) if p.strip())
        rows.append({"code": str(r["code"]).strip(), "name": r.get("name", ""), "mode": mode,
                     "allowed_dx": allowed, "note": note.replace("\n", " "), "source_row": r.get("sourceRow", "")})
    return rows


def tb_marker_rows(tb_records: list[dict[str, Any]], resistant_dx: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drug-resistance markers: the 结核耐药诊断列表 (principal) and codes named in the 是 rule (secondary)."""
    rows = [{"code": str(r["code"]).strip(), "name": r.get("name", ""), "role": "principal"} for r in resistant_dx]
    secondary: list[str] = []
    for r in tb_records:
        if str(r.get("drugResistant", "")).strip() == "是":
            text = str(r.get("drugResistantRule") or "")
            tail = text.split("其他诊断")[-1] if "其他诊断" in text else ""
            for code in DX_IN_TEXT.findall(tail):
                if code not in secondary:
                    secondary.append(code)
    rows += [{"code": c, "name": "耐药标记（其他诊断）", "role": "secondary"} for c in secondary]
    return rows


def primary_care_rows(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{
        "seq": str(r.get("seq", "")).strip(), "dx": "|".join(_list(r.get("principalDiagnosis"))),
        "procedures": "/".join(_list(r.get("principalProcedure"))),
        "name": r.get("principalDiagnosisName", ""), "source_row": r.get("sourceRow", ""),
    } for r in records]


def write_national_pack(sheets: dict[str, list[dict[str, Any]]], out: Path, *, pack_id: str, version: str,
                        source: Path, description: str) -> Path:
    """Write the tables of a dip-national pack, its manifest, and check that it loads."""
    from dipdrg.dip.pack.load import load_pack

    where = str(source)
    out.mkdir(parents=True, exist_ok=True)
    T.write_table(out / T.NATIONAL_RULES, T.RULE_COLUMNS, rule_rows(sheets, where))
    T.write_table(out / T.EXCLUDED_DX, T.EXCLUDED_DX_COLUMNS,
                  [{"code": str(r["code"]).strip(), "name": r.get("name", ""), "source_row": r.get("sourceRow", "")}
                   for r in sheets.get("excludedDiagnosis", [])])
    T.write_table(out / T.EXCLUDED_PROC, T.EXCLUDED_PROC_COLUMNS, excluded_procedure_rows(sheets.get("excludedProcedure", [])))
    T.write_table(out / T.PRIMARY_CARE, T.PRIMARY_CARE_COLUMNS, primary_care_rows(sheets.get("primaryCare", [])))
    T.write_table(out / T.TB_RESISTANT, T.TB_RESISTANT_COLUMNS,
                  tb_marker_rows(sheets.get("tb", []), sheets.get("tbResistantDiagnosis", [])))
    write_manifest(out, Manifest(id=pack_id, kind="dip-national", version=version, region="national",
                                 description=description, source=f"{source.name} sha256={file_sha256(source)}"))
    load_pack(out)
    return out


def import_json(src: Path, out: Path) -> Path:
    """Import the JSON layout (one array per workbook sheet, as national-excerpt.json)."""
    try:
        data = json.loads(src.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"不是有效的 UTF-8 JSON（{detail(exc)}）", file=src) from exc
    if not isinstance(data, dict):
        raise UserError("JSON 顶层应为对象（每个工作表一个数组）", file=src)
    missing = [k for k in (*RULE_SHEETS, "excludedDiagnosis", "excludedProcedure") if not isinstance(data.get(k), list)]
    if missing:
        raise UserError(f"缺少工作表数组：{'、'.join(missing)}", file=src, field=missing[0])
    sheets = {k: v for k, v in data.items() if isinstance(v, list)}
    return write_national_pack(sheets, out, pack_id=str(data.get("id") or src.stem),
                               version=str(data.get("version") or "DIP-3.0"), source=src,
                               description=f"国家 DIP 分组方案（{data.get('sourceFile') or src.name}）")
