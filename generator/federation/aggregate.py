"""Aggregate the usable colleges' published tables with DuckDB: per college, per rule, per group, per quarter.

Only published aggregates are read (nothing row-level exists in them). Small-count suppression stays intact
by one rule, applied at every level: **a sum is published only when every cell it adds up was published.**
A college's compliance.csv leaves `count`/`required` empty where few persons fell short; any college-level
sum over such a cell is suppressed (empty, shown as 已隐去), and so is every province total that includes
a suppressed college sum — otherwise the total minus the published parts would give the hidden cell back.
Sums of published cells are shown as they are, however small: they reveal nothing their parts did not.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from generator.federation.consistency import COMPLIANCE, csv_source
from generator.federation.harvest import Harvested

STATUSES = ("pass", "fail", "notice", "due", "exempt", "n/a")
_WINDOW = """(c.period = 'once' OR (CASE
    WHEN regexp_matches(c.period, '^[0-9]{4}-Q[1-4]$')
        THEN last_day(make_date(CAST(substr(c.period, 1, 4) AS INTEGER),
                                3 * CAST(substr(c.period, 7, 1) AS INTEGER), 1))
    WHEN regexp_matches(c.period, '^[0-9]{4}-[0-9]{2}$')
        THEN last_day(make_date(CAST(substr(c.period, 1, 4) AS INTEGER), CAST(substr(c.period, 6, 2) AS INTEGER), 1))
    WHEN regexp_matches(c.period, '^[0-9]{4}$') THEN make_date(CAST(c.period AS INTEGER), 12, 31)
    END) >= k.as_of - INTERVAL 12 MONTH)"""


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
        connection.execute("CREATE TABLE k (college VARCHAR, as_of DATE, folder VARCHAR)")
        connection.executemany("INSERT INTO k VALUES (?, ?, ?)",
                               [(h.college.code, h.as_of, str(h.folder)) for h in usable])
        for table in ("compliance", "branches", "units", "quarterly", "rules"):
            _load(connection, table, usable, stream=table == "compliance")
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


def _load(connection: duckdb.DuckDBPyConnection, table: str, usable: list[Harvested], stream: bool = False) -> None:
    """One table of every college, with its college code; read as one DuckDB scan over the list of files.

    `stream`: a view, scanned by the one query that reads it, so the largest table is never held in memory.
    """
    files = {str(Path(str(h.folder)) / _path(h, table)): h.college.code for h in usable}
    connection.execute(f"CREATE TEMP TABLE f_{table} (filename VARCHAR, college VARCHAR)")
    connection.executemany(f"INSERT INTO f_{table} VALUES (?, ?)", list(files.items()))
    listed = ", ".join("'" + name.replace("'", "''") + "'" for name in files)
    if stream:  # the contract's columns, checked by verify: no per-file sniffing of 1,500 headers
        columns = ", ".join(f"'{name}': 'VARCHAR'" for name in COMPLIANCE)
        options = f"header = true, auto_detect = false, columns = {{{columns}}}, filename = true"
    else:  # small tables: a college may publish more columns than the portal reads
        options = "header = true, union_by_name = true, filename = true"
    source = csv_source(Path("x")).replace("'x'", f"[{listed}]").replace("header = true", options)
    kind = "VIEW" if stream else "TABLE"
    connection.execute(f"CREATE {kind} {table} AS SELECT f.college, s.* EXCLUDE (filename) FROM {source} s "
                       f"JOIN f_{table} f ON s.filename = f.filename")


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
    rows = connection.execute(f"""
        SELECT c.college, c.rule, c.status, count(*),
               sum(TRY_CAST(c.count AS BIGINT)), sum(TRY_CAST(c.required AS BIGINT)),
               bool_or(coalesce(c.count, '') = '' AND c.status IN ('pass', 'fail', 'notice', 'due')),
               bool_or(coalesce(c.count, '') <> '')
        FROM compliance c JOIN k ON k.college = c.college WHERE {_WINDOW} GROUP BY ALL""").fetchall()
    parts: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for college, rule, status, n, count_sum, required_sum, blank, counted in rows:
        parts[(college, rule)].append((status, n, count_sum, required_sum, blank, counted))
    for (college, rule), items in parts.items():
        counts = dict.fromkeys(STATUSES, 0)
        for status, n, *_ in items:
            counts[status if status in counts else "n/a"] += n
        counted = any(i[5] for i in items)
        hidden = counted and any(i[4] for i in items)  # a blank count beside published ones: suppressed there
        count_sum = None if hidden or not counted else sum(i[2] or 0 for i in items)
        required_sum = None if hidden or not counted else sum(i[3] or 0 for i in items)
        out[college].rules[rule] = RuleFigures(counts, count_sum, required_sum, hidden)
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
