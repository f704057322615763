"""Every injected behaviour is labelled, and every label shows in the data."""

from __future__ import annotations

import csv
import json
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from dipdrg.cases.fields import FEE_ITEMS
from dipdrg.codes.index import CodeIndex
from dipdrg.synth.region import generate_region
from dipdrg.synth.tables import DATA, load_parameters

CASE_KINDS = {"low_standard_admission", "upcode_principal", "upcode_add_complication", "under_service",
              "over_long_stay", "split_admission", "invalid_code", "sex_conflict", "reversed_dates",
              "fee_sum_mismatch", "late_upload", "symptom_principal", "missing_gender", "missing_birth_weight"}
HOSPITAL_KINDS = {"upcoding", "split_admission", "low_standard_admission", "under_service", "over_long_stay"}


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("behaviours")
    generate_region(out, seed=5, cases_per_year=5000, years=2)
    return out


@pytest.fixture(scope="module")
def con(region):
    c = duckdb.connect()
    c.execute(f"create view s as select * from read_parquet('{region}/settlements/*.parquet')")
    c.execute(f"create view l as select * from read_csv('{region}/labels.csv', all_varchar = true)")
    c.execute(f"create view h as select * from read_csv('{region}/hospitals.csv', all_varchar = true)")
    return c


def _ids(con, kind: str) -> set[str]:
    return {r[0] for r in con.execute("select id from l where scope = 'case' and kind = ?", [kind]).fetchall()}


def _conditions() -> dict[str, dict]:
    with open(DATA / "conditions.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    codes = [r["dx_code"] for r in rows]
    return {r["dx_code"]: r for r in rows if codes.count(r["dx_code"]) == 1}  # Z51.x rows repeat


def test_every_behaviour_is_labelled_and_labels_point_at_existing_stays(con):
    kinds = {r[0] for r in con.execute("select distinct kind from l where scope = 'case'").fetchall()}
    assert CASE_KINDS <= kinds
    hosp = {r[0] for r in con.execute("select distinct kind from l where scope = 'hospital'").fetchall()}
    assert hosp == HOSPITAL_KINDS
    missing = con.execute("select count(*) from l where scope = 'case' and id not in (select setl_id from s)").fetchone()[0]
    assert missing == 0
    unknown = con.execute("select count(*) from l where scope = 'hospital' and id not in (select fixmedins_code from h)").fetchone()[0]
    assert unknown == 0


def test_case_behaviours_happen_only_at_the_labelled_hospitals(con):
    for case_kind, hosp_kind in (("upcode_principal", "upcoding"), ("upcode_add_complication", "upcoding"),
                                 ("split_admission", "split_admission"), ("under_service", "under_service"),
                                 ("over_long_stay", "over_long_stay"),
                                 ("low_standard_admission", "low_standard_admission")):
        outside = con.execute("""select count(*) from l join s on l.id = s.setl_id
            where l.kind = ? and s.fixmedins_code not in (select id from l where scope = 'hospital' and kind = ?)""",
                              [case_kind, hosp_kind]).fetchone()[0]
        assert outside == 0, case_kind


def test_fee_sum_mismatch_is_exactly_the_labelled_stays_and_amount(con):
    fee_sum = " + ".join(c for _, c, _ in FEE_ITEMS)
    rows = con.execute(f"select setl_id, medfee_sumamt - ({fee_sum}) from s where medfee_sumamt <> {fee_sum}").fetchall()
    details = dict(con.execute("select id, detail from l where kind = 'fee_sum_mismatch'").fetchall())
    assert {r[0] for r in rows} == set(details)
    for setl_id, diff in rows:
        assert Decimal(re.search(r"多 ([\d.]+) 元", details[setl_id]).group(1)) == diff
    # the payment split always adds up, including on the mismatching stays
    bad = con.execute("""select count(*) from s where medfee_sumamt <> hifp_pay + psn_selfpay + psn_ownpay
                         or acct_pay + psn_cashpay <> psn_selfpay + psn_ownpay""").fetchone()[0]
    assert bad == 0


def test_reversed_dates_and_late_uploads_are_exactly_the_labelled_stays(con):
    reversed_rows = {r[0] for r in con.execute("select setl_id from s where adm_time > dscg_time").fetchall()}
    assert reversed_rows == _ids(con, "reversed_dates")
    late = {r[0] for r in con.execute("""select setl_id from s where upload_time >
        greatest(adm_time, dscg_time) + interval 7 day""").fetchall()}
    assert late == _ids(con, "late_upload")


def test_invalid_codes_and_sex_conflicts_are_visible(con, region):
    invalid = set(load_parameters()["behaviours"]["invalid_codes"])
    rows = con.execute("select main_diag_code from s where setl_id in (select id from l where kind = 'invalid_code')").fetchall()
    assert rows and all(r[0] in invalid for r in rows)
    assert con.execute("select count(*) from s where main_diag_code in (select unnest(?))", [sorted(invalid)]).fetchone()[0] == len(rows)
    conditions = _conditions()
    conflicts = _ids(con, "sex_conflict")
    checked = 0
    for setl_id, gend, code in con.execute("select setl_id, gend, main_diag_code from s where gend in ('1', '2')").fetchall():
        share = conditions.get(code, {}).get("male_share")
        if share in ("0", "1"):
            conflict = (share == "0") == (gend == "1")
            assert conflict == (setl_id in conflicts), (setl_id, code, gend)
            checked += conflict
    assert checked == len(conflicts) > 0
    # an empty sex is exactly the labelled omission, and never hides a labelled conflict
    empty = {r[0] for r in con.execute("select setl_id from s where gend is null").fetchall()}
    assert empty == _ids(con, "missing_gender") and empty and not empty & conflicts


def test_neonates_lack_a_birth_weight_only_where_labelled(con):
    missing = {r[0] for r in con.execute("""select setl_id from s
        where nwb_age between 0 and 28 and nwb_bir_wt is null""").fetchall()}
    assert missing == _ids(con, "missing_birth_weight") and missing


def test_symptom_principal_beside_a_definite_diagnosis_is_a_labelled_error(con):
    """R00–R99 as principal with a definite (not R, V–Y, Z) other diagnosis: only when labelled."""
    rows = {r[0] for r in con.execute("""select setl_id from s where main_diag_code like 'R%' and exists (
        select 1 from unnest(string_split(other_diag_codes, '|')) t(c) where left(c, 1) not in ('R', 'V', 'W', 'X', 'Y', 'Z'))""").fetchall()}
    labelled = _ids(con, "symptom_principal")
    assert labelled and labelled <= rows
    assert rows - labelled <= _ids(con, "upcode_add_complication")   # an added complication is labelled too


def test_split_admissions_are_readmissions_within_15_days(con):
    pairs = con.execute("""
        select a.setl_id, b.setl_id, a.psn_no = b.psn_no, a.fixmedins_code = b.fixmedins_code,
               a.main_diag_code = b.main_diag_code, date_diff('day', a.dscg_time::date, b.adm_time::date)
        from l la join s a on la.id = a.setl_id
        join l lb on lb.kind = 'split_admission' and lb.detail like '%' || a.setl_id || '%' and la.detail like '%' || lb.id || '%'
        join s b on lb.id = b.setl_id
        where la.kind = 'split_admission' and a.dscg_time < b.adm_time""").fetchall()
    assert len(pairs) * 2 == len(_ids(con, "split_admission")) > 0
    for _, _, same_psn, same_hosp, same_dx, gap in pairs:
        assert same_psn and same_hosp and 1 <= gap <= 15


def test_upcoding_changes_codes_not_costs(con):
    recoded = _ids(con, "invalid_code")  # a data-entry error may later overwrite the up-coded code
    for setl_id, code, detail in con.execute("""select s.setl_id, s.main_diag_code, l.detail from l
            join s on l.id = s.setl_id where l.kind = 'upcode_principal'""").fetchall():
        if setl_id in recoded:
            continue
        old, new = re.search(r"由 (\S+) 上调为 (\S+)，", detail).groups()
        assert code == new and _conditions()[old]["upcode_to"] == new
    for others, detail in con.execute("""select s.other_diag_codes, l.detail from l join s on l.id = s.setl_id
            where l.kind = 'upcode_add_complication'""").fetchall():
        added = re.search(r"编码 (\S+)，", detail).group(1)
        assert added in others.split("|")


def test_under_service_long_stays_and_low_standard_admissions_show_in_cost_and_los(con):
    conditions = _conditions()
    ratio = con.execute("""select median(s.medfee_sumamt / t.med) from s join l on l.id = s.setl_id
        join (select main_diag_code, fixmedins_code, median(medfee_sumamt) med from s
              where setl_id not in (select id from l where scope = 'case') group by all) t using (main_diag_code, fixmedins_code)
        where l.kind = 'under_service'""").fetchone()[0]
    assert ratio < Decimal("0.6")
    long_los = con.execute("select min(act_ipt_days) from s join l on l.id = s.setl_id where l.kind = 'over_long_stay'").fetchone()[0]
    assert long_los >= 8
    for code, los in con.execute("""select main_diag_code, act_ipt_days from s join l on l.id = s.setl_id
                                     where l.kind = 'low_standard_admission'""").fetchall():
        assert 1 <= los <= 3
        assert code in conditions and conditions[code]["low_standard"] == "1"


def test_uploads_of_unlabelled_stays_are_within_seven_days(con):
    worst = con.execute("""select max(upload_time - dscg_time) from s
        where setl_id not in (select id from l where kind in ('late_upload', 'reversed_dates'))""").fetchone()[0]
    assert timedelta(0) < worst < timedelta(days=7)


def test_messy_region_has_gbk_part_broken_rows_and_messy_codes(tmp_path):
    generate_region(tmp_path, seed=2, cases_per_year=1500, years=2, hospitals=10, messy=True)
    gbk = tmp_path / "settlements" / "2025-part000.csv"
    raw = gbk.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    lines = raw.decode("gbk").split("\n")
    header = next(csv.reader([lines[0]]))
    with open(tmp_path / "labels.csv", encoding="utf-8") as fh:
        labels = list(csv.DictReader(fh))
    broken = [r for r in labels if r["kind"] == "broken_row"]
    assert len(broken) == load_parameters()["messy"]["broken_rows"]
    by_id = {next(csv.reader([ln]))[0]: ln for ln in lines[1:] if ln}
    for label in broken:
        fields = next(csv.reader([by_id[label["id"]]]))
        if "截断" in label["detail"]:
            assert len(fields) < len(header)
        else:
            assert fields[header.index("medfee_sumamt")] == "约三千元"
    # messy codes normalise with the region's own code lists and 国临版 crosswalks
    codes = {r["code"] for r in csv.DictReader(open(tmp_path / "codes" / "diagnoses.csv", encoding="utf-8"))}
    con = duckdb.connect()
    messy = {r["id"]: r["detail"] for r in labels if r["kind"] == "messy_code"}
    rows = con.execute(f"select setl_id, main_diag_code from read_parquet('{tmp_path}/settlements/2026-*.parquet')").fetchall()
    index = CodeIndex.from_files(**_code_files(tmp_path))
    invalid = {r["id"] for r in labels if r["kind"] == "invalid_code"}
    seen = 0
    for setl_id, code in rows:
        if setl_id not in messy or setl_id in invalid:
            continue
        result = index.normalise(code, "diagnosis")
        assert result.code in codes and code != result.code, (code, result)
        seen += 1
    assert seen > 0


def _code_files(region: Path, crosswalks: bool = True) -> dict[str, Path]:
    files = {"diagnoses": region / "codes" / "diagnoses.csv", "procedures": region / "codes" / "procedures.csv",
             "categories": region / "codes" / "procedures.csv"}
    if crosswalks:
        files |= {"dx_crosswalk": region / "codes" / "dx-crosswalk.csv",
                  "proc_crosswalk": region / "codes" / "proc-crosswalk.csv"}
    return files


def test_messy_clinical_codes_normalise_only_through_the_written_crosswalks(tmp_path):
    """The 国临版 codes a --messy region writes are exactly crosswalk sources; loading the crosswalk
    maps each to its 医保版 target, without it they are not valid codes."""
    generate_region(tmp_path, seed=8, cases_per_year=2500, years=2, hospitals=10, messy=True)
    with_cw = CodeIndex.from_files(**_code_files(tmp_path))
    without = CodeIndex.from_files(**_code_files(tmp_path, crosswalks=False))
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    for name, kind in (("dx-crosswalk.csv", "diagnosis"), ("proc-crosswalk.csv", "procedure")):
        assert "国临版" in manifest["files"][f"codes/{name}"]["description"]
        with open(tmp_path / "codes" / name, encoding="utf-8") as fh:
            pairs = [(r["source_code"], r["target_code"]) for r in csv.DictReader(fh)]
        assert pairs, name
        for source, target in pairs:
            assert without.normalise(source, kind).code is None, source
            mapped = with_cw.normalise(source, kind)
            assert (mapped.code, mapped.status) == (target, "mapped"), source
    with open(tmp_path / "labels.csv", encoding="utf-8") as fh:
        clinical = {r["id"] for r in csv.DictReader(fh) if r["kind"] == "messy_code" and "国临版" in r["detail"]}
    with open(tmp_path / "codes" / "dx-crosswalk.csv", encoding="utf-8") as fh:
        sources = {r["source_code"] for r in csv.DictReader(fh)}
    written = {code for setl_id, code in duckdb.connect().execute(
        f"select setl_id, main_diag_code from read_parquet('{tmp_path}/settlements/2026-*.parquet')").fetchall()
        if setl_id in clinical and "." in code}   # without a 国临版 code the form is the undotted one
    assert written and written <= sources


def test_stays_made_longer_or_shorter_keep_birth_and_procedure_dates_consistent(tmp_path, monkeypatch):
    """Over-long and under-served stays move the admission: an infant's birth date moves with it
    (its age in days is unchanged, never born after admission) and procedure days stay inside."""
    import dipdrg.synth.tables as tables_module

    params = load_parameters()
    bp = params["behaviours"]
    bp.update(long_stay_hospitals=40, long_stay_rate=0.5, under_service_hospitals=40, under_service_rate=0.3)
    monkeypatch.setattr(tables_module, "load_parameters", lambda: params)
    generate_region(tmp_path, seed=9, cases_per_year=4000, years=1, hospitals=12)
    con = duckdb.connect()
    con.execute(f"create view s as select * from read_parquet('{tmp_path}/settlements/*.parquet')")
    con.execute(f"create view l as select * from read_csv('{tmp_path}/labels.csv', all_varchar = true)")
    moved = "(select id from l where kind in ('over_long_stay', 'under_service'))"
    reversed_ids = "(select id from l where kind = 'reversed_dates')"
    infants = con.execute(f"""select count(*), count(*) filter (where nwb_age <> adm_time::date - brdy or brdy > adm_time::date)
        from s where setl_id in {moved} and nwb_age is not null and setl_id not in {reversed_ids}""").fetchone()
    assert infants[0] > 10 and infants[1] == 0
    assert con.execute("select count(*) from s where brdy > least(adm_time, dscg_time)::date").fetchone()[0] == 0
    outside = con.execute(f"""select count(*) from (select adm_time::date a, dscg_time::date d,
        unnest(string_split(oprn_dates, '|'))::date o from s where oprn_dates is not null
        and setl_id not in {reversed_ids}) where o < a or o > d""").fetchone()[0]
    assert outside == 0
    long_icu = con.execute(f"""select count(*) from s where setl_id in {moved} and icu_minutes is not null
        and cast(split_part(icu_minutes, '/', 1) as int) > act_ipt_days""").fetchone()[0]
    assert long_icu == 0
