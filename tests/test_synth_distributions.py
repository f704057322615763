"""Distributions of the generated region checked against the generator's own parameters."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb
import pytest

from dipdrg.cases.fields import FEE_ITEMS
from dipdrg.synth.region import generate_region
from dipdrg.synth.tables import DATA, load_parameters

PARAMS = load_parameters()


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    out: Path = tmp_path_factory.mktemp("dist")
    generate_region(out, seed=21, cases_per_year=6000, years=2)
    c = duckdb.connect()
    c.execute(f"create view s as select * from read_parquet('{out}/settlements/*.parquet')")
    c.execute(f"create view h as select * from read_csv('{out}/hospitals.csv', all_varchar = true)")
    c.execute(f"create view l as select * from read_csv('{out}/labels.csv', all_varchar = true)")
    c.execute("""create view clean as select s.*, h.hosp_lv from s join h using (fixmedins_code)
                  where setl_id not in (select id from l where scope = 'case')""")
    with open(DATA / "conditions.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    c.execute("create table cond (dx_code varchar, male_share double, age_profile varchar, birth_weight varchar)")
    once = [r for r in rows if sum(x["dx_code"] == r["dx_code"] for x in rows) == 1]  # Z51.x rows repeat
    c.executemany("insert into cond values (?, ?, ?, ?)",
                  [(r["dx_code"], float(r["male_share"]), r["age_profile"], r["birth_weight"]) for r in once])
    return c


def test_fee_items_sum_exactly_to_the_total_on_clean_stays(con):
    fee_sum = " + ".join(c for _, c, _ in FEE_ITEMS)
    assert con.execute(f"select count(*) from clean where medfee_sumamt <> {fee_sum}").fetchone()[0] == 0
    assert con.execute("select count(*) from clean where least(fee_bed, fee_wm, fee_material, fee_other) < 0").fetchone()[0] == 0


def test_mean_cost_rises_with_hospital_level(con):
    means = dict(con.execute("select hosp_lv, avg(medfee_sumamt) from clean group by 1").fetchall())
    assert means["1"] < means["2"] < means["3"]


def test_same_condition_costs_more_at_a_higher_level_by_about_the_level_factor(con):
    """Median over common conditions of (三级 mean / 二级 mean) ≈ cost_factor[三级] / cost_factor[二级]."""
    ratio = con.execute("""with m as (
            select main_diag_code, hosp_lv, avg(medfee_sumamt) mean, count(*) n from clean
            where dscg_way = '1' and icu_minutes is null group by 1, 2)
        select median(a.mean / b.mean) from m a join m b using (main_diag_code)
        where a.hosp_lv = '3' and b.hosp_lv = '2' and a.n >= 20 and b.n >= 20""").fetchone()[0]
    expected = PARAMS["levels"]["cost_factor"][2] / PARAMS["levels"]["cost_factor"][1]
    assert expected * 0.8 < float(ratio) < expected * 1.25


def test_cost_grows_with_inflation_between_years(con):
    """Same condition and hospital level, next year: the median ratio is about 1 + inflation."""
    ratio = con.execute("""with m as (
            select main_diag_code, hosp_lv, year(dscg_time) y, median(medfee_sumamt) med, count(*) n from clean
            where dscg_way = '1' and icu_minutes is null group by 1, 2, 3)
        select median(b.med / a.med) from m a join m b using (main_diag_code, hosp_lv)
        where a.y = 2025 and b.y = 2026 and a.n >= 30 and b.n >= 30""").fetchone()[0]
    assert abs(float(ratio) - (1 + PARAMS["region"]["inflation"])) < 0.05


def test_readmission_rate_is_within_the_generator_bounds(con):
    total, readmitted = con.execute("""select count(*), count(*) filter (where rn > 1) from (
        select row_number() over (partition by psn_no order by adm_time) rn from s)""").fetchone()
    rate = readmitted / total
    p = PARAMS["region"]["readmission_rate"]
    assert 0.3 * p < rate < 1.2 * p + 0.02   # partner search can fail; split admissions add a little


def test_sex_profiles_are_respected(con):
    rows = con.execute("""select c.male_share, avg(case when gend = '1' then 1 else 0 end), count(*) from clean
        join cond c on c.dx_code = clean.main_diag_code group by 1 having count(*) >= 200""").fetchall()
    assert len(rows) >= 5
    for share, observed, n in rows:
        assert abs(observed - share) < 4 * (share * (1 - share) / n) ** 0.5 + 0.08, (share, observed, n)
    one_sex = con.execute("""select count(*) from clean join cond c on c.dx_code = clean.main_diag_code
        where (c.male_share = 0 and gend = '1') or (c.male_share = 1 and gend = '2')""").fetchone()[0]
    assert one_sex == 0


def test_age_profiles_and_neonates(con):
    for profile, (_, _, lo, hi) in PARAMS["age_profiles"].items():
        if profile == "NEO":
            continue
        low, high = con.execute("""select min(age), max(age) from clean join cond c on c.dx_code = clean.main_diag_code
            where c.age_profile = ?""", [profile]).fetchone()
        if low is not None:
            assert lo - 5 <= low and high <= hi + 5, profile   # readmissions reuse a patient's birth date
    neo = con.execute("""select min(nwb_age), max(nwb_age), count(*) filter (where nwb_bir_wt is null), count(*),
        count(*) filter (where age <> 0) from clean join cond c on c.dx_code = clean.main_diag_code
        where c.age_profile = 'NEO'""").fetchone()
    assert neo[0] >= 0 and neo[1] <= 28 and neo[2] == 0 and neo[3] > 50 and neo[4] == 0
    # P07.0 (extremely low birth weight) under 1000 g; weights in 10 g steps
    bw = con.execute("""select max(nwb_bir_wt), count(*) filter (where nwb_bir_wt % 10 <> 0) from clean
        where main_diag_code = 'P07.000'""").fetchone()
    assert bw[0] is None or (bw[0] < 1300 and bw[1] == 0)


def test_durations_use_day_hour_minute_text_and_long_ventilation_has_its_code(con):
    texts = con.execute("select icu_minutes, vent_used_minutes, oprn_codes from clean where icu_minutes is not null").fetchall()
    assert len(texts) > 20
    pattern = re.compile(r"^\d+/(\d|1\d|2[0-3])/(\d|[1-5]\d)$")
    for icu, vent, procs in texts:
        assert pattern.match(icu)
        if vent:
            d, h, m = (int(x) for x in vent.split("/"))
            minutes = d * 1440 + h * 60 + m
            assert ("96.7200" in procs) == (minutes >= 96 * 60)
            assert ("96.7100" in procs) == (minutes < 96 * 60)


def test_procedure_dates_fall_inside_the_stay_and_los_matches_dates(con):
    bad_los = con.execute("""select count(*) from clean
        where act_ipt_days <> date_diff('day', adm_time::date, dscg_time::date)""").fetchone()[0]
    assert bad_los == 0
    outside = con.execute("""select count(*) from (select adm_time::date a, dscg_time::date d,
        unnest(string_split(oprn_dates, '|'))::date o from clean where oprn_dates is not null) where o < a or o > d""").fetchone()[0]
    assert outside == 0
    counts = con.execute("""select count(*) from clean where oprn_codes is not null and
        len(string_split(oprn_codes, '|')) <> len(string_split(oprn_dates, '|'))""").fetchone()[0]
    assert counts == 0


def test_insurance_types_and_fund_share_by_type(con):
    rows = dict(con.execute("""select insutype, sum(hifp_pay) / sum(medfee_sumamt) from clean group by 1""").fetchall())
    assert set(rows) == {"310", "390"}
    assert rows["310"] > rows["390"]
    assert con.execute("select count(*) from clean where insutype = '390' and acct_pay <> 0").fetchone()[0] == 0
