"""Write and read ``dip-local`` packs (the contract of ``docs/dip-pack.md``).

A local pack is ``manifest.toml`` (``[pack]``, ``[build]``, ``[files]``) plus ``groups.csv``,
``coefficients.csv``, ``aux_types.csv`` and the build's ``summary.md``; a build with
``--national`` adds the national ``excluded_diagnoses.csv`` / ``excluded_procedures.csv`` it
applied. The grouper reads ``groups.csv`` and those lists; scoring reads the three tables. The pack hash is the grouper's
:func:`dipdrg.dip.pack.manifest.pack_sha256`, so a scoring run and a grouping run name the
same pack by the same hash.
"""

from __future__ import annotations

import shutil
import tomllib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import duckdb

from dipdrg.dip.pack.manifest import MANIFEST, file_hashes, pack_sha256, read_manifest
from dipdrg.dip.pack.model import Catalog
from dipdrg.dip.pack.tables import EXCLUDED_DX, EXCLUDED_PROC, read_table
from dipdrg.errors import UserError
from dipdrg.policy.loader import Policy

GROUPS = "groups.csv"
COEFFICIENTS = "coefficients.csv"
AUX_TYPES = "aux_types.csv"
GROUP_COLUMNS = (
    "group_code", "group_name", "group_type", "dx_key", "procedures", "treatment", "score",
    "primary_care", "case_count", "mean_cost", "mean_los", "cv", "drug_share", "material_share",
    "drug_score", "material_score",
)
COEFFICIENT_COLUMNS = ("hosp_lv", "group_code", "coefficient", "case_count")
AUX_COLUMNS = ("group_code", "aux_kind", "subtype", "coefficient", "case_count", "cv_before", "cv_after")

_EXPORTS = {
    GROUPS: f"SELECT {', '.join(GROUP_COLUMNS)} FROM cat_pack_groups ORDER BY group_code",
    COEFFICIENTS: "SELECT hosp_lv, COALESCE(group_code, '') AS group_code, coefficient, case_count"
                  " FROM cat_coefficients ORDER BY group_code NULLS FIRST, hosp_lv",
    AUX_TYPES: f"SELECT {', '.join(AUX_COLUMNS)} FROM cat_aux_types ORDER BY group_code, aux_kind, subtype",
}


def write_tables(con: duckdb.DuckDBPyConnection, directory: Path) -> None:
    """Write the three pack tables from the build's temp tables (UTF-8 CSV with a header)."""
    for name, query in _EXPORTS.items():
        target = str(directory / name).replace("'", "''")
        con.execute(f"COPY ({query}) TO '{target}' (FORMAT CSV, HEADER, DELIMITER ',')")


def write_exclusions(national: Catalog, directory: Path) -> None:
    """Copy the national 不纳入分组诊断 / 手术 lists the build applied into the pack.

    The loader applies lists a local pack carries, so grouping with the pack alone (no
    ``--national``) leaves out and ignores exactly what the build did; the copies are part of
    the pack hash.
    """
    for name in (EXCLUDED_DX, EXCLUDED_PROC):
        shutil.copyfile(national.directory / name, directory / name)


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def write_manifest_file(directory: Path, result: Any, policy: Policy, inputs: dict[str, str], *,
                        pack_id: str | None = None, version: str | None = None) -> None:
    """Write ``manifest.toml`` last, with the sha256 of every other file of the pack."""
    p = result.params
    years = sorted(p.year_weights)
    target_year = years[-1] + 1
    region = policy.get("region.code")
    now = datetime.now()
    pack = {
        "id": pack_id or f"{region}-dip-local-{target_year}",
        "kind": "dip-local",
        "version": version or now.strftime("%Y%m%d%H%M%S"),
        "region": region,
        "description": f"{policy.get('region.name')} DIP 本地病种库（{years[0]}–{years[-1]} 年历史数据测算，用于 {target_year} 年）",
        "created": now.isoformat(timespec="seconds"),
        "source": f"dipdrg dip build-catalog（运行 {result.run_id}）",
        "budget_point_value": str(result.point_value),
    }
    build = {
        "run_id": result.run_id,
        "years": years,
        "year_weights": [str(p.year_weights[y]) for y in years],
        "year_basis": p.year_basis,
        "threshold_mode": p.threshold_mode,
        "threshold": result.threshold,
        "related_procedure_share": str(p.related_share),
        "trim": [str(p.trim_lower), str(p.trim_upper)],
        "trim_min_cases": p.trim_min_cases,
        "score_method": p.score_method,
        "scale": str(p.scale),
        "reference_group": p.reference_group,
        "fixed_amount": str(p.fixed_amount),
        "region_mean_cost": str(result.region_mean),
        "coefficient_method": p.coefficient_method,
        "per_group_coefficients": p.per_group,
        "primary_care_mode": p.primary_care_mode,
        "aux_kinds": list(p.aux_kinds),
        "severity_los_days": p.severity_los_days,
        "history_sha256": inputs["history"],
        "policy_sha256": inputs["policy"],
    }
    if "national_pack" in inputs:
        build["national_pack"] = result.national
        build["national_pack_sha256"] = inputs["national_pack"]
    if "previous_pack" in inputs:
        build["previous_pack_sha256"] = inputs["previous_pack"]
    files = file_hashes(directory)
    lines = ["[pack]"] + [f"{k} = {_toml(v)}" for k, v in pack.items()]
    lines += ["", "[build]"] + [f"{k} = {_toml(v)}" for k, v in build.items()]
    lines += ["", "[files]"] + [f"{_toml(k)} = {_toml(v)}" for k, v in files.items()]
    (directory / MANIFEST).write_text("\n".join(lines) + "\n", encoding="utf-8")


@dataclass
class LocalPack:
    """A validated local pack loaded for scoring."""

    directory: Path
    sha256: str
    pack_id: str
    version: str
    budget_point_value: Decimal | None
    build: dict[str, Any]
    groups: list[dict[str, str]]


def _decimal(path: Path, row: int, column: str, text: str, *, required: bool = True) -> Decimal | None:
    if not text:
        if required:
            raise UserError("数值为空", file=path, row=row, field=column)
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise UserError(f"应为数值，实际为“{text}”", file=path, row=row, field=column) from None
    if not value.is_finite():
        raise UserError(f"应为数值，实际为“{text}”", file=path, row=row, field=column)
    return value


def read_local_pack(directory: Path) -> LocalPack:
    """Read a ``dip-local`` pack's manifest (hashes verified) and groups."""
    directory = Path(directory)
    manifest = read_manifest(directory)
    if manifest.kind != "dip-local":
        raise UserError(f"分值计算需要本地病种库（kind = dip-local），该目录为 {manifest.kind}", file=directory)
    build = tomllib.loads((directory / MANIFEST).read_text(encoding="utf-8")).get("build", {})
    groups = read_table(directory / GROUPS, ("group_code", "group_type", "score", "primary_care"))
    bpv = manifest.budget_point_value
    return LocalPack(
        directory=directory, sha256=pack_sha256(directory), pack_id=manifest.id, version=manifest.version,
        budget_point_value=Decimal(bpv) if bpv not in (None, "") else None, build=build, groups=groups,
    )


def _optional_table(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """A pack without coefficients or subtypes (e.g. imported by hand) pays coefficient 1."""
    return read_table(path, columns) if path.is_file() else []


def load_pack_tables(con: duckdb.DuckDBPyConnection, pack: LocalPack) -> None:
    """Load the pack's groups, coefficients and subtypes into temp tables ``pack_*``."""
    d = pack.directory
    groups = []
    for row, r in enumerate(pack.groups, start=2):
        flag = r["primary_care"]
        if flag not in ("0", "1", ""):
            raise UserError(f"应为 0 或 1，实际为“{flag}”", file=d / GROUPS, row=row, field="primary_care")
        groups.append((r["group_code"], r["group_type"], _decimal(d / GROUPS, row, "score", r["score"]), flag == "1"))
    con.execute("CREATE OR REPLACE TEMP TABLE pack_groups (group_code VARCHAR, group_type VARCHAR,"
                " score DECIMAL(18,4), primary_care BOOLEAN)")
    if groups:
        con.executemany("INSERT INTO pack_groups VALUES (?, ?, ?, ?)", groups)

    coefficients = []
    path = d / COEFFICIENTS
    for row, r in enumerate(_optional_table(path, COEFFICIENT_COLUMNS), start=2):
        coefficients.append((r["hosp_lv"], r["group_code"] or None, _decimal(path, row, "coefficient", r["coefficient"])))
    con.execute("CREATE OR REPLACE TEMP TABLE pack_coefficients (hosp_lv VARCHAR, group_code VARCHAR, coefficient DECIMAL(18,4))")
    if coefficients:
        con.executemany("INSERT INTO pack_coefficients VALUES (?, ?, ?)", coefficients)

    aux = []
    path = d / AUX_TYPES
    for row, r in enumerate(_optional_table(path, AUX_COLUMNS), start=2):
        if r["aux_kind"] not in ("severity", "age", "icu"):
            raise UserError(f"辅助分型应为 severity/age/icu，实际为“{r['aux_kind']}”", file=path, row=row, field="aux_kind")
        aux.append((r["group_code"], r["aux_kind"], r["subtype"], _decimal(path, row, "coefficient", r["coefficient"])))
    con.execute("CREATE OR REPLACE TEMP TABLE pack_aux (group_code VARCHAR, aux_kind VARCHAR, subtype VARCHAR, coefficient DECIMAL(18,4))")
    if aux:
        con.executemany("INSERT INTO pack_aux VALUES (?, ?, ?, ?)", aux)
