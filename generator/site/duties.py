"""What the site says about a branch's other duties: 组织生活会 rectification counts per year (never internal text),
民主评议党员 grades as counts with small-count suppression."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from generator.ledger.model import Branch, Ledger, Rectification
from generator.rules.periods import add_months

PUBLIC = "否"  # rectification.csv internal: only an explicit 否 lets the site show an item's text


@dataclass(frozen=True)
class RectificationYear:
    """The items raised at one year's 组织生活会, counted on the as-of date."""

    year: int
    items: int
    closed: int
    overdue: int  # open after their due date
    public: tuple[tuple[str, str], ...] = field(default=())  # (text, state) of items the school agreed to publish

    @property
    def open(self) -> int:
        return self.items - self.closed

    @property
    def share(self) -> float | None:
        return round(self.closed / self.items, 4) if self.items else None


def rectification_years(branch: Branch, as_of: dt.date) -> list[RectificationYear]:
    """Per year of the 组织生活会 that raised them, newest first: items, closed, overdue; public texts only."""
    years: dict[int, list] = {}
    for item in branch.rectification:
        year = branch.rectification_year(item)
        if year is not None and year <= as_of.year:
            years.setdefault(year, []).append(item)
    out = []
    for year, items in sorted(years.items(), reverse=True):
        public = tuple((i.item, _state(i, as_of)) for i in items if i.internal == PUBLIC and i.item)
        out.append(RectificationYear(year, len(items), sum(not i.open_on(as_of) for i in items),
                                     sum(i.overdue_on(as_of) for i in items), public))
    return out


def _state(item: Rectification, as_of: dt.date) -> str:
    if not item.open_on(as_of):
        return "已完成"
    return "逾期未完成" if item.overdue_on(as_of) else f"整改中（期限 {item.due}）"


def college_rectification(ledger: Ledger, as_of: dt.date) -> list[RectificationYear]:
    """The whole college's items per year (counts only: no text), newest first."""
    totals: dict[int, list[int]] = {}
    for branch in ledger.branches:
        for found in rectification_years(branch, as_of):
            row = totals.setdefault(found.year, [0, 0, 0])
            row[0] += found.items
            row[1] += found.closed
            row[2] += found.overdue
    return [RectificationYear(year, items, closed, overdue)
            for year, (items, closed, overdue) in sorted(totals.items(), reverse=True)]


GRADES = ("excellent", "qualified", "basic", "unqualified", "ungraded")  # appraisal.csv's counts (vocabulary keys)


@dataclass(frozen=True)
class AppraisalYear:
    """One year's 民主评议党员 results: the members in each grade (GRADES order), over `branches` branches."""

    year: int
    counts: tuple[int, ...]
    branches: int = 1


def appraisal_years(branches: list[Branch], as_of: dt.date) -> list[AppraisalYear]:
    """The grades of the given branches summed per appraised year, newest first (counts, never who)."""
    totals: dict[int, list[int]] = {}
    seen: dict[int, int] = {}
    for branch in branches:
        for row in branch.appraisal:
            if row.year > as_of.year:
                continue
            found = totals.setdefault(row.year, [0] * len(GRADES))
            for i, grade in enumerate(GRADES):
                found[i] += getattr(row, grade)
            seen[row.year] = seen.get(row.year, 0) + 1
    return [AppraisalYear(year, tuple(counts), seen[year]) for year, counts in sorted(totals.items(), reverse=True)]


def suppressed_cells(counts: tuple[int, ...] | list[int], threshold: int) -> list[str]:
    """Counts safe to publish side by side: each small non-zero count becomes “<threshold”, and when only one
    is small the next smallest non-zero count is hidden too, so that no small count follows from the total."""
    small = [i for i, n in enumerate(counts) if 0 < n < threshold]
    if len(small) == 1:
        others = sorted((n, i) for i, n in enumerate(counts) if n and i not in small)
        if others:
            small.append(others[0][1])
    return ["—" if i in small and counts[i] >= threshold else f"<{threshold}" if i in small else str(n)
            for i, n in enumerate(counts)]


def relationship_counts(ledger: Ledger, as_of: dt.date) -> list[tuple[str, int]]:
    """组织关系 on the as-of date, across the college (persons: the template suppresses small counts)."""
    members = [m for b in ledger.branches for m in b.members if m.active(as_of)]
    away = [m for m in members if m.away_on(as_of)]
    retained = [m for m in members if m.retained_since and m.retained_since <= as_of]
    lost = [m for m in members if m.lost_on(as_of)]
    return [("外出、组织关系仍在本校的党员", len(away)),
            ("其中外出已满6个月（应转移组织关系，MB-01）", sum(add_months(m.away_since, 6) <= as_of
                                                   for m in away if m.away_since)),
            ("组织关系保留在学校的毕业生党员", len(retained)),
            ("其中保留已超过2年（HE-04）", sum(add_months(m.retained_since, 24) < as_of
                                        for m in retained if m.retained_since)),
            ("失去联系的党员", len(lost)),
            ("其中失去联系已满6个月（MB-02）", sum(add_months(m.lost_contact_since, 6) <= as_of
                                          for m in lost if m.lost_contact_since))]
