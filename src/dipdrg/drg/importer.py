"""Import a CHS-DRG scheme from the OpenDRG-derived table layout into a pack.

The source layout is the one of ``../shared/reference/chs-drg-1.1`` (mdc.csv, adrg.csv,
adrg_codes.csv, drg.csv, mcc.csv, cc.csv, cce.csv, mdc_dx.csv, or_procedures.csv). The
importer only translates that layout's rule names into the pack vocabulary
(docs/drg-pack.md); the pack it writes is validated by loading it before it is published.
"""

from __future__ import annotations

import re
from pathlib import Path

from dipdrg.drg.pack import TABLES, load_pack, read_table, write_pack
from dipdrg.errors import UserError
from dipdrg.publish import publish_directory

# The rule shapes of the source layout, written as conjunctions of pack atoms
# (ALGORITHM.md §6). A later source version with a new shape adds a line here or writes
# rule_shapes.csv itself; the grouper does not change.
SOURCE_SHAPES: dict[str, tuple[tuple[str, str], ...]] = {
    "pdx": (("pdx_in", "dx"),),
    "pproc": (("pproc_in", "proc"),),
    "pdx_and_pproc": (("pdx_in", "dx"), ("pproc_in", "proc")),
    "anyproc_and_anyproc2": (("anyproc_in", "proc"), ("anyproc_in", "proc2")),
    "pdx_and_anyproc_and_anyproc2": (("pdx_in", "dx"), ("anyproc_in", "proc"),
                                     ("anyproc_in", "proc2")),
    "pdx_and_proc_categories": (("pdx_in", "dx"), ("proc_categories", "proc")),
    "anydx_and_weight": (("anydx_in", "dx"), ("birth_weight_in_range", "")),
    "pproc_in_or_list": (("pproc_in_or_list", ""),),
    "anydx_and_pproc_in_or_list": (("anydx_in", "dx"), ("pproc_in_or_list", "")),
    "no_proc_in_or_list": (("no_proc_in_or_list", ""),),
    "always": (),
}

# Source MDC entry rules -> entry_shape plus gender / age in years / minimum trauma regions
_ENTRY = re.compile(
    r"^(?P<base>principal_proc_in_or_list|principal_dx_in_list|any_dx_in_list)"
    r"(?:_and_(?:gender=(?P<gender>[12])|age_years=(?P<age>\d+)|trauma_regions>=(?P<regions>\d+)))?$"
)
_ENTRY_BASE = {
    "principal_proc_in_or_list": "pproc_in_or_list",
    "principal_dx_in_list": "pdx_in_list",
    "any_dx_in_list": "anydx_in_list",
}
SOURCE_FILES = ("mdc", "mdc_dx", "adrg", "adrg_codes", "drg", "mcc", "cc", "cce", "or_procedures")


def _source_rows(src: Path, name: str) -> list[dict[str, str]]:
    path = src / f"{name}.csv"
    if not path.is_file():
        raise UserError(f"源目录缺少 {name}.csv", file=path)
    return read_table(path).to_pylist()


def _translate_mdc(src: Path, rows: list[dict[str, str]]) -> list[dict[str, str]]:
    out = []
    for i, row in enumerate(rows):
        match = _ENTRY.match(row.get("rule", ""))
        if match is None:
            raise UserError(f"未知的 MDC 入组规则 {row.get('rule')!r}", file=src / "mdc.csv",
                            row=i + 2, field="rule")
        shape = _ENTRY_BASE[match["base"]]
        # A QY group after MDCA would catch every surgical case (ALGORITHM.md §9.1): an MDC
        # entered through the OR list gets none.
        qy = shape != "pproc_in_or_list" and row.get("qy_position", "") != ""
        out.append({
            "mdc": row["mdc"], "name": row["name"], "check_order": row["check_order"],
            "entry_shape": shape, "gender": match["gender"] or "",
            "age_years_min": match["age"] or "", "age_years_max": match["age"] or "",
            "min_regions": match["regions"] or "",
            "qy_adrg": f"{row['mdc'][-1]}QY" if qy else "",
            "qy_position": row["qy_position"] if qy else "",
        })
    return out


def _select(rows: list[dict[str, str]], columns: tuple[str, ...], src: Path, name: str,
            optional: tuple[str, ...] = ()) -> list[dict[str, str]]:
    if rows:
        missing = [c for c in columns if c not in rows[0] and c not in optional]
        if missing:
            raise UserError(f"源表缺少列：{'、'.join(missing)}", file=src / f"{name}.csv")
    return [{c: row.get(c, "") for c in columns} for row in rows]


def build_tables(src: Path) -> tuple[dict[str, list[dict[str, str]]], bool]:
    """Translate the source tables; returns the pack tables and whether QY was enabled."""
    raw = {name: _source_rows(src, name) for name in SOURCE_FILES}
    for i, row in enumerate(raw["mdc_dx"]):
        if row.get("list_name", "principal_dx") != "principal_dx":
            raise UserError(f"未知的 MDC 诊断列表 {row['list_name']!r}", file=src / "mdc_dx.csv",
                            row=i + 2, field="list_name")
    qy_enabled = any(r.get("qy_enabled") == "1" for r in raw["mdc"])
    tables = {
        "mdc": _translate_mdc(src, raw["mdc"]),
        "mdc_dx": _select(raw["mdc_dx"], TABLES["mdc_dx"], src, "mdc_dx"),
        "adrg": _select(raw["adrg"], TABLES["adrg"], src, "adrg"),
        "adrg_codes": _select(raw["adrg_codes"], TABLES["adrg_codes"], src, "adrg_codes"),
        "rule_shapes": [
            {"shape": shape, "atom": atom, "list": list_name}
            for shape, atoms in SOURCE_SHAPES.items()
            for atom, list_name in atoms
        ],
        "drg": _select(raw["drg"], TABLES["drg"] + ("severity",), src, "drg"),
        "mcc": _select(raw["mcc"], TABLES["mcc"], src, "mcc"),
        "cc": _select(raw["cc"], TABLES["cc"], src, "cc"),
        "cce": _select(raw["cce"], TABLES["cce"], src, "cce"),
        "or_procedures": _select(raw["or_procedures"], ("code", "name"), src, "or_procedures",
                                 optional=("name",)),
    }
    # Shapes with no atom ('always') still need a row so that the shape is defined.
    tables["rule_shapes"].append({"shape": "always", "atom": "", "list": ""})
    return tables, qy_enabled


def import_pack(src: str | Path, out: str | Path, *, version: str = "1.1",
                pack_id: str = "chs-drg", fmt: str = "csv",
                fall_through: bool = True, code_mapping: bool = False,
                dx_map: Path | None = None, proc_map: Path | None = None,
                force: bool = False) -> Path:
    """Write a validated pack for the source tables in ``src`` to the directory ``out``."""
    src, out = Path(src), Path(out)
    if fmt not in ("csv", "parquet"):
        raise UserError(f"表格式只能是 csv 或 parquet，实为 {fmt!r}", field="--format")
    if out.exists() and any(out.iterdir()) and not force:
        raise UserError("目标目录已存在且非空；如需覆盖请加 --force", file=out)
    if code_mapping and (dx_map is None or proc_map is None):
        raise UserError("启用编码映射时须同时给出 --dx-map 与 --proc-map")
    tables, qy_enabled = build_tables(src)
    for name, path in (("dx_map", dx_map), ("proc_map", proc_map)):
        if path is not None:
            tables[name] = _select(read_table(Path(path)).to_pylist(), ("source_code", "target_code"),
                                   Path(path).parent, Path(path).stem)
    with publish_directory(out, replace=True) as staging:
        write_pack(staging, tables, pack_id=pack_id, version=version,
                   description=f"CHS-DRG {version} 分组方案（由 dipdrg 从表格导入）",
                   source=f"OpenDRG 派生表格布局（{src.name}/）",
                   switches={"qy_enabled": qy_enabled, "fall_through_after_mdc": fall_through,
                             "code_mapping": code_mapping},
                   fmt=fmt)
        load_pack(staging)          # refuse to publish a pack that does not validate
    return out
