"""Statistics stage: aggregates for the site and the open data (no row-level personal records)."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import statistics as stats
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from generator.ledger.model import Branch, Due, Ledger
from generator.rules import FAIL, PASS, STATUSES, Result
from generator.rules.periods import add_months, month_start, period_of, periods_between

# The development stages counted, in order (development.csv columns; their names: vocabulary.yaml development_stages).
STAGES = ("applied_on", "talked_on", "activist_on", "target_on", "admitted_on", "full_on")


@dataclass
class BranchStats:
    code: str
    unit: str
    name: str
    type: str
    members: int
    full: int
    share: float | None  # passed / judged over the last 12 months and structural rules
    attendance: float | None
    dues_rate: float | None
    fails: int
    dues_owed: float = 0.0
    dues_paid: float = 0.0
    # the distinct rules failed in the window, each with its failed periods: one unpaid member is one rule
    # behind for eight months, not eight problems
    behind: list[tuple[str, list[str]]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class Statistics:
    as_of: dt.date
    branches: dict[str, BranchStats]
    units: dict[str, dict]
    by_type: dict[str, int]
    by_category: dict[str, int]
    share: float | None
    share_trend: list[tuple[str, float | None]]
    by_rule: dict[str, dict[str, int]]
    unit_trend: dict[str, list[tuple[str, float | None]]]
    meetings_monthly: list[dict]
    dues_monthly: list[dict]
    rule_trend: dict[str, list[tuple[str, float | None]]]
    funnel: list[tuple[str, int]]  # (stage, people who reached it)
    stage_days: list[tuple[str, str, float | None]]  # (stage, next stage, median days between them)
    attention: list[BranchStats]


def few_people(result: Result, threshold: int) -> bool:
    """True when a result is about fewer persons falling short than the site may state (min_cell_size).

    The site then says neither how many (no count, no required, no number in the note) nor which rows.
    """
    return result.people is not None and 0 < result.people < threshold


def _share(results: list[Result]) -> float | None:
    judged = [r for r in results if r.status in (PASS, FAIL)]
    return round(sum(r.status == PASS for r in judged) / len(judged), 4) if judged else None


def _window(result: Result, since: dt.date) -> bool:
    """True for structural results and for periods that ended after `since`."""
    return result.period == "once" or _period_end(result.period) >= since


@functools.lru_cache(maxsize=1 << 12)  # a few hundred labels, asked about for every result
def _period_end(label: str) -> dt.date:
    if "-Q" in label:
        year, q = label.split("-Q")
        return period_of("quarter", dt.date(int(year), 3 * int(q), 1)).end
    if "-" in label:
        return period_of("month", month_start(label)).end
    return dt.date(int(label), 12, 31)


def _quarter_of(result: Result) -> str | None:
    return quarter_label(result.period)


@functools.lru_cache(maxsize=1 << 12)
def quarter_label(label: str) -> str | None:
    """The quarter a month's or quarter's period label falls in (2025-03 → 2025-Q1); None for years and once."""
    if label == "once" or ("-" not in label):
        return None
    if "-Q" in label:
        return label
    return period_of("quarter", month_start(label)).label


def compute(ledger: Ledger, results: list[Result], as_of: dt.date) -> Statistics:
    """All aggregates, from the ledger and the compliance results, as of a date."""
    since = add_months(as_of, -12)
    by_branch: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        by_branch[r.branch].append(r)
    branches = {b.code: _branch_stats(b, by_branch[b.code], as_of, since) for b in ledger.branches}
    units: dict[str, dict] = {}
    for code, unit in sorted(ledger.units.items()):
        mine = [s for s in branches.values() if s.unit == code]
        unit_results = [r for b in mine for r in by_branch[b.code] if _window(r, since)]
        owed = sum(s.dues_owed for s in mine)
        units[code] = {"name": unit.name, "kind": unit.kind, "branches": len(mine),
                       "members": sum(s.members for s in mine), "share": _share(unit_results),
                       "dues_rate": round(sum(s.dues_paid for s in mine) / owed, 4) if owed else None}
    quarters = [p.label for p in periods_between("quarter", ledger.organization.records_start, as_of)]
    by_quarter: dict[str, list[Result]] = defaultdict(list)
    unit_quarter: dict[tuple[str, str], list[Result]] = defaultdict(list)
    unit_of = {b.code: b.unit for b in ledger.branches}
    for r in results:
        q = _quarter_of(r)
        if q:
            by_quarter[q].append(r)
            unit_quarter[(unit_of[r.branch], q)].append(r)
    by_rule: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATUSES, 0))
    rule_quarter: dict[tuple[str, str], list[Result]] = defaultdict(list)
    for r in results:
        by_rule[r.rule][r.status] += 1
        q = _quarter_of(r)
        if q:
            rule_quarter[(r.rule, q)].append(r)
    return Statistics(
        as_of=as_of, branches=branches, units=units,
        by_type=dict(sorted(Counter(b.type for b in ledger.branches).items())),
        by_category=dict(sorted(Counter(m.category for b in ledger.branches for m in b.active_members(as_of)).items())),
        share=_share([r for r in results if _window(r, since)]),
        share_trend=[(q, _share(by_quarter[q])) for q in quarters],
        by_rule=dict(sorted(by_rule.items())),
        unit_trend={u: [(q, _share(unit_quarter[(u, q)])) for q in quarters] for u in units},
        meetings_monthly=_meetings_monthly(ledger, as_of), dues_monthly=_dues_monthly(ledger, as_of),
        rule_trend={rule: [(q, _share(rule_quarter[(rule, q)])) for q in quarters]
                    for rule in sorted({rule for rule, _ in rule_quarter})},
        funnel=_funnel(ledger), stage_days=_stage_days(ledger),
        attention=sorted((s for s in branches.values() if s.behind),
                         key=lambda s: (-len(s.behind), -s.fails, s.code))[:10],
    )


def _branch_stats(branch: Branch, results: list[Result], as_of: dt.date, since: dt.date) -> BranchStats:
    recent = [r for r in results if _window(r, since)]
    meetings = [m for m in branch.meetings if since <= m.date <= as_of and m.expected]
    expected = sum(m.expected for m in meetings)
    dues = [d for d in branch.dues if since <= month_start(d.month) <= as_of]
    owed = sum(d.due for d in dues)
    paid = sum(_collected(d, as_of) for d in dues)
    fails = [r for r in recent if r.status == FAIL]
    behind: dict[str, list[str]] = defaultdict(list)
    for r in fails:
        behind[r.rule].append(r.period)
    return BranchStats(
        code=branch.code, unit=branch.unit, name=branch.name, type=branch.type,
        members=len(branch.active_members(as_of)), full=len(branch.full_members(as_of)), share=_share(recent),
        attendance=round(sum(m.present for m in meetings) / expected, 4) if expected else None,
        dues_rate=round(float(paid / owed), 4) if owed else None, fails=len(fails),
        behind=[(rule, sorted(periods)) for rule, periods in behind.items()],
        dues_owed=float(owed), dues_paid=float(paid),
        counts=dict(Counter(r.status for r in results)))


def _meetings_monthly(ledger: Ledger, as_of: dt.date) -> list[dict]:
    rows: dict[str, dict] = {}
    for p in periods_between("month", ledger.organization.records_start, as_of):
        rows[p.label] = {"month": p.label, "expected": 0, "present": 0, "kinds": Counter()}
    for branch in ledger.branches:
        for m in branch.meetings:
            row = rows.get(f"{m.date.year}-{m.date.month:02d}")
            if row is not None:
                row["kinds"][m.kind] += 1
                row["expected"] += m.expected
                row["present"] += m.present
    return list(rows.values())


def _collected(due: Due, as_of: dt.date) -> Decimal:
    """What counts as collected of one month's due: the amount paid by the as-of date, at most the due."""
    if due.paid_on is None or due.paid_on > as_of:
        return Decimal(0)
    return min(due.paid or Decimal(0), due.due)


def _dues_monthly(ledger: Ledger, as_of: dt.date) -> list[dict]:
    """Dues owed and collected (paid in full by the as-of date) per month, over all branches."""
    rows: dict[str, dict[str, Any]] = {p.label: {"month": p.label, "owed": Decimal(0), "paid": Decimal(0)}
            for p in periods_between("month", ledger.organization.records_start, as_of)}
    for branch in ledger.branches:
        for due in branch.dues:
            row = rows.get(due.month)
            if row is not None:
                row["owed"] += due.due
                row["paid"] += _collected(due, as_of)
    for row in rows.values():
        row["rate"] = round(float(row["paid"] / row["owed"]), 4) if row["owed"] else None
    return list(rows.values())


def _funnel(ledger: Ledger) -> list[tuple[str, int]]:
    return branch_funnel(ledger.branches)


def branch_funnel(branches: list[Branch]) -> list[tuple[str, int]]:
    """People who reached each development stage, by stage (counts; publish through `suppress`)."""
    people = [c for b in branches for c in b.development]
    return [(stage, sum(1 for c in people if getattr(c, stage))) for stage in STAGES]


def _stage_days(ledger: Ledger) -> list[tuple[str, str, float | None]]:
    people = [c for b in ledger.branches for c in b.development]
    out: list[tuple[str, str, float | None]] = []
    for a, b in itertools.pairwise(STAGES):
        days = [(getattr(c, b) - getattr(c, a)).days for c in people if getattr(c, a) and getattr(c, b)]
        out.append((a, b, float(stats.median(days)) if days else None))
    return out


def suppress(value: int, threshold: int) -> str:
    """A count safe to publish: small non-zero counts become “<threshold”."""
    return f"<{threshold}" if 0 < value < threshold else str(value)
