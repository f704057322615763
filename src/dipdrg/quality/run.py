"""Run the quality catalogue over every case of a workspace, set-based.

One run = three stages inside ``Workspace.run("quality", ...)``:

1. ``conflicts.csv`` is loaded into the temporary table ``qc_conflicts``; the preparation
   steps of ``catalogue.PREPARE`` build temporary tables the rules share: ``qc_case`` (one row
   per case with the derived columns several rules use) and ``qc_dx_limited`` (diagnoses
   limited to one sex or age band);
2. the findings of the previous run are deleted — ``quality_findings`` always holds the
   findings of the latest run for every case (older runs stay listed in ``runs``);
3. one ``INSERT … SELECT`` UNION ALLs every rule file, tagging each row with the rule's id,
   severity and dimension from the catalogue.

Policy values are bound as named parameters (``$upload_deadline_days`` = ``quality.upload_deadline_days``).
A failure anywhere rolls back the whole run, old findings included.
"""

from __future__ import annotations

from typing import Any

from dipdrg.hashing import text_sha256
from dipdrg.policy import Policy
from dipdrg.quality.catalogue import Rule, catalogue_sha256, load_conflicts, load_rules, prepare_steps
from dipdrg.workspace import Workspace
from dipdrg.workspace.fingerprint import cases_fingerprint

PARAMETER_PREFIX = "quality."


def _literal(text: str) -> str:
    """A SQL string literal (catalogue values are validated, but quote them properly anyway)."""
    return "'" + text.replace("'", "''") + "'"


def findings_sql(rules: tuple[Rule, ...]) -> str:
    """The single INSERT that writes the findings of every rule (DuckDB named parameters)."""
    branches = [
        f"SELECT {_literal(r.id)} AS rule_id, {_literal(r.severity)} AS severity, "
        f"{_literal(r.dimension)} AS dimension, r.setl_id, r.field, r.detail\n"
        f"FROM (\n{r.sql}\n) AS r"
        for r in rules
    ]
    return (
        "INSERT INTO quality_findings (run_id, setl_id, rule_id, severity, dimension, field, detail)\n"
        "SELECT $run_id, f.setl_id, f.rule_id, f.severity, f.dimension, f.field, f.detail\nFROM (\n"
        + "\nUNION ALL\n".join(branches)
        + "\n) AS f"
    )


def bound_parameters(rules: tuple[Rule, ...], policy: Policy) -> dict[str, Any]:
    """Policy value of every ``$name`` the rules use (``quality.<name>``)."""
    names = sorted({name for rule in rules for name in rule.parameters})
    return {name: policy.get(PARAMETER_PREFIX + name) for name in names}


def _fingerprint(con: Any, query: str) -> str:
    rows = con.execute(query).fetchall()
    return text_sha256(repr(rows))


def input_hashes(ws: Workspace) -> dict[str, str]:
    """Cheap fingerprints of what the run reads: imported files behind the cases and the
    registry (their sha256s and row counts), the loaded code lists, and the rule files."""
    con = ws.con
    return {
        "cases": cases_fingerprint(con),
        "hospitals": _fingerprint(con, """
            SELECT COUNT(*), MIN(import_id), MAX(import_id) FROM hospitals"""),
        "codes": _fingerprint(con, "SELECT list_id, sha256 FROM code_lists ORDER BY list_id"),
        "rules": catalogue_sha256(),
    }


def run_quality(ws: Workspace, policy: Policy) -> str:
    """Check every case of the workspace against the catalogue; return the run id."""
    rules = load_rules()
    params = bound_parameters(rules, policy)
    insert = findings_sql(rules)
    with ws.run("quality", inputs=input_hashes(ws), parameters=policy.used(PARAMETER_PREFIX)) as run_id:
        con = ws.con
        con.execute(
            "CREATE OR REPLACE TEMP TABLE qc_conflicts (kind VARCHAR, category VARCHAR, sex VARCHAR,"
            " age_min INTEGER, age_max INTEGER, age_unit VARCHAR, label VARCHAR)"
        )
        rows = load_conflicts()
        con.execute(  # one statement: executemany is slow for even a few dozen rows
            "INSERT INTO qc_conflicts VALUES " + ", ".join(["(?, ?, ?, ?, ?, ?, ?)"] * len(rows)),
            [value for row in rows for value in row],
        )
        steps = prepare_steps()
        for table, sql in steps:
            con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS\n{sql}")
        con.execute("DELETE FROM quality_findings")
        con.execute(insert, {"run_id": run_id, **params})
        for table, _ in reversed(steps):
            con.execute(f"DROP TABLE {table}")
        con.execute("DROP TABLE qc_conflicts")
    return run_id


def run_summary(ws: Workspace) -> dict[str, Any]:
    """Totals of the current findings for the CLI: cases, cases with errors/warnings, per rule."""
    con = ws.con
    cases = con.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
    with_error, with_warning = con.execute("""
        SELECT COUNT(DISTINCT CASE WHEN severity = 'error' THEN setl_id END),
               COUNT(DISTINCT CASE WHEN severity = 'warning' THEN setl_id END)
        FROM quality_findings""").fetchone()
    per_rule = dict(con.execute(
        "SELECT rule_id, COUNT(*) FROM quality_findings GROUP BY rule_id ORDER BY rule_id"
    ).fetchall())
    return {"cases": cases, "with_error": with_error, "with_warning": with_warning, "per_rule": per_rule}
