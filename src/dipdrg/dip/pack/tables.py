"""File layout of DIP packs: which CSV tables a pack holds and their columns.

Both pack kinds are a directory of UTF-8 CSV files with a header row plus ``manifest.toml``.
The columns here are the contract documented in ``docs/dip-pack.md``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from dipdrg.errors import UserError

# dip-local: written by the catalog builder or by ``import-pack --layout local`` ---------------
LOCAL_GROUPS = "groups.csv"
LOCAL_COLUMNS = (
    "group_code", "group_name", "group_type", "dx_key", "procedures", "treatment", "score",
    "primary_care",
)
LOCAL_STAT_COLUMNS = (
    "case_count", "mean_cost", "mean_los", "cv", "drug_share", "material_share",
    "drug_score", "material_score",
)

# dip-national: the DIP 3.0 workbook layers -----------------------------------------------
NATIONAL_RULES = "rules.csv"
RULE_COLUMNS = (
    "layer", "seq", "group_code", "group_name", "dx", "dx_scope", "secondary_dx", "procedures",
    "proc_scope", "max_age_days", "min_weight", "max_weight", "drug_resistant", "note",
    "source_sheet", "source_row",
)
EXCLUDED_DX = "excluded_diagnoses.csv"
EXCLUDED_DX_COLUMNS = ("code", "name", "source_row")
EXCLUDED_PROC = "excluded_procedures.csv"
EXCLUDED_PROC_COLUMNS = ("code", "name", "mode", "allowed_dx", "note", "source_row")
PRIMARY_CARE = "primary_care.csv"
PRIMARY_CARE_COLUMNS = ("seq", "dx", "procedures", "name", "source_row")
TB_RESISTANT = "tb_resistant.csv"
TB_RESISTANT_COLUMNS = ("code", "name", "role")

NATIONAL_FILES = {
    NATIONAL_RULES: RULE_COLUMNS,
    EXCLUDED_DX: EXCLUDED_DX_COLUMNS,
    EXCLUDED_PROC: EXCLUDED_PROC_COLUMNS,
    PRIMARY_CARE: PRIMARY_CARE_COLUMNS,
    TB_RESISTANT: TB_RESISTANT_COLUMNS,
}

# layer name -> (order in the national sequence, group-code prefix, sheet title)
LAYERS = {
    "pre": (1, "XQ", "一、先期分组"),
    "merge": (2, "BX", "二、并项规则下的核心病种"),
    "burn": (3, "FZ", "三、诊断辅助细分-烧伤类病种"),
    "tumor": (3, "FZ", "三、诊断辅助细分-肿瘤类病种"),
    "tb": (3, "FZ", "三、诊断辅助细分-结核类病种"),
    "base": (4, "JC", "四、基础规则下的核心病种"),
}
EXCLUSION_MODES = ("ignore", "not_principal", "principal_if_dx")


def read_table(path: Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    """Read a UTF-8 CSV into dicts; a missing required column is a user error naming it."""
    if not path.is_file():
        raise UserError("病种库缺少数据文件", file=path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [h.strip() for h in (reader.fieldnames or [])]
            missing = [c for c in required if c not in header]
            if missing:
                raise UserError(f"缺少列：{'、'.join(missing)}", file=path, field=missing[0])
            reader.fieldnames = header
            return [{k: (v or "").strip() for k, v in row.items() if k is not None} for row in reader]
    except UnicodeDecodeError as exc:
        raise UserError("文件不是 UTF-8 编码", file=path) from exc


def write_table(path: Path, columns: tuple[str, ...], rows: list[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: "" if row.get(c) is None else row.get(c) for c in columns})
