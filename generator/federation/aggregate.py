"""Aggregate the usable colleges' published tables with DuckDB: per college, per rule, per group, per quarter.

Only published aggregates are read (nothing row-level exists in them). Small-count suppression stays intact
by one rule, applied at every level: **a sum is published only when every cell it adds up was published.**
A college's compliance.csv leaves `count`/`required` empty where few persons fell short; any college-level
sum over such a cell is suppressed (empty, shown as 已隐去), and so is every province total that includes
a suppressed college sum — otherwise the total minus the published parts would give the hidden cell back.
Sums of published cells are shown as they are, however small: they reveal nothing their parts did not.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from generator.federation.harvest import Harvested

STATUSES = ("pass", "fail", "notice", "due", "exempt", "n/a")
# A result counts when its period ends no earlier than 12 months before the college's as-of date. Periods are
# once, YYYY, YYYY-Qn or YYYY-MM (verification refuses any other form, consistency.py), so "ends on or after
# the cutoff day" is a comparison of text with the cutoff's year, quarter or month: no date is built per row.
_WINDOW = """(c.period = 'once'
    OR (length(c.period) = 4 AND c.period >= k.cut_year)
    OR (length(c.period) = 7 AND CASE WHEN c.period[6] = 'Q' THEN c.period >= k.cut_quarter
                                      ELSE c.period >= k.cut_month END))"""
_SHOWN = "('pass', 'fail', 'notice', 'due')"  # statuses whose count a college leaves blank when it is suppressed


@dataclass
class RuleFigures:
    """One college's results of one rule over the 12 months before its as-of date (and structural rules)."""

    counts: dict[str, int]
    count_sum: int | None  # None: no figure, or suppressed (see `hidden`)
    required_sum: int | None
    hidden: bool = False

    @property
    def share(self) -> float | None:
        judged = self.counts["pass"] + self.counts["fail"]
        return self.counts["pass"] / judged if judged else None


@dataclass
class CollegeFigures:
    code: str
    as_of: dt.date
    branches: int
    units: int
    members: int
    full_members: int
    rules: dict[str, RuleFigures] = field(default_factory=dict)
    groups: dict[str, tuple[int, int]] = field(default_factory=dict)  # group → (passed, judged), comparable rules
    quarters: list[tuple[str, int, int]] = field(default_factory=list)  # (quarter, judged, passed), all rules

    @property
    def share(self) -> float | None:
        passed, judged = (sum(v[i] for v in self.groups.values()) for i in (0, 1))
        return passed / judged if judged else None


@dataclass
class RuleComparison:
    rule: str
    title: str
    reference: str  # the fingerprint most colleges were judged by
    compared: list[str]  # colleges judged by it
    other: dict[str, str]  # college → its own fingerprint (not compared)
    missing: list[str]  # colleges that did not publish the rule
    counts: dict[str, int] = field(default_factory=dict)  # province totals over the compared colleges
    count_sum: int | None = None
    required_sum: int | None = None
    hidden: bool = False
    members: frozenset[str] = frozenset()  # the compared colleges, for membership tests

    def __post_init__(self) -> None:
        self.members = frozenset(self.compared)

    def includes(self, college: str) -> bool:
        return college in self.members


@dataclass
class Figures:
    colleges: dict[str, CollegeFigures]
    rules: dict[str, RuleComparison]
    groups: list[str]


def aggregate(harvested: list[Harvested]) -> Figures:
    """The figures of every usable college, and each rule compared across the colleges judged alike."""
    usable = [h for h in harvested if h.ok and h.folder is not None]
    connection = duckdb.connect()
    connection.execute("SET enable_progress_bar = false")
    try:
        connection.execute("""
            CREATE TABLE k AS SELECT unnest(?) AS college, CAST(unnest(?) AS DATE) AS as_of""",
                           [[h.college.code for h in usable], [h.as_of for h in usable]])
        connection.execute("""
            CREATE TABLE cut AS SELECT college, strftime(c, '%Y') AS cut_year, strftime(c, '%Y-%m') AS cut_month,
                   strftime(c, '%Y') || '-Q' || CAST(quarter(c) AS VARCHAR) AS cut_quarter
            FROM (SELECT college, as_of - INTERVAL 12 MONTH AS c FROM k)""")
        for table in ("branches", "quarterly", "rules"):
            connection.execute(f"CREATE TABLE {table} AS {scan(usable, table, TYPES[table])}")
        figures = _colleges(connection, usable)
        rules = _compare(connection, usable, figures)
    finally:
        connection.close()
    groups = sorted({rule.split("-")[0] for rule in rules})
    for college in figures.values():
        for group in groups:
            mine = [college.rules[r] for r in rules if r.split("-")[0] == group and rules[r].includes(college.code)
                    and r in college.rules]
            judged = sum(f.counts["pass"] + f.counts["fail"] for f in mine)
            if judged:
                college.groups[group] = (sum(f.counts["pass"] for f in mine), judged)
    return Figures(figures, rules, groups)


# The columns the portal reads of each table, with the type DuckDB reads them as. compliance.csv is 99 % of
# the bytes: its counts are read as integers (verification proved every cell one, consistency.py); the small
# tables are read as text and cast where summed.
TYPES = {
    "compliance": {"rule": "VARCHAR", "period": "VARCHAR", "status": "VARCHAR", "count": "BIGINT",
                   "required": "BIGINT"},
    "branches": {"branch": "VARCHAR", "unit": "VARCHAR", "members": "VARCHAR", "full_members": "VARCHAR"},
    "quarterly": {"quarter": "VARCHAR", "judged": "VARCHAR", "passed": "VARCHAR"},
    "rules": {"rule": "VARCHAR", "title": "VARCHAR"},
}


def scan(usable: list[Harvested], table: str, wanted: dict[str, str]) -> str:
    """A DuckDB query over one table of every college: a `college` column and the `wanted` columns.

    Each file is read once, in one scan over a list of files, with its columns named and typed in advance:
    no sniffing of 1,500 headers, no per-file query. The files are grouped by their header line (a college
    may publish more columns, or in another order, than the portal reads: a later zhibu), one scan a group;
    a file's college comes from its position in the scan's list (DuckDB's `file_index`).
    """
    groups: dict[tuple[str, ...], list[tuple[str, str]]] = defaultdict(list)
    for h in usable:
        path = Path(str(h.folder)) / _path(h, table)
        groups[tuple(header(path))].append((str(path), h.college.code))
    parts = []
    for names, files in groups.items():
        columns = ", ".join(f"'{_quote(name)}': '{wanted.get(name, 'VARCHAR')}'" for name in names)
        listed = ", ".join(f"'{_quote(path)}'" for path, _ in files)
        codes = ", ".join(f"'{_quote(code)}'" for _, code in files)
        picked = ", ".join(f's."{name}"' if name in names else f"CAST(NULL AS {kind}) AS \"{name}\""
                           for name, kind in wanted.items())
        parts.append(f"SELECT [{codes}][CAST(s.file_index AS BIGINT) + 1] AS college, {picked} "
                     f"FROM read_csv([{listed}], header = true, auto_detect = false, delim = ',', quote = '\"', "
                     f"escape = '\"', "
                     f"columns = {{{columns}}}) s")
    if not parts:
        return "SELECT " + ", ".join(["CAST(NULL AS VARCHAR) AS college",
                                      *(f'CAST(NULL AS {kind}) AS "{name}"' for name, kind in wanted.items())]) \
            + " WHERE false"
    return " UNION ALL ".join(parts)


def header(path: Path) -> list[str]:
    """A CSV file's column names (its first record)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle), [])


def _quote(value: str) -> str:
    return value.replace("'", "''")


def _path(harvested: Harvested, table: str) -> str:
    return next(r["path"] for r in harvested.descriptor["resources"] if isinstance(r, dict) and r.get("name") == table)


def _colleges(connection: duckdb.DuckDBPyConnection, usable: list[Harvested]) -> dict[str, CollegeFigures]:
    out: dict[str, CollegeFigures] = {}
    totals = connection.execute("""
        SELECT k.college, k.as_of, count(b.branch), count(DISTINCT b.unit),
               coalesce(sum(TRY_CAST(b.members AS BIGINT)), 0), coalesce(sum(TRY_CAST(b.full_members AS BIGINT)), 0)
        FROM k LEFT JOIN branches b ON b.college = k.college GROUP BY ALL ORDER BY k.college""").fetchall()
    for code, as_of, branches, units, members, full in totals:
        out[code] = CollegeFigures(code, as_of, branches, units, members, full)
    # One pass over every college's compliance.csv: counts by status and the sums, per college and rule.
    rows = connection.execute(f"""
        SELECT c.college, c.rule, {", ".join(f"count(*) FILTER (WHERE c.status = '{s}')" for s in STATUSES[:-1])},
               count(*), sum(c.count), sum(c.required),
               bool_or(c.count IS NULL AND c.status IN {_SHOWN}), bool_or(c.count IS NOT NULL)
        FROM ({scan(usable, "compliance", TYPES["compliance"])}) c JOIN cut k ON k.college = c.college
        WHERE {_WINDOW} GROUP BY ALL ORDER BY c.college, c.rule""").fetchall()
    for college, rule, *counted, total, count_sum, required_sum, blank, published in rows:
        counts = dict(zip(STATUSES, [*counted, total - sum(counted)], strict=True))  # any other status: n/a
        hidden = bool(published and blank)  # a blank count beside published ones: suppressed there
        shown = published and not hidden
        out[college].rules[rule] = RuleFigures(counts, int(count_sum or 0) if shown else None,
                                               int(required_sum or 0) if shown else None, hidden)
    for college, quarter, judged, passed in connection.execute("""
            SELECT college, quarter, sum(TRY_CAST(judged AS BIGINT)), sum(TRY_CAST(passed AS BIGINT))
            FROM quarterly GROUP BY ALL ORDER BY college, quarter""").fetchall():
        out[college].quarters.append((quarter, int(judged or 0), int(passed or 0)))
    return out


def _compare(connection: duckdb.DuckDBPyConnection, usable: list[Harvested],
             figures: dict[str, CollegeFigures]) -> dict[str, RuleComparison]:
    titles = dict(connection.execute(
        "SELECT rule, min(title) FROM rules GROUP BY rule").fetchall())
    order = [r for r, in connection.execute("SELECT rule FROM rules GROUP BY rule ORDER BY rule").fetchall()]
    out = {}
    for rule in order:
        prints = {h.college.code: h.fingerprints[rule] for h in usable if rule in h.fingerprints}
        tally = Counter(prints.values())
        reference = min(tally, key=lambda fp: (-tally[fp], fp))
        compared = sorted(c for c, fp in prints.items() if fp == reference)
        comparison = RuleComparison(rule, titles.get(rule) or rule, reference, compared,
                                    {c: fp for c, fp in sorted(prints.items()) if fp != reference},
                                    sorted(h.college.code for h in usable if rule not in h.fingerprints))
        parts = [figures[c].rules[rule] for c in compared if rule in figures[c].rules]
        comparison.counts = {s: sum(p.counts[s] for p in parts) for s in STATUSES}
        comparison.hidden = any(p.hidden for p in parts)  # a total over a suppressed part would reveal it
        if not comparison.hidden and any(p.count_sum is not None for p in parts):
            comparison.count_sum = sum(p.count_sum or 0 for p in parts)
            comparison.required_sum = sum(p.required_sum or 0 for p in parts)
        out[rule] = comparison
    return out
