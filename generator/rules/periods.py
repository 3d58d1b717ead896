"""Calendar periods (month, quarter, year) and month arithmetic used by the rules."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Period:
    """A closed date range with a stable label such as 2025-03, 2025-Q1 or 2025."""

    start: dt.date
    end: dt.date
    label: str

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


ONCE = "once"
PERIODIC = ("month", "quarter", "year")  # the calendar periods period_of knows; ONCE is judged on the as-of date


@functools.lru_cache(maxsize=1 << 16)  # the rules and statistics ask about a few hundred periods millions of times
def period_of(kind: str, day: dt.date) -> Period:
    """The period of the given kind that contains a day."""
    if kind == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return Period(day.replace(day=1), day.replace(day=last), f"{day.year}-{day.month:02d}")
    if kind == "quarter":
        q = (day.month - 1) // 3
        start = dt.date(day.year, 3 * q + 1, 1)
        end = dt.date(day.year, 3 * q + 3, calendar.monthrange(day.year, 3 * q + 3)[1])
        return Period(start, end, f"{day.year}-Q{q + 1}")
    if kind == "year":
        return Period(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), str(day.year))
    raise ValueError(f"unknown period kind {kind!r}")


def periods_between(kind: str, start: dt.date, end: dt.date) -> list[Period]:
    """Every period of a kind from the one containing start to the one containing end."""
    found: list[Period] = []
    current = period_of(kind, start)
    while current.start <= end:
        found.append(current)
        if current.end == dt.date.max:
            break
        current = period_of(kind, current.end + dt.timedelta(days=1))
    return found


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day n months later, clamped to the month's end (2024-01-31 + 1 month = 2024-02-29).

    Beyond the calendar (a record dated 9999-12-31 plus a term) the result saturates at date.max/min.
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        return dt.date.max if year > dt.MAXYEAR else dt.date.min
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: dt.date, years: int) -> dt.date:
    return add_months(day, 12 * years)


@functools.lru_cache(maxsize=1 << 16)
def month_start(label: str) -> dt.date:
    """First day of a YYYY-MM month label."""
    year, month = label.split("-")
    return dt.date(int(year), int(month), 1)


@functools.lru_cache(maxsize=1 << 12)
def period_of_label(kind: str, label: str) -> Period:
    """The period a label names: 2025-03 (month), 2025-Q1 (quarter) or 2025 (year)."""
    if kind == "month":
        return period_of("month", month_start(label))
    if kind == "quarter":
        year, q = label.split("-Q")
        return period_of("quarter", dt.date(int(year), 3 * int(q) - 2, 1))
    return period_of("year", dt.date(int(label), 1, 1))
