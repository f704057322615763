"""The clinical tables of the synthetic region, loaded into numpy arrays.

The tables are data written by the project (``data/conditions.csv``, ``secondary.csv``,
``procedures.csv``, ``parameters.toml``), so the generator can stay fully vectorised: every
per-condition attribute becomes an array indexed by condition number, every code an index into
one code universe (diagnoses, procedures). With a full code list (``--codes-dir``) rare codes are
appended as a tail of extra conditions so that a catalog build sees thousands of groups.
"""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from dipdrg.errors import UserError

DATA = Path(__file__).with_name("data")
MAX_OPTIONS = 5          # procedure options per condition (the last one may be conservative)
CODES_PER_OPTION = 2     # codes per option, e.g. cataract extraction + lens implant
VENT_SHORT, VENT_LONG = "96.7100", "96.7200"


def load_parameters() -> dict:
    """The generator's parameters (a TOML data file, not code)."""
    with open(DATA / "parameters.toml", "rb") as fh:
        return tomllib.load(fh)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass
class CodeUniverse:
    """All codes of one kind used by the region; arrays refer to them by index."""

    codes: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    category: list[str] = field(default_factory=list)   # procedures: 手术 / 介入治疗 / 治疗性操作 / 诊断性操作
    clinical: list[str] = field(default_factory=list)   # the 国临版 code that maps to it ('' = none)
    index: dict[str, int] = field(default_factory=dict)

    def add(self, code: str, name: str, category: str = "", clinical: str = "") -> int:
        if code not in self.index:
            self.index[code] = len(self.codes)
            self.codes.append(code)
            self.names.append(name)
            self.category.append(category)
            self.clinical.append(clinical)
        return self.index[code]


@dataclass
class Tables:
    """Per-condition arrays (length C) plus the secondary-diagnosis lists and code universes."""

    params: dict
    dx: CodeUniverse
    px: CodeUniverse
    dept_keys: list[str]
    profile_keys: list[str]
    cond: dict[str, np.ndarray]
    secondary: dict[str, np.ndarray]
    invalid_dx: np.ndarray          # indices of the well-formed but invalid codes
    vent_short: int
    vent_long: int
    dx_symptom: np.ndarray = field(init=False)   # per diagnosis code: a symptom or sign (ICD-10 chapter XVIII, R)
    dx_definite: np.ndarray = field(init=False)  # per diagnosis code: a definite diagnosis (not R, V–Y or Z)
    dx_sex: np.ndarray = field(init=False)       # per diagnosis code: 1 male-only, 2 female-only, 0 either

    def __post_init__(self) -> None:
        first = np.array([c[:1] for c in self.dx.codes])
        self.dx_symptom = first == "R"
        self.dx_definite = ~np.isin(first, ["R", "V", "W", "X", "Y", "Z"])
        limited = self.params["sex_limited"]
        self.dx_sex = np.array([1 if _in_ranges(c[:3], limited["male"]) else 2 if _in_ranges(c[:3], limited["female"])
                                else 0 for c in self.dx.codes], dtype=np.int64)

    @property
    def px_surgical(self) -> np.ndarray:
        """Per procedure code: 手术 or 介入治疗 (these carry a 手术费)."""
        return np.array([c in ("手术", "介入治疗") for c in self.px.category])

    @property
    def n_conditions(self) -> int:
        return len(self.cond["dx"])


def _parse_options(text: str, px: CodeUniverse) -> list[tuple[list[int], float, float, float, int]]:
    """``code+code:prob:cost_factor:material_share:min_level;...`` ('-' = conservative)."""
    options = []
    for part in text.split(";"):
        codes, prob, costx, mat, level = part.split(":")
        idx = [] if codes == "-" else [px.index[c] for c in codes.split("+")]
        options.append((idx, float(prob), float(costx), float(mat), int(level)))
    return options


def _empty_condition_arrays(n: int) -> dict[str, np.ndarray]:
    f = lambda: np.zeros(n, dtype=np.float64)  # noqa: E731
    i = lambda: np.full(n, -1, dtype=np.int64)  # noqa: E731
    return {
        "dx": i(), "weight": f(), "dept": i(), "profile": i(), "male": f(), "complexity": i(),
        "los": f(), "cost": f(), "drug": f(), "material": f(), "icu": f(), "death": f(),
        "cc": f(), "upcode": i(), "low_standard": np.zeros(n, dtype=bool), "bw_mean": f(),
        "bw_sd": f(), "coma": f(), "tail": np.zeros(n, dtype=bool),
        "with_dx": np.full((n, 3), -1, dtype=np.int64),
        "opt_codes": np.full((n, MAX_OPTIONS, CODES_PER_OPTION), -1, dtype=np.int64),
        "opt_prob": np.zeros((n, MAX_OPTIONS)), "opt_cost": np.ones((n, MAX_OPTIONS)),
        "opt_material": np.zeros((n, MAX_OPTIONS)), "opt_level": np.ones((n, MAX_OPTIONS), dtype=np.int64),
    }


def load_tables(codes_dir: Path | None = None, seed: int = 0) -> Tables:
    """Read the project's clinical tables; with ``codes_dir`` add the rare-code tail."""
    params = load_parameters()
    dept_keys = list(params["departments"])
    profile_keys = list(params["age_profiles"])
    dx, px = CodeUniverse(), CodeUniverse()
    for row in _read_csv(DATA / "procedures.csv"):
        px.add(row["code"], row["name"], row["category"], row["clinical_code"])
    rows = _read_csv(DATA / "conditions.csv")
    sec_rows = _read_csv(DATA / "secondary.csv")
    for row in rows:
        dx.add(row["dx_code"], row["dx_name"], clinical=row["clinical_code"])
    for row in sec_rows:
        dx.add(row["code"], row["name"])
    for row in rows:  # related codes named by the table (with_dx / upcode_to) need names too
        for code in [c for c in row["with_dx"].split("|") if c] + ([row["upcode_to"]] if row["upcode_to"] else []):
            if code not in dx.index:
                dx.add(code, next((r["dx_name"] for r in rows if r["dx_code"] == code), code))
    invalid = np.array([dx.add(c, "") for c in params["behaviours"]["invalid_codes"]], dtype=np.int64)

    tail = _tail_rows(codes_dir, params, seed, dx, px, rows) if codes_dir else []
    cond = _empty_condition_arrays(len(rows) + len(tail))
    for i, row in enumerate(rows):
        _fill_condition(cond, i, row, dx, px, dept_keys, profile_keys)
    for j, row in enumerate(tail):
        _fill_condition(cond, len(rows) + j, row, dx, px, dept_keys, profile_keys)
        cond["tail"][len(rows) + j] = True
    if tail:  # rescale so that the tail carries its share of the cases
        share = params["region"]["tail_share"]
        head = cond["weight"][: len(rows)].sum()
        cond["weight"][len(rows):] *= head * share / (1 - share) / cond["weight"][len(rows):].sum()

    secondary = {
        "dx": np.array([dx.index[r["code"]] for r in sec_rows], dtype=np.int64),
        "complication": np.array([r["kind"] == "complication" for r in sec_rows]),
        "rate": np.array([float(r["rate"]) for r in sec_rows]),
        "cost": np.array([float(r["cost_factor"]) for r in sec_rows]),
        "los": np.array([float(r["los_factor"]) for r in sec_rows]),
        "death": np.array([float(r["death_factor"]) for r in sec_rows]),
    }
    return Tables(params, dx, px, dept_keys, profile_keys, cond, secondary, invalid,
                  px.index[VENT_SHORT], px.index[VENT_LONG])


def _fill_condition(cond, i, row, dx, px, dept_keys, profile_keys) -> None:
    cond["dx"][i] = dx.index[row["dx_code"]]
    cond["weight"][i] = float(row["weight"])
    cond["dept"][i] = dept_keys.index(row["dept"])
    cond["profile"][i] = profile_keys.index(row["age_profile"])
    for key, col in (("male", "male_share"), ("los", "los_median"), ("cost", "cost_median"),
                     ("drug", "drug_share"), ("material", "material_share"), ("icu", "icu_rate"),
                     ("death", "death_rate"), ("cc", "complication_rate"), ("coma", "coma_rate")):
        cond[key][i] = float(row[col])
    cond["complexity"][i] = int(row["complexity"])
    cond["low_standard"][i] = row["low_standard"] == "1"
    if row["upcode_to"]:
        cond["upcode"][i] = dx.index[row["upcode_to"]]
    for k, code in enumerate(c for c in row["with_dx"].split("|") if c):
        cond["with_dx"][i, k] = dx.index[code]
    if row["birth_weight"]:
        mean, sd = row["birth_weight"].split()
        cond["bw_mean"][i], cond["bw_sd"][i] = float(mean), float(sd)
    for k, (idx, prob, costx, mat, level) in enumerate(_parse_options(row["procedures"], px)):
        cond["opt_codes"][i, k, : len(idx)] = idx
        cond["opt_prob"][i, k], cond["opt_cost"][i, k] = prob, costx
        cond["opt_material"][i, k], cond["opt_level"][i, k] = mat, level
    cond["opt_prob"][i] /= cond["opt_prob"][i].sum()


def _find(codes_dir: Path, name: str) -> Path:
    path = codes_dir / name
    if not path.is_file():
        raise UserError(f"编码目录中缺少文件 {name}（需要 code,name 两列的 UTF-8 CSV）", file=codes_dir)
    return path


def _in_ranges(code3: str, ranges: list[list[str]]) -> bool:
    return any(lo <= code3 <= hi for lo, hi in ranges)


def _tail_rows(codes_dir: Path, params: dict, seed: int, dx: CodeUniverse, px: CodeUniverse,
               head_rows: list[dict]) -> list[dict]:
    """Rare conditions from a full code list: real codes, generic profiles by ICD-10 chapter."""
    tp = params["tail"]
    rng = np.random.default_rng([seed, 7])
    dx_rows = _read_csv(_find(codes_dir, "icd10-yb-2.0.csv"))
    px_rows = _read_csv(_find(codes_dir, "icd9-yb-2.0.csv"))
    category_path = codes_dir / "icd9-category.csv"
    categories = {r["code"]: r["category"] for r in _read_csv(category_path)} if category_path.is_file() else {}
    head = {r["dx_code"] for r in head_rows}
    candidates = sorted(
        r["code"] for r in dx_rows
        if r["code"] not in head and "+" not in r["code"] and "*" not in r["code"]
        and r["code"][:1] in tp["by_letter"] and not r["code"].startswith(tuple(tp["exclude_prefixes"]))
    )
    names = {r["code"]: r["name"] for r in dx_rows}
    px_names = {r["code"]: r["name"] for r in px_rows}
    surgical: dict[str, list[str]] = {}
    for code in sorted(px_names):  # only codes whose attribute is known may be drawn
        if categories.get(code) == "手术":
            surgical.setdefault(code[:2], []).append(code)
    order = rng.permutation(len(candidates))
    ranks = np.empty(len(candidates), dtype=np.float64)
    ranks[order] = np.arange(len(candidates))
    weights = 1.0 / (ranks + tp["zipf_offset"]) ** tp["zipf_exponent"]
    cost_factor = np.exp(rng.normal(0.0, tp["cost_spread"], len(candidates)))
    los_factor = np.exp(rng.normal(0.0, tp["cost_spread"] * 0.6, len(candidates)))
    with_proc = rng.random(len(candidates)) < tp["procedure_rate"]
    pick = rng.random(len(candidates))
    pools = {letter: [c for ch in spec[2] for c in surgical.get(ch, [])] for letter, spec in tp["by_letter"].items()}
    rows = []
    for k, code in enumerate(candidates):
        dept, profile, _ = tp["by_letter"][code[0]]
        pool = pools[code[0]]
        options = "-:1:1.0:0.05:1"
        if with_proc[k] and pool:
            proc = pool[int(pick[k] * len(pool))]
            px.add(proc, px_names[proc], categories[proc])
            share = tp["procedure_share"]
            options = f"{proc}:{share}:1.8:0.2:2;-:{1 - share:.2f}:1.0:0.05:1"
        code3 = code[:3]
        limited = params["sex_limited"]
        male = 0.0 if _in_ranges(code3, limited["female"]) else 1.0 if _in_ranges(code3, limited["male"]) else 0.5
        if profile == "OB":
            male = 0.0
        dx.add(code, names[code])
        rows.append({
            "dx_code": code, "weight": weights[k], "dept": dept, "age_profile": profile,
            "male_share": male, "complexity": 2, "los_median": tp["los_median"] * los_factor[k],
            "cost_median": tp["cost_median"] * cost_factor[k], "drug_share": 0.4, "material_share": 0.08,
            "icu_rate": 0.01, "death_rate": 0.005, "complication_rate": 0.05, "coma_rate": 0,
            "procedures": options, "with_dx": "", "upcode_to": "", "low_standard": "0", "birth_weight": "",
        })
    return rows
