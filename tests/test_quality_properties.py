"""Property tests of the date arithmetic in the rules (LOS, full years of age), checked
against an independent Python computation, and a portability guard for the rule SQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlglot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dipdrg.policy import load_policy
from dipdrg.quality.catalogue import load_rules, prepare_steps
from dipdrg.quality.run import run_quality
from dipdrg.sqlfiles import strip_comments
from dipdrg.workspace import init_workspace
from test_quality_fixture import baseline_case, insert_case

stays = st.tuples(
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2026, 12, 31)),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400)),
    st.sampled_from([-1, 0, 0, 1]),
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(stays, min_size=1, max_size=8))
def test_los_rule_matches_calendar_days(tmp_path_factory, samples):
    with init_workspace(tmp_path_factory.mktemp("ws")) as ws:
        expected = set()
        for number, (adm, length, error) in enumerate(samples):
            dscg = adm + length
            los = (dscg.date() - adm.date()).days        # admission + discharge day = one day
            case = baseline_case(f"S{number}")
            case.update(adm_time=adm, dscg_time=dscg, act_ipt_days=los + error, brdy=None,
                        upload_time=dscg, procedures=[])
            insert_case(ws, case)
            if error:
                expected.add(f"S{number}")
        run_quality(ws, load_policy())
        fired = {r[0] for r in ws.con.execute(
            "SELECT setl_id FROM quality_findings WHERE rule_id = 'QC-302'").fetchall()}
        assert fired == expected


births = st.tuples(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 6, 1)),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2026, 12, 31)),
    st.sampled_from([0, 0, 1]),
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(births, min_size=1, max_size=8))
def test_age_rule_matches_full_years(tmp_path_factory, samples):
    with init_workspace(tmp_path_factory.mktemp("ws")) as ws:
        expected = set()
        for number, (born, admitted, error) in enumerate(samples):
            if born > admitted:
                continue
            years = admitted.year - born.year - ((admitted.month, admitted.day) < (born.month, born.day))
            adm = datetime.combine(admitted, datetime.min.time())
            case = baseline_case(f"S{number}")
            case.update(brdy=born, age=years + error, nwb_age=None, adm_time=adm, dscg_time=adm,
                        act_ipt_days=0, upload_time=adm, procedures=[], nwb_bir_wt=3000)
            insert_case(ws, case)
            if error:
                expected.add(f"S{number}")
        run_quality(ws, load_policy())
        fired = {r[0] for r in ws.con.execute(
            "SELECT setl_id FROM quality_findings WHERE rule_id = 'QC-207'").fetchall()}
        assert fired == expected


DUCKDB_ONLY = ("date_diff", "datediff", "date_part", "strftime", "string_agg", "list_", "regexp_", "epoch")


def test_rule_sql_stays_in_the_portable_subset():
    """Every step transpiles to Spark SQL and uses none of the DuckDB-only functions."""
    texts = [sql for _, sql in prepare_steps()] + [rule.sql for rule in load_rules()]
    for text in texts:
        assert sqlglot.transpile(text, read="duckdb", write="spark")
        body = strip_comments(text).lower()
        assert not [name for name in DUCKDB_ONLY if name in body], text.splitlines()[0]
