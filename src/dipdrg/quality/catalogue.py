"""The quality rule catalogue (``rules.toml``) and the diagnosis conflict table (``conflicts.csv``).

Both are data shipped with the package: a region or a new national version changes the files,
not the code. Each rule names its ``.sql`` file in ``rules/``; the sex/age conflict ranges are
expanded here into one row per 3-character ICD-10 category so that the rules can equi-join on
the category instead of comparing ranges.
"""

from __future__ import annotations

import csv
import hashlib
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable

from dipdrg.sqlfiles import sql_parameters, sql_text

SEVERITIES = {"error": "错误", "warning": "警告"}
DIMENSIONS = ("完整性", "准确性", "及时性", "逻辑性")
RULE_ID = re.compile(r"^QC-\d{3}$")
CATEGORY = re.compile(r"^([A-Z])(\d{2})$")


@dataclass(frozen=True)
class Rule:
    """One quality rule: what it checks, how bad it is, and the SELECT that finds it."""

    id: str
    severity: str
    dimension: str
    message: str
    fields: tuple[str, ...]
    sql_file: str
    basis: str
    sql: str

    @property
    def parameters(self) -> tuple[str, ...]:
        """Names of the policy parameters the SQL binds (``$name`` outside comments)."""
        return tuple(sorted(sql_parameters(self.sql)))


def _package() -> Traversable:
    return resources.files("dipdrg.quality")


# Preparation steps, run in this order before the rules: (temporary table, SQL file).
PREPARE: tuple[tuple[str, str], ...] = (
    ("qc_case", "_base.sql"),            # one row per case with the shared derived columns
    ("qc_dx_limited", "_dx_limited.sql"),  # diagnoses limited to one sex or age band
)


def prepare_steps() -> list[tuple[str, str]]:
    """(table, SELECT text) of each preparation step."""
    return [(table, sql_text("dipdrg.quality", f"rules/{name}")) for table, name in PREPARE]


@lru_cache(maxsize=1)
def load_rules() -> tuple[Rule, ...]:
    """Read and validate ``rules.toml``; a broken catalogue is a packaging bug, so ValueError."""
    folder = _package()
    data = tomllib.loads(folder.joinpath("rules.toml").read_text(encoding="utf-8"))
    rules: list[Rule] = []
    seen: set[str] = set()
    for entry in data.get("rule", []):
        rid = entry.get("id", "")
        problems = []
        if not RULE_ID.match(rid):
            problems.append(f"规则编号 {rid!r} 应形如 QC-101")
        if rid in seen:
            problems.append(f"规则编号 {rid} 重复")
        if entry.get("severity") not in SEVERITIES:
            problems.append(f"严重程度应为 {'/'.join(SEVERITIES)}")
        if entry.get("dimension") not in DIMENSIONS:
            problems.append(f"维度应为 {'/'.join(DIMENSIONS)} 之一")
        for key in ("message", "sql", "basis"):
            if not entry.get(key):
                problems.append(f"缺少 {key}")
        if problems:
            raise ValueError(f"质控规则目录 rules.toml 中 {rid or '?'}：" + "；".join(problems))
        sql_path = folder.joinpath("rules", entry["sql"])
        if not sql_path.is_file():
            raise ValueError(f"质控规则 {rid} 的 SQL 文件 rules/{entry['sql']} 不存在")
        seen.add(rid)
        rules.append(Rule(
            id=rid,
            severity=entry["severity"],
            dimension=entry["dimension"],
            message=entry["message"],
            fields=tuple(entry.get("fields", ())),
            sql_file=entry["sql"],
            basis=entry["basis"],
            sql=sql_path.read_text(encoding="utf-8").strip().rstrip(";"),
        ))
    return tuple(rules)


def rule_by_id() -> dict[str, Rule]:
    return {rule.id: rule for rule in load_rules()}


def _categories(first: str, last: str) -> list[str]:
    """Every 3-character category from ``first`` to ``last`` (same chapter letter)."""
    a, b = CATEGORY.match(first), CATEGORY.match(last)
    if not a or not b or a.group(1) != b.group(1) or int(a.group(2)) > int(b.group(2)):
        raise ValueError(f"conflicts.csv：编码范围 {first}–{last} 应为同一字母的三位类目且由小到大")
    return [f"{a.group(1)}{n:02d}" for n in range(int(a.group(2)), int(b.group(2)) + 1)]


def _int_or_none(text: str) -> int | None:
    return int(text) if text.strip() else None


@lru_cache(maxsize=1)
def load_conflicts() -> tuple[tuple[str, str, str | None, int | None, int | None, str | None, str], ...]:
    """Rows (kind, category, sex, age_min, age_max, age_unit, label), one per category."""
    text = _package().joinpath("conflicts.csv").read_text(encoding="utf-8")
    out = []
    for number, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        kind = row["kind"]
        if kind == "sex" and row["sex"] not in ("1", "2"):
            raise ValueError(f"conflicts.csv 第 {number} 行：性别应为 1 或 2")
        if kind == "age" and row["age_unit"] not in ("天", "岁"):
            raise ValueError(f"conflicts.csv 第 {number} 行：年龄单位应为 天 或 岁")
        if kind not in ("sex", "age"):
            raise ValueError(f"conflicts.csv 第 {number} 行：kind 应为 sex 或 age")
        for category in _categories(row["code_from"], row["code_to"]):
            out.append((
                kind, category, row["sex"] or None,
                _int_or_none(row["age_min"]), _int_or_none(row["age_max"]),
                row["age_unit"] or None, row["label"],
            ))
    return tuple(out)


def catalogue_sha256() -> str:
    """Fingerprint of every rule file, recorded as an input of each quality run."""
    digest = hashlib.sha256()
    folder = _package()
    digest.update(folder.joinpath("rules.toml").read_bytes())
    digest.update(folder.joinpath("conflicts.csv").read_bytes())
    for _, sql in prepare_steps():
        digest.update(sql.encode("utf-8"))
    for rule in load_rules():
        digest.update(rule.sql.encode("utf-8"))
    return digest.hexdigest()
