"""Generate a whole synthetic region: hospitals, settlement lists by year, labels, code lists.

The code lists (``codes/diagnoses.csv``, ``codes/procedures.csv``) hold the codes the region
uses; ``codes/dx-crosswalk.csv`` and ``codes/proc-crosswalk.csv`` (``source_code,target_code``)
hold the 国临版 → 医保版 pairs of those codes, which ``--messy`` writes on some stays.

Each chunk of stays has its own random generator seeded by (seed, year, chunk), so output is
deterministic and chunks are independent; a chunk is simulated, changed by the behaviours,
priced, encoded and written before the next one starts, which bounds memory.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from dipdrg.cases.fields import HOSPITAL_FIELDS
from dipdrg.errors import UserError
from dipdrg.hashing import file_sha256
from dipdrg.synth.behaviours import Label, apply_behaviours, apply_errors
from dipdrg.synth.cases import simulate
from dipdrg.synth.encode import Encoder
from dipdrg.synth.fees import fee_breakdown, fund_split
from dipdrg.synth.hospitals import BEHAVIOUR_ZH, BEHAVIOURS, Region, build_region, option_cumulative
from dipdrg.synth.tables import DATA, Tables, load_tables

FORMATS = ("parquet", "csv")
HOSPITAL_KIND = {"upcoding": "upcoding", "split": "split_admission", "low_standard": "low_standard_admission",
                 "under_service": "under_service", "long_stay": "over_long_stay"}


@dataclass
class Manifest:
    """What was generated: parameters, row counts and the sha256 of every file."""

    out_dir: str
    seed: int
    parameters: dict
    files: dict[str, dict] = field(default_factory=dict)
    cases_by_year: dict[str, int] = field(default_factory=dict)
    labels_by_kind: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> str:
        data = asdict(self)
        data.pop("out_dir")
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _prepare_dir(out: Path) -> None:
    """Refuse a non-empty directory that is not a region; clear the parts of an earlier region."""
    if out.exists() and not out.is_dir():
        raise UserError("输出路径已存在且不是目录", file=out)
    if out.is_dir() and any(out.iterdir()) and not (out / "manifest.json").is_file():
        raise UserError("输出目录非空且不是已生成的合成地区（缺少 manifest.json），为避免覆盖他人文件已停止", file=out)
    for old in sorted((out / "settlements").glob("*-part*.*")) if (out / "settlements").is_dir() else []:
        old.unlink()
    (out / "settlements").mkdir(parents=True, exist_ok=True)
    (out / "codes").mkdir(exist_ok=True)


def _validate(cases_per_year: int, years: int, hospitals: int, fmt: str, codes_dir: Path | None) -> None:
    if cases_per_year < 1:
        raise UserError("每年病例数必须至少为 1", field="--cases-per-year")
    if not 1 <= years <= 30:
        raise UserError("年数必须在 1 到 30 之间", field="--years")
    if hospitals < 1:
        raise UserError("医疗机构数量必须至少为 1", field="--hospitals")
    if fmt not in FORMATS:
        raise UserError(f"输出格式必须是 {' 或 '.join(FORMATS)}，收到 {fmt!r}", field="--format")
    if codes_dir is not None and not Path(codes_dir).is_dir():
        raise UserError("编码目录不存在", file=codes_dir, field="--codes-dir")


def generate_region(out_dir: Path | str, seed: int, cases_per_year: int = 200_000, years: int = 4,
                    hospitals: int = 40, messy: bool = False, fmt: str = "parquet",
                    codes_dir: Path | str | None = None, progress=None) -> Manifest:
    """Write a synthetic region to ``out_dir`` deterministically from ``seed``; return its manifest.

    ``progress`` (optional) is called with the number of stays written after each part.
    """
    codes_dir = Path(codes_dir) if codes_dir is not None else None
    _validate(cases_per_year, years, hospitals, fmt, codes_dir)
    out = Path(out_dir)
    _prepare_dir(out)
    tables = load_tables(codes_dir, seed)
    region = build_region(tables, hospitals, seed)
    params = tables.params
    end_year = params["region"]["end_year"]
    year_list = list(range(end_year - years + 1, end_year + 1))
    chunk = params["region"]["chunk_size"]
    manifest = Manifest(str(out), seed, {
        "cases_per_year": cases_per_year, "years": year_list, "hospitals": hospitals, "messy": messy,
        "format": fmt, "codes_dir": str(codes_dir) if codes_dir else None,
        "data_sha256": {p.name: file_sha256(p) for p in sorted(DATA.iterdir()) if p.is_file()},
    })
    writer = _RegionWriter(out, manifest)
    writer.hospitals(region)
    opt_cum = np.stack([option_cumulative(tables, lv) for lv in (1, 2, 3)])
    encoder = Encoder(tables, region)
    dx_used = np.zeros(len(tables.dx.codes), dtype=bool)
    px_used = np.zeros(len(tables.px.codes), dtype=bool)
    n_parts = -(-cases_per_year // chunk)
    for yi, year in enumerate(year_list):
        for part in range(n_parts):
            n = min(chunk, cases_per_year - part * chunk)
            rng = np.random.default_rng([seed, year, part])
            first_id = year * 10**10 + part * 10**7
            gbk = messy and yi == 0 and part == n_parts - 1
            table, labels, used_dx, used_px = _make_part(tables, region, opt_cum, encoder, year, yi, n,
                                                         first_id, messy, rng)
            dx_used[used_dx] = True
            px_used[used_px] = True
            name = f"{year}-part{part:03d}.{'csv' if (fmt == 'csv' or gbk) else 'parquet'}"
            broken = writer.part(name, table, fmt, gbk, params["messy"]["broken_rows"] if gbk else 0, rng)
            writer.labels(labels + broken, table.column("setl_id"))
            manifest.cases_by_year[str(year)] = manifest.cases_by_year.get(str(year), 0) + table.num_rows
            if progress:
                progress(table.num_rows)
    dx_used[tables.invalid_dx] = False
    writer.code_lists(tables, dx_used, px_used)
    return writer.finish()


def _make_part(tables: Tables, region: Region, opt_cum, encoder: Encoder, year: int, year_index: int,
               n: int, first_id: int, messy: bool, rng) -> tuple[pa.Table, list[Label], np.ndarray, np.ndarray]:
    """One chunk: simulate, behaviours, money, errors, encode."""
    b = simulate(tables, region, opt_cum, year, year_index, n, first_id, rng)
    labels = apply_behaviours(tables, region, b, year, first_id + n, rng)
    total = np.maximum(np.rint(b["cost"] * 100), 10_000).astype(np.int64)
    level = region.level[b["hosp"]]
    mat = tables.cond["material"][b["cond"]]
    b["fee"] = fee_breakdown(tables.params, total, tables.cond["drug"][b["cond"]], mat,
                             b["opt_surgical"], region.is_tcm[b["hosp"]], rng)
    b["total"] = total
    b.update(fund_split(tables.params, total, level, b["employee"], rng))
    b["reversed"] = np.zeros(len(total), dtype=bool)
    labels += apply_errors(tables, b, rng)
    table, messy_labels = encoder.encode(b, tables.params["messy"]["code_rate"] if messy else 0.0, rng)
    used_dx = np.concatenate([b["main_dx"], b["sec"][b["sec"] >= 0]])
    return table, labels + messy_labels, used_dx, b["procs"][b["procs"] >= 0]


class _RegionWriter:
    """Writes the files of a region and records them in the manifest."""

    def __init__(self, out: Path, manifest: Manifest):
        self.out = out
        self.manifest = manifest
        self.label_file = open(out / "labels.csv", "w", encoding="utf-8", newline="")
        self.label_csv = csv.writer(self.label_file, lineterminator="\n")
        self.label_csv.writerow(["scope", "id", "kind", "detail"])
        self.label_rows = 0

    def _record(self, rel: str, rows: int) -> None:
        self.manifest.files[rel] = {"rows": rows, "sha256": file_sha256(self.out / rel)}

    def hospitals(self, region: Region) -> None:
        names = [f.name for f in HOSPITAL_FIELDS]
        with open(self.out / "hospitals.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(names)
            for h in range(region.n):
                w.writerow([region.codes[h], region.names[h], int(region.level[h]), region.type[h], region.county[h]])
        self._record("hospitals.csv", region.n)
        for key in BEHAVIOURS:
            for h in np.flatnonzero(region.behaviour[key]):
                self._count(HOSPITAL_KIND[key])
                self.label_csv.writerow(["hospital", region.codes[h], HOSPITAL_KIND[key], BEHAVIOUR_ZH[key]])

    def _count(self, kind: str, k: int = 1) -> None:
        self.manifest.labels_by_kind[kind] = self.manifest.labels_by_kind.get(kind, 0) + k
        self.label_rows += k

    def labels(self, labels: list[Label], ids: pa.ChunkedArray) -> None:
        ids = ids.combine_chunks() if isinstance(ids, pa.ChunkedArray) else ids
        for label in labels:
            if not len(label.rows):
                continue
            detail = label.detail
            if isinstance(detail, (str, pa.Scalar)):  # one text for every stay of the label
                detail = pa.array([str(detail)] * len(label.rows))
            stay_ids = pc.take(ids, pa.array(label.rows)).to_pylist()
            self.label_csv.writerows(("case", i, label.kind, d) for i, d in zip(stay_ids, detail.to_pylist()))
            self._count(label.kind, len(label.rows))

    def part(self, name: str, table: pa.Table, fmt: str, gbk: bool, broken: int, rng) -> list[Label]:
        rel = f"settlements/{name}"
        path = self.out / rel
        labels: list[Label] = []
        if name.endswith(".parquet"):
            pq.write_table(table, path, compression="zstd", use_dictionary=_dictionary_columns(table))
        elif gbk:
            labels = _write_gbk_with_broken_rows(table, path, broken, rng)
        else:
            pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="needed"))
        self._record(rel, table.num_rows)
        return labels

    def code_lists(self, tables: Tables, dx_used: np.ndarray, px_used: np.ndarray) -> None:
        """The region's code lists, and the 国临版 → 医保版 pairs its --messy form may write."""
        dx, px = np.flatnonzero(dx_used), np.flatnonzero(px_used)
        self._write_csv("codes/diagnoses.csv", ["code", "name"],
                        sorted((tables.dx.codes[i], tables.dx.names[i]) for i in dx),
                        "本地区用到的 ICD-10 医保版 2.0 诊断编码（编码、名称）")
        self._write_csv("codes/procedures.csv", ["code", "name", "category"],
                        sorted((tables.px.codes[i], tables.px.names[i], tables.px.category[i]) for i in px),
                        "本地区用到的 ICD-9-CM-3 医保版 2.0 手术操作编码（编码、名称、手术操作属性）")
        for rel, kind, universe, used in (("codes/dx-crosswalk.csv", "诊断", tables.dx, dx),
                                          ("codes/proc-crosswalk.csv", "手术操作", tables.px, px)):
            pairs = sorted((universe.clinical[i], universe.codes[i]) for i in used if universe.clinical[i])
            self._write_csv(rel, ["source_code", "target_code"], pairs,
                            f"{kind}编码 国临版→医保版 映射（本地区用到的编码；--messy 时部分病例写国临版编码，"
                            f"加载此表后可规范为医保版）")

    def _write_csv(self, rel: str, header: list[str], rows: list, description: str) -> None:
        with open(self.out / rel, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)
        self._record(rel, len(rows))
        self.manifest.files[rel]["description"] = description

    def finish(self) -> Manifest:
        self.label_file.close()
        self._record("labels.csv", self.label_rows)
        (self.out / "manifest.json").write_text(self.manifest.to_json(), encoding="utf-8")
        return self.manifest


def _dictionary_columns(table: pa.Table) -> list[str]:
    """Dictionary-encode the repetitive text columns only (ids and dates would only cost time)."""
    unique = {"setl_id", "mdtrt_id", "psn_no", "oprn_dates"}
    return [f.name for f in table.schema
            if pa.types.is_string(f.type) and f.name not in unique and not f.name.endswith("_minutes")]


def _write_gbk_with_broken_rows(table: pa.Table, path: Path, broken: int, rng) -> list[Label]:
    """Write a GBK-encoded CSV part in which a few rows are broken on purpose (labelled)."""
    buf = io.BytesIO()
    pacsv.write_csv(table, buf, pacsv.WriteOptions(quoting_style="needed"))
    lines = buf.getvalue().decode("utf-8").split("\n")
    money_col = table.column_names.index("medfee_sumamt")
    rows = np.sort(rng.choice(table.num_rows, size=min(broken, table.num_rows), replace=False))
    details = []
    for k, row in enumerate(rows.tolist()):
        line = lines[row + 1]
        if k % 2 == 0:
            lines[row + 1] = line[: len(line) // 2]
            details.append("行被截断（字段不足）")
        else:
            fields = next(csv.reader([line]))
            fields[money_col] = "约三千元"
            out = io.StringIO()
            csv.writer(out, lineterminator="").writerow(fields)
            lines[row + 1] = out.getvalue()
            details.append("医疗费总额字段为文字“约三千元”")
    path.write_bytes("\n".join(lines).encode("gbk"))
    return [Label(rows, "broken_row", pa.array(details))]

