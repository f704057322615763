"""CHS-DRG scheme packs: a directory of tables plus ``manifest.toml`` (format: docs/drg-pack.md).

A pack is loaded once, checked completely (hashes, columns, references, vocabulary) and then
shared by the SQL grouper and the single-case explainer, so both read the very same rules.
Every problem is reported in Chinese with the file, row and field.
"""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from dipdrg.drg.vocabulary import ATOMS, ENTRY_SHAPES, SEVERITY_RULES, UNCONDITIONAL_RULES
from dipdrg.errors import UserError, detail
from dipdrg.hashing import file_sha256

FORMAT = "dipdrg-drg-pack/1"
MANIFEST = "manifest.toml"

# table -> required columns (every column is read as text; see docs/drg-pack.md)
TABLES: dict[str, tuple[str, ...]] = {
    "mdc": ("mdc", "name", "check_order", "entry_shape", "gender", "age_years_min", "age_years_max",
            "min_regions", "qy_adrg", "qy_position"),
    "mdc_dx": ("mdc", "code", "region"),
    "adrg": ("adrg", "mdc", "name", "kind", "check_order", "rule_shape", "rule_id",
             "proc_category_rule", "age_days_max", "weight_min", "weight_max"),
    "adrg_codes": ("rule_id", "list", "code", "category"),
    "rule_shapes": ("shape", "atom", "list"),
    "drg": ("drg", "adrg", "name", "check_order", "rule"),
    "mcc": ("code", "exclusion_table"),
    "cc": ("code", "exclusion_table"),
    "cce": ("principal_dx", "exclusion_table"),
    "or_procedures": ("code",),
}
MAP_TABLES: dict[str, tuple[str, ...]] = {
    "dx_map": ("source_code", "target_code"),
    "proc_map": ("source_code", "target_code"),
}
SWITCHES: dict[str, bool] = {
    "qy_enabled": False,
    "fall_through_after_mdc": True,
    "code_mapping": False,
}


@dataclass
class DrgPack:
    """A validated scheme pack: its identity, switches and tables (text columns)."""

    path: Path
    id: str
    version: str
    description: str
    source: str
    sha256: str
    switches: dict[str, bool]
    tables: dict[str, pa.Table]
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def rows(self, name: str) -> list[dict[str, str]]:
        """The rows of one table as dicts (cached: explain builds its indexes from them)."""
        key = f"rows:{name}"
        if key not in self._cache:
            self._cache[key] = self.tables[name].to_pylist() if name in self.tables else []
        return self._cache[key]


def _toml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_pack(out: Path, tables: dict[str, list[dict[str, str]]], *, pack_id: str, version: str,
               description: str = "", source: str = "", switches: dict[str, bool] | None = None,
               fmt: str = "csv") -> Path:
    """Write tables (rows of text) and a manifest with their sha256 into ``out``.

    No validation here: :func:`load_pack` validates, so a writer can also produce a
    deliberately broken pack for tests.
    """
    out.mkdir(parents=True, exist_ok=True)
    lines = [f"format = {_toml_str(FORMAT)}", "", "[pack]", f"id = {_toml_str(pack_id)}",
             f"version = {_toml_str(version)}", f"description = {_toml_str(description)}",
             f"source = {_toml_str(source)}", "", "[switches]"]
    lines += [f"{k} = {str(v).lower()}" for k, v in {**SWITCHES, **(switches or {})}.items()]
    lines.append("")
    for name, rows in tables.items():
        columns = list(rows[0].keys()) if rows else list(TABLES.get(name) or MAP_TABLES[name])
        if fmt == "parquet":
            target = out / f"{name}.parquet"
            pq.write_table(pa.table({c: pa.array([r[c] for r in rows], pa.string()) for c in columns}),
                           target)
        else:
            target = out / f"{name}.csv"
            with open(target, "w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
                writer.writeheader()
                writer.writerows(rows)
        lines += [f"[tables.{name}]", f"file = {_toml_str(target.name)}",
                  f"sha256 = {_toml_str(file_sha256(target))}", f"rows = {len(rows)}", ""]
    (out / MANIFEST).write_text("\n".join(lines), encoding="utf-8")
    return out


def read_table(path: Path) -> pa.Table:
    """Read a CSV (UTF-8, header) or Parquet table with every column as text, empty = ''."""
    if path.suffix == ".parquet":
        table = pq.read_table(path)
        return pa.table({c: table[c].cast(pa.string()).fill_null("") for c in table.column_names})
    with open(path, "rb") as handle:
        header = handle.readline().decode("utf-8-sig").rstrip("\r\n").split(",")
    return pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(encoding="utf8"),
        convert_options=pacsv.ConvertOptions(
            column_types={c: pa.string() for c in header},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )


_PACKS: dict[tuple, DrgPack] = {}


def load_pack(path: str | Path) -> DrgPack:
    """Load and validate the pack in ``path``; cached per directory, manifest hash and file stats."""
    directory = Path(path)
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file():
        raise UserError(f"不是 DRG 方案包：缺少 {MANIFEST}", file=directory)
    sha = file_sha256(manifest_path)
    # a table edited after loading must be re-checked: the key includes every file's stat
    files = tuple(sorted((f.name, f.stat().st_mtime_ns, f.stat().st_size)
                         for f in directory.iterdir() if f.is_file()))
    key = (str(directory.resolve()), sha, files)
    if key not in _PACKS:
        _PACKS[key] = _load(directory, manifest_path, sha)
    return _PACKS[key]


def _load(directory: Path, manifest_path: Path, sha: str) -> DrgPack:
    try:
        manifest = tomllib.loads(manifest_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UserError(f"清单文件无法解析（{detail(exc)}）", file=manifest_path) from exc
    if manifest.get("format") != FORMAT:
        raise UserError(f"清单的 format 应为 {FORMAT!r}，实为 {manifest.get('format')!r}",
                        file=manifest_path, field="format")
    info = manifest.get("pack", {})
    for key in ("id", "version"):
        if not str(info.get(key, "")).strip():
            raise UserError(f"清单缺少 [pack].{key}", file=manifest_path, field=f"pack.{key}")
    switches = dict(SWITCHES)
    for key, value in manifest.get("switches", {}).items():
        if key not in SWITCHES:
            raise UserError(f"未知的行为开关 {key}（可用：{'、'.join(SWITCHES)}）",
                            file=manifest_path, field=f"switches.{key}")
        if not isinstance(value, bool):
            raise UserError(f"行为开关 {key} 必须是 true 或 false", file=manifest_path,
                            field=f"switches.{key}")
        switches[key] = value
    wanted = dict(TABLES)
    if switches["code_mapping"]:
        wanted.update(MAP_TABLES)
    listed = manifest.get("tables", {})
    tables = {}
    for name, columns in wanted.items():
        tables[name] = _load_table(directory, manifest_path, name, listed.get(name), columns)
    pack = DrgPack(directory, str(info["id"]), str(info["version"]), str(info.get("description", "")),
                   str(info.get("source", "")), sha, switches, tables)
    validate(pack)
    return pack


def _load_table(directory: Path, manifest_path: Path, name: str, entry: Any,
                columns: tuple[str, ...]) -> pa.Table:
    if not isinstance(entry, dict) or "file" not in entry or "sha256" not in entry:
        raise UserError(f"清单缺少表 {name} 的登记（[tables.{name}] 的 file 与 sha256）",
                        file=manifest_path, field=f"tables.{name}")
    path = directory / entry["file"]
    if not path.is_file():
        raise UserError(f"方案包缺少表 {name} 的文件", file=path)
    if file_sha256(path) != entry["sha256"]:
        raise UserError(f"表 {name} 的 SHA-256 与清单登记的不一致（文件被改动或损坏）", file=path)
    try:
        table = read_table(path)
    except (pa.ArrowInvalid, OSError, UnicodeDecodeError) as exc:
        raise UserError(f"表 {name} 无法读取（{detail(exc)}）", file=path) from exc
    missing = [c for c in columns if c not in table.column_names]
    if missing:
        raise UserError(f"表 {name} 缺少列：{'、'.join(missing)}", file=path)
    if "rows" in entry and entry["rows"] != table.num_rows:
        raise UserError(f"表 {name} 有 {table.num_rows} 行，清单登记为 {entry['rows']} 行", file=path)
    return table


class _Problems:
    """Collects validation problems so one message lists them all (up to a limit)."""

    def __init__(self, pack: DrgPack) -> None:
        self.pack = pack
        self.items: list[str] = []

    def add(self, table: str, row: int | None, column: str, text: str) -> None:
        where = f"{table}" + (f" 第 {row + 2} 行" if row is not None else "") + f" 列 {column}"
        self.items.append(f"{where}：{text}")

    def raise_if_any(self) -> None:
        if self.items:
            shown = self.items[:20]
            more = f"\n……另有 {len(self.items) - 20} 处" if len(self.items) > 20 else ""
            raise UserError("DRG 方案包校验不通过：\n" + "\n".join(shown) + more,
                            file=self.pack.path)


def _int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


def _check_ints(p: _Problems, table: str, rows: list[dict], columns: tuple[str, ...],
                required: tuple[str, ...] = ()) -> None:
    for i, row in enumerate(rows):
        for col in columns:
            value = row[col]
            if value == "" and col not in required:
                continue
            if _int(value) is None:
                p.add(table, i, col, f"应为整数，实为 {value!r}")


def _check_unique(p: _Problems, table: str, rows: list[dict], key: tuple[str, ...],
                  what: str) -> set:
    seen: set = set()
    for i, row in enumerate(rows):
        value = tuple(row[k] for k in key)
        if value in seen:
            p.add(table, i, "、".join(key), f"重复的{what} {'/'.join(value)}")
        seen.add(value)
    return seen


def parse_category_rule(text: str) -> list[frozenset[str]] | None:
    """``1&2|1&3&4`` -> [{1,2},{1,3,4}] (an OR of ANDs); None when malformed."""
    clauses = []
    for clause in text.split("|"):
        items = [c.strip() for c in clause.split("&")]
        if not clause.strip() or any(not c for c in items):
            return None
        clauses.append(frozenset(items))
    return clauses


def validate(pack: DrgPack) -> None:
    """Check references and vocabulary across tables; raise one UserError listing problems."""
    p = _Problems(pack)
    mdcs, adrgs, drgs = pack.rows("mdc"), pack.rows("adrg"), pack.rows("drg")
    shapes = pack.rows("rule_shapes")

    _check_ints(p, "mdc", mdcs, ("check_order",), ("check_order",))
    _check_ints(p, "mdc", mdcs, ("age_years_min", "age_years_max", "min_regions", "qy_position"))
    _check_ints(p, "adrg", adrgs, ("check_order",), ("check_order",))
    _check_ints(p, "adrg", adrgs, ("age_days_max", "weight_min", "weight_max"))
    _check_ints(p, "drg", drgs, ("check_order",), ("check_order",))
    mdc_ids = {k[0] for k in _check_unique(p, "mdc", mdcs, ("mdc",), "MDC")}
    _check_unique(p, "mdc", mdcs, ("check_order",), "检查顺序")
    adrg_ids = {k[0] for k in _check_unique(p, "adrg", adrgs, ("adrg",), "ADRG")}
    _check_unique(p, "adrg", adrgs, ("mdc", "check_order"), "MDC 内检查顺序")
    _check_unique(p, "drg", drgs, ("drg",), "DRG")
    _check_unique(p, "drg", drgs, ("adrg", "check_order"), "ADRG 内检查顺序")

    for i, row in enumerate(mdcs):
        if row["entry_shape"] not in ENTRY_SHAPES:
            p.add("mdc", i, "entry_shape",
                  f"未知的入组规则形状 {row['entry_shape']!r}（可用：{'、'.join(ENTRY_SHAPES)}）")
        if row["gender"] not in ("", "1", "2"):
            p.add("mdc", i, "gender", f"应为空、1 或 2，实为 {row['gender']!r}")
        if bool(row["qy_adrg"]) != bool(row["qy_position"]):
            p.add("mdc", i, "qy_adrg", "qy_adrg 与 qy_position 须同时填写或同时留空")
    for i, row in enumerate(pack.rows("mdc_dx")):
        if row["mdc"] not in mdc_ids:
            p.add("mdc_dx", i, "mdc", f"引用了不存在的 MDC {row['mdc']!r}")

    shape_atoms: dict[str, list[tuple[str, str]]] = {}
    for i, row in enumerate(shapes):
        if row["atom"] == "":           # a shape with no condition (e.g. 'always')
            shape_atoms.setdefault(row["shape"], [])
            continue
        atom = ATOMS.get(row["atom"])
        if atom is None:
            p.add("rule_shapes", i, "atom",
                  f"未知的规则条件 {row['atom']!r}（可用：{'、'.join(ATOMS)}）")
        elif atom.needs_list != bool(row["list"]):
            p.add("rule_shapes", i, "list",
                  f"条件 {atom.name} {'需要' if atom.needs_list else '不接受'}列表名")
        shape_atoms.setdefault(row["shape"], []).append((row["atom"], row["list"]))

    lists: dict[str, set[str]] = {}
    for row in pack.rows("adrg_codes"):
        lists.setdefault(row["rule_id"], set()).add(row["list"])
    for i, row in enumerate(adrgs):
        if row["mdc"] not in mdc_ids:
            p.add("adrg", i, "mdc", f"ADRG {row['adrg']} 引用了不存在的 MDC {row['mdc']!r}")
        atoms = shape_atoms.get(row["rule_shape"])
        if atoms is None:
            p.add("adrg", i, "rule_shape",
                  f"ADRG {row['adrg']} 的规则形状 {row['rule_shape']!r} 未在 rule_shapes 中定义")
            continue
        for atom, list_name in atoms:
            if list_name and list_name not in lists.get(row["rule_id"], set()):
                p.add("adrg", i, "rule_id",
                      f"ADRG {row['adrg']} 的规则需要列表 {list_name}，但 adrg_codes 中规则 "
                      f"{row['rule_id']} 没有该列表的编码")
            if atom == "proc_categories" and parse_category_rule(row["proc_category_rule"]) is None:
                p.add("adrg", i, "proc_category_rule",
                      f"ADRG {row['adrg']} 的类别规则 {row['proc_category_rule']!r} 格式不对（如 1&2|1&3）")
            if atom == "birth_weight_in_range" and not (row["weight_min"] or row["weight_max"]):
                p.add("adrg", i, "weight_min", f"ADRG {row['adrg']} 需要体重上限或下限")

    last_rule: dict[str, tuple[int, str]] = {}
    for i, row in enumerate(drgs):
        if row["adrg"] not in adrg_ids:
            p.add("drg", i, "adrg", f"DRG {row['drg']} 引用了不存在的 ADRG {row['adrg']!r}")
        if row["rule"] not in SEVERITY_RULES:
            p.add("drg", i, "rule",
                  f"未知的严重程度规则 {row['rule']!r}（可用：{'、'.join(SEVERITY_RULES)}）")
        order = _int(row["check_order"]) or 0
        if row["adrg"] not in last_rule or order > last_rule[row["adrg"]][0]:
            last_rule[row["adrg"]] = (order, row["rule"])
    for i, row in enumerate(adrgs):
        if row["adrg"] not in last_rule:
            p.add("adrg", i, "adrg", f"ADRG {row['adrg']} 没有任何 DRG")
        elif last_rule[row["adrg"]][1] not in UNCONDITIONAL_RULES:
            p.add("adrg", i, "adrg",
                  f"ADRG {row['adrg']} 的最后一个 DRG 不是无条件规则（else/no_split），部分病例将无 DRG")
    p.raise_if_any()
