"""The printable annual ledger (年度台账) of a branch: one year's records as plain rows for the ledger template.

Only pseudonymous ids appear (members and candidates are codes in the records); dues are summed per month.
The page is of kind `annual_ledger` of the 党务公开目录, which can only be Party (site/audience.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from generator.rules import Result
from generator.rules.dues import paid_in_full, rounding_unit
from generator.rules.periods import ONCE

if TYPE_CHECKING:
    from generator.ledger.model import Branch, Candidate, Exemption, Meeting

STAGES = ("applied_on", "talked_on", "activist_on", "target_on", "admitted_on", "full_on")


@dataclass
class DuesMonth:
    month: str
    rows: int  # members owing dues that month
    paid_in_full: int
    owed: Decimal
    paid: Decimal

    @property
    def rate(self) -> float | None:
        return self.paid_in_full / self.rows if self.rows else None


@dataclass
class AnnualLedger:
    """What the ledger of one branch and year lists, each section in the order the page prints it."""

    year: int
    meetings: list[Meeting] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    exemptions: list[Exemption] = field(default_factory=list)
    dues: list[DuesMonth] = field(default_factory=list)
    development: list[Candidate] = field(default_factory=list)


def ledger_years(results: list[Result]) -> list[int]:
    """The years a branch has judged periods in, newest first (the years its checklist shows)."""
    return sorted({int(r.period[:4]) for r in results if r.period != ONCE}, reverse=True)


def annual_ledger(branch: Branch, results: list[Result], year: int, settings: dict[str, Any]) -> AnnualLedger:
    """One year of a branch's records, as the ledger prints them (`settings`: the organisation's, for the
    rounding of dues amounts the dues rules apply)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    prefix = str(year)
    return AnnualLedger(
        year=year,
        meetings=sorted((m for m in branch.meetings if m.date.year == year), key=lambda m: (m.date, m.line)),
        results=sorted((r for r in results if r.period != ONCE and r.period.startswith(prefix)),
                       key=lambda r: (r.rule, r.period)),
        exemptions=[e for e in branch.exemptions if e.start <= end and e.expires_on >= start],
        dues=_dues(branch, prefix, rounding_unit(settings)),
        development=[c for c in branch.development
                     if any((d := getattr(c, s)) is not None and d.year == year for s in STAGES)])


def _dues(branch: Branch, prefix: str, quantum: Decimal) -> list[DuesMonth]:
    months: dict[str, DuesMonth] = {}
    for d in branch.dues:
        if not d.month.startswith(prefix):
            continue
        row = months.setdefault(d.month, DuesMonth(d.month, 0, 0, Decimal(0), Decimal(0)))
        row.rows += 1
        row.owed += d.due
        row.paid += d.paid or Decimal(0)
        row.paid_in_full += paid_in_full(d, quantum)
    return [months[m] for m in sorted(months)]
