"""Set-based CHS-DRG grouping: the ``sql/`` steps run on DuckDB over a whole batch.

The steps read three input tables (``drg_case``, ``drg_dx``, ``drg_proc``) built either from
the workspace (``input_workspace.sql``) or from a case file (``input_file.sql``), and the
pack's lookup tables (``pack_prepare.sql``); they leave ``drg_result`` (case_key, status,
reason, mdc, adrg, drg). Nothing here loops over cases.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from dipdrg.arrow import temp_table_from_arrow
from dipdrg.drg.pack import DrgPack, parse_category_rule
from dipdrg.drg.vocabulary import ATOMS, LEVELS, SEVERITY_RULES
from dipdrg.sqlfiles import run_sql

LEVEL_RANK = {"mcc": 2, "cc": 1, "none": 0}
CASE_STEPS = ("s10_checks", "s20_proc_flags", "s30_mdc_entry", "s40_adrg_match",
              "s50_adrg_choice", "s60_severity", "s70_result")
TEMP_PREFIXES = ("pk_", "drg_")


def run_file(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Run the step file ``sql/<name>.sql``."""
    run_sql(con, "dipdrg.drg", f"sql/{name}.sql")


def prepare_pack(con: duckdb.DuckDBPyConnection, pack: DrgPack) -> None:
    """Load the pack's tables and the vocabulary into temp tables and build the lookups."""
    for name, table in pack.tables.items():
        temp_table_from_arrow(con, f"pk_raw_{name}", table)
    temp_table_from_arrow(con, "pk_switch", pa.table({
        "qy_enabled": [pack.switches["qy_enabled"]],
        "fall_through": [pack.switches["fall_through_after_mdc"]],
        "code_mapping": [pack.switches["code_mapping"]],
    }))
    temp_table_from_arrow(con, "pk_vocab_atom", pa.table({
        "atom": [a.name for a in ATOMS.values()],
        "side": [a.side for a in ATOMS.values()],
        "position": [a.position for a in ATOMS.values()],
    }))
    rules = [(rule, LEVEL_RANK[level]) for rule, levels in SEVERITY_RULES.items()
             for level in LEVELS if level in levels]
    temp_table_from_arrow(con, "pk_vocab_severity", pa.table({
        "rule": [r for r, _ in rules], "level_rank": pa.array([n for _, n in rules], pa.int32()),
    }))
    # proc_category_rule '1&2|1&3&4' as rows (adrg, clause_no, category, clause_size)
    clauses: dict[str, list] = {"adrg": [], "clause_no": [], "category": [], "clause_size": []}
    for row in pack.rows("adrg"):
        for number, clause in enumerate(parse_category_rule(row["proc_category_rule"]) or [], 1):
            for category in sorted(clause):
                clauses["adrg"].append(row["adrg"])
                clauses["clause_no"].append(number)
                clauses["category"].append(category)
                clauses["clause_size"].append(len(clause))
    temp_table_from_arrow(con, "pk_cat_clause", pa.table({
        "adrg": pa.array(clauses["adrg"], pa.string()),
        "clause_no": pa.array(clauses["clause_no"], pa.int32()),
        "category": pa.array(clauses["category"], pa.string()),
        "clause_size": pa.array(clauses["clause_size"], pa.int32()),
    }))
    run_file(con, "pack_prepare")


def run_steps(con: duckdb.DuckDBPyConnection, pack: DrgPack) -> None:
    """Group the cases in drg_case/drg_dx/drg_proc into drg_result."""
    run_file(con, "s15_map_codes" if pack.switches["code_mapping"] else "s15_codes_as_given")
    for step in CASE_STEPS:
        run_file(con, step)


def drop_temp(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the temp views and tables of a grouping so the connection is left as found."""
    for kind, catalog in (("VIEW", "duckdb_views()"), ("TABLE", "duckdb_tables()")):
        names = con.execute(f"SELECT {kind.lower()}_name FROM {catalog} WHERE temporary").fetchall()
        for (name,) in names:
            if name.startswith(TEMP_PREFIXES):
                con.execute(f"DROP {kind} IF EXISTS {name}")
