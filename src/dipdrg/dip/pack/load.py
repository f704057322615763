"""Load and validate a pack directory into a :class:`Catalog` (both pack kinds).

Every problem is a :class:`UserError` in Chinese naming the file, the row (1 = header) and the
column: missing columns, bad keys or combinations, duplicate keys, values out of their set.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

from dipdrg.dip.pack import tables as T
from dipdrg.dip.pack.manifest import pack_sha256, read_manifest
from dipdrg.dip.pack.model import (
    ANYWHERE, CONSERVATIVE, IGNORE, LOCAL_CORE_ORDER, PRINCIPAL, TREATMENTS,
    Catalog, Comprehensive, Rule,
)
from dipdrg.dip.pack.syntax import (
    DX_CODE, SyntaxProblem, clean_proc, combination_text, expand_dx, expand_dx_list,
    parse_combination, parse_expression,
)
from dipdrg.errors import UserError

TRUE_WORDS = {"1", "是", "true", "True", "TRUE", "y", "Y"}
FALSE_WORDS = {"", "0", "否", "false", "False", "FALSE", "n", "N"}


def load_pack(path: str | Path) -> Catalog:
    """Read, hash and validate a pack directory."""
    directory = Path(path)
    manifest = read_manifest(directory)
    catalog = Catalog(manifest=manifest, directory=directory, sha256=pack_sha256(directory))
    if manifest.kind == "dip-local":
        _load_local(catalog)
    else:
        _load_national(catalog)
    return catalog


class _Rows:
    """Iterate a table's rows with their 1-based file row number, turning syntax problems into UserError."""

    def __init__(self, path: Path, columns: tuple[str, ...]) -> None:
        self.path = path
        self.rows = T.read_table(path, columns)

    def __iter__(self):
        for index, row in enumerate(self.rows, start=2):
            yield index, row

    def fail(self, row: int, column: str, message: str) -> UserError:
        return UserError(message, file=self.path, row=row, field=column)

    def parse(self, row: int, column: str, func, value):
        try:
            return func(value)
        except SyntaxProblem as exc:
            raise self.fail(row, column, str(exc)) from exc


def _flag(rows: _Rows, row: int, column: str, value: str) -> bool:
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise rows.fail(row, column, f"应为 0 或 1，实际为“{value}”")


def _decimal(rows: _Rows, row: int, column: str, value: str) -> Decimal | None:
    if value == "":
        return None
    try:
        number = Decimal(value)
    except InvalidOperation as exc:
        raise rows.fail(row, column, f"不是数值：“{value}”") from exc
    if not number.is_finite() or number < 0:
        raise rows.fail(row, column, f"应为非负数值，实际为“{value}”")
    return number


def _int(rows: _Rows, row: int, column: str, value: str) -> int | None:
    if value == "":
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise rows.fail(row, column, f"应为整数，实际为“{value}”") from exc


# -- local catalog --------------------------------------------------------------------------
def _load_local(catalog: Catalog) -> None:
    rows = _Rows(catalog.directory / T.LOCAL_GROUPS, T.LOCAL_COLUMNS)
    seen_codes: dict[str, int] = {}
    seen_keys: dict[tuple[str, str, str], int] = {}
    for row, r in rows:
        code = r["group_code"]
        if not code:
            raise rows.fail(row, "group_code", "病种编码为空")
        if code in seen_codes:
            raise rows.fail(row, "group_code", f"病种编码 {code} 重复（首次出现在第 {seen_codes[code]} 行）")
        seen_codes[code] = row
        group_type = r["group_type"]
        if group_type not in ("core", "comprehensive"):
            raise rows.fail(row, "group_type", f"应为 core 或 comprehensive，实际为“{group_type}”")
        keys = rows.parse(row, "dx_key", expand_dx, r["dx_key"])
        if len(keys) != 1 or "-" in r["dx_key"]:
            raise rows.fail(row, "dx_key", "诊断键只能是一个 3 位类目或 4 位亚目，不能是范围")
        dx_key = keys[0]
        if "|" in r["procedures"]:
            raise rows.fail(row, "procedures", "地方病种库的手术组合只用“+”（同时）和“/”（任一），不用“|”")
        terms = rows.parse(row, "procedures", parse_combination, r["procedures"])
        score = _decimal(rows, row, "score", r["score"])
        primary = _flag(rows, row, "primary_care", r["primary_care"])
        treatment = r["treatment"]
        ref = f"{T.LOCAL_GROUPS} 第 {row} 行"
        if group_type == "comprehensive":
            if treatment not in TREATMENTS:
                raise rows.fail(row, "treatment", f"综合病种的治疗方式应为 {'/'.join(TREATMENTS)}，实际为“{treatment}”")
            if len(dx_key) != 3:
                raise rows.fail(row, "dx_key", "综合病种按 3 位类目设置，诊断键应为 3 位")
            if terms:
                raise rows.fail(row, "procedures", "综合病种不列手术组合（按主要手术操作属性归组）")
            key = (dx_key, "comprehensive", treatment)
            catalog.comprehensive.append(
                Comprehensive(code, r["group_name"], dx_key, treatment, score, primary, ref)
            )
        else:
            expected = "手术操作" if terms else "保守治疗"
            if treatment not in ("", expected):
                raise rows.fail(row, "treatment", f"核心病种{'有' if terms else '无'}手术组合，治疗方式应为“{expected}”，实际为“{treatment}”")
            key = (dx_key, "core", combination_text(terms))
            catalog.rules.append(Rule(
                rule_id=len(catalog.rules) + 1, layer="core", layer_order=LOCAL_CORE_ORDER,
                group_code=code, group_name=r["group_name"], group_type="core", treatment=expected,
                score=score, primary_care=primary, rule_ref=ref, pdx_keys=(dx_key,), anydx_keys=(),
                sdx_keys=(), proc_mode=PRINCIPAL if terms else CONSERVATIVE, terms=terms,
                rel_rank=max(len(terms) - 1, 0),
            ))
        if key in seen_keys:
            raise rows.fail(row, "dx_key", f"病种键重复：与第 {seen_keys[key]} 行的诊断键和手术组合（或治疗方式）相同")
        seen_keys[key] = row
        carried = {k: v for k, v in r.items() if k not in T.LOCAL_COLUMNS}
        if carried:
            catalog.extra_columns[code] = carried
    # the national lists the pack was built with (build-catalog --national), when it carries them
    _load_exclusions(catalog, optional=True)


# -- national pack --------------------------------------------------------------------------
def _load_national(catalog: Catalog) -> None:
    d = catalog.directory
    _load_rules(catalog, _Rows(d / T.NATIONAL_RULES, T.RULE_COLUMNS))
    _load_exclusions(catalog, optional=False)
    _load_primary_care(catalog, _Rows(d / T.PRIMARY_CARE, T.PRIMARY_CARE_COLUMNS))
    tb = _Rows(d / T.TB_RESISTANT, T.TB_RESISTANT_COLUMNS)
    principal, secondary = set(), set()
    for row, r in tb:
        if not DX_CODE.match(r["code"]):
            raise tb.fail(row, "code", f"诊断编码“{r['code']}”格式错误")
        if r["role"] not in ("principal", "secondary"):
            raise tb.fail(row, "role", f"应为 principal（主要诊断耐药拓展码）或 secondary（其他诊断耐药标记），实际为“{r['role']}”")
        (principal if r["role"] == "principal" else secondary).add(r["code"])
    catalog.tb_principal, catalog.tb_secondary = frozenset(principal), frozenset(secondary)


def _load_rules(catalog: Catalog, rows: _Rows) -> None:
    seen_codes: dict[str, int] = {}
    seen_keys: dict[tuple, int] = {}
    for row, r in rows:
        layer = r["layer"]
        if layer not in T.LAYERS:
            raise rows.fail(row, "layer", f"层级应为 {'/'.join(T.LAYERS)}，实际为“{layer}”")
        order = T.LAYERS[layer][0]
        code = r["group_code"]
        if not code:
            raise rows.fail(row, "group_code", "病种编码为空")
        if code in seen_codes:
            raise rows.fail(row, "group_code", f"病种编码 {code} 重复（首次出现在第 {seen_codes[code]} 行）")
        seen_codes[code] = row
        dx = rows.parse(row, "dx", expand_dx_list, r["dx"])
        if r["dx_scope"] not in ("", "principal", "any"):
            raise rows.fail(row, "dx_scope", f"应为 principal 或 any，实际为“{r['dx_scope']}”")
        any_dx = r["dx_scope"] == "any"
        sdx = rows.parse(row, "secondary_dx", expand_dx_list, r["secondary_dx"])
        combos = rows.parse(row, "procedures", parse_expression, r["procedures"])
        scope = r["proc_scope"] or "principal"
        if scope not in ("principal", "anywhere", "none"):
            raise rows.fail(row, "proc_scope", f"应为 principal、anywhere 或 none，实际为“{scope}”")
        if scope == "none" and combos:
            raise rows.fail(row, "procedures", "proc_scope 为 none 时不能列手术")
        if r["drug_resistant"] not in ("", "是", "否"):
            raise rows.fail(row, "drug_resistant", f"应为 是、否 或空，实际为“{r['drug_resistant']}”")
        resistant = None if r["drug_resistant"] == "" else r["drug_resistant"] == "是"
        ages = (_int(rows, row, "max_age_days", r["max_age_days"]), _int(rows, row, "min_weight", r["min_weight"]), _int(rows, row, "max_weight", r["max_weight"]))
        mode = IGNORE if scope == "none" else (ANYWHERE if scope == "anywhere" else PRINCIPAL)
        if not combos and mode != IGNORE:
            mode, combos = CONSERVATIVE, [()]
        if not dx and mode in (CONSERVATIVE, IGNORE):
            raise rows.fail(row, "dx", "“所有诊断”的规则必须有手术条件，否则会匹配全部病例")
        ref = f"{T.LAYERS[layer][2]} 序号 {r['seq']}"
        for terms in combos or [()]:
            key = (layer, tuple(sorted(dx)), any_dx, tuple(sorted(sdx)), mode, combination_text(terms), r["drug_resistant"], ages)
            if key in seen_keys:
                catalog.warnings.append(f"{rows.path.name} 第 {row} 行与第 {seen_keys[key]} 行条件相同（按序号较小者入组）")
            else:
                seen_keys[key] = row
            catalog.rules.append(Rule(
                rule_id=len(catalog.rules) + 1, layer=layer, layer_order=order, group_code=code,
                group_name=r["group_name"], group_type="core",
                treatment={CONSERVATIVE: "保守治疗", IGNORE: ""}.get(mode, "手术操作"), score=None,
                primary_care=False, rule_ref=ref,
                pdx_keys=() if any_dx else tuple(dx), anydx_keys=tuple(dx) if any_dx else (),
                sdx_keys=tuple(sdx), proc_mode=mode, terms=terms,
                rel_rank=0 if layer == "pre" else max(len(terms) - 1, 0),
                max_age_days=ages[0], min_weight=ages[1], max_weight=ages[2], resistant=resistant,
            ))


def _load_exclusions(catalog: Catalog, *, optional: bool) -> None:
    """不纳入分组诊断 / 手术 lists: required in a national pack; a local pack built with
    ``--national`` carries copies so grouping with it alone applies what the build applied."""
    d = catalog.directory
    if not optional or (d / T.EXCLUDED_DX).is_file():
        _load_excluded_dx(catalog, _Rows(d / T.EXCLUDED_DX, T.EXCLUDED_DX_COLUMNS))
    if not optional or (d / T.EXCLUDED_PROC).is_file():
        _load_excluded_proc(catalog, _Rows(d / T.EXCLUDED_PROC, T.EXCLUDED_PROC_COLUMNS))


def _load_excluded_dx(catalog: Catalog, dx_rows: _Rows) -> None:
    for row, r in dx_rows:
        if not DX_CODE.match(r["code"]):
            raise dx_rows.fail(row, "code", f"诊断编码“{r['code']}”格式错误")
        if r["code"] in catalog.excluded_dx:
            catalog.warnings.append(f"{dx_rows.path.name} 第 {row} 行：诊断 {r['code']} 重复列出")
        catalog.excluded_dx[r["code"]] = r["name"]


def _load_excluded_proc(catalog: Catalog, proc_rows: _Rows) -> None:
    for row, r in proc_rows:
        code = proc_rows.parse(row, "code", clean_proc, r["code"])
        if r["mode"] not in T.EXCLUSION_MODES:
            raise proc_rows.fail(row, "mode", f"应为 {'/'.join(T.EXCLUSION_MODES)}，实际为“{r['mode']}”")
        allowed = proc_rows.parse(row, "allowed_dx", expand_dx_list, r["allowed_dx"])
        if (r["mode"] == "principal_if_dx") != bool(allowed):
            raise proc_rows.fail(row, "allowed_dx", "仅 principal_if_dx 方式需要（且必须）列出允许的主要诊断")
        if code in catalog.excluded_proc:
            catalog.warnings.append(f"{proc_rows.path.name} 第 {row} 行：手术 {code} 重复列出")
        catalog.excluded_proc[code] = (r["mode"], frozenset(allowed))


def _load_primary_care(catalog: Catalog, rows: _Rows) -> None:
    for row, r in rows:
        dx = rows.parse(row, "dx", expand_dx_list, r["dx"])
        if not dx:
            raise rows.fail(row, "dx", "基层病种必须列出主要诊断")
        combos = rows.parse(row, "procedures", parse_expression, r["procedures"]) or [()]
        for terms in combos:
            catalog.flag_rules.append(Rule(
                rule_id=len(catalog.rules) + len(catalog.flag_rules) + 1, layer="primary_care",
                layer_order=0, group_code=f"JCBZ{r['seq']}", group_name=r["name"], group_type="flag",
                treatment="", score=None, primary_care=True, rule_ref=f"基层病种 序号 {r['seq']}",
                pdx_keys=tuple(dx), anydx_keys=(), sdx_keys=(),
                proc_mode=PRINCIPAL if terms else CONSERVATIVE, terms=terms, rel_rank=0,
            ))
