"""Dates for the demo generator: month arithmetic and each branch's fixed meeting calendar."""

from __future__ import annotations

import calendar
import random
from datetime import date, timedelta

START = date(2023, 1, 1)


def add_months(day: date, months: int) -> date:
    """Same day n months later, clamped to the month's end."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def known(day: date | None) -> date:
    """A stage's date the caller has already established (a full member's full_on, an admitted candidate's
    earlier stages); None here is a bug in the generator."""
    if day is None:
        raise ValueError("a stage the demo generator relies on has no date")
    return day


def last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def months_between(first: date, last: date) -> list[tuple[int, int]]:
    """(year, month) for every month from the one containing first to the one containing last."""
    out, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def between(rng: random.Random, first: date, last: date) -> date:
    """A uniformly random day in [first, last]."""
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def day28(rng: random.Random, first: date, last: date) -> date:
    """A random day in [first, last] on a day-of-month <= 28, so month arithmetic is unambiguous."""
    for _ in range(20):
        picked = between(rng, first, last)
        if picked.day <= 28:
            return picked
    return first if first.day <= 28 else first.replace(day=28)


def workday(year: int, month: int, day: int) -> date:
    """The given day of the month, moved off a weekend but kept inside the month."""
    picked = date(year, month, min(day, calendar.monthrange(year, month)[1]))
    step = -1 if picked.weekday() == 5 else 1
    while picked.weekday() >= 5:
        moved = picked + timedelta(days=step)
        if moved.month != month:
            step = -step
            moved = picked + timedelta(days=step)
        picked = moved
    return picked


def nth_weekday(year: int, month: int, n: int, weekday: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


class Schedule:
    """A branch's habits: which weekday is 主题党日, when assemblies and lectures fall in each quarter."""

    def __init__(self, rng: random.Random, student: bool, first_year: int, last_year: int) -> None:
        self.theme_nth = rng.randint(2, 3)
        self.theme_weekday = rng.randint(1, 4)
        self.committee_gap = rng.randint(2, 6)
        self.group_gap = rng.randint(1, 4)
        self.collect_day = rng.randint(5, 15)
        self.appraisal_in_january = rng.random() < 0.25
        self.assembly: dict[tuple[int, int], date] = {}
        self.lecture: dict[tuple[int, int], date] = {}
        self.review: dict[int, date] = {}
        for year in range(first_year, last_year + 1):
            self.review[year] = workday(year, 12, rng.randint(12, 26))
            for q in range(1, 5):
                self.assembly[(year, q)] = self._assembly_day(rng, year, q, student)
                self.lecture[(year, q)] = workday(year, 3 * q - 2 + rng.randint(0, 2), rng.randint(3, 27))

    @staticmethod
    def _assembly_day(rng: random.Random, year: int, q: int, student: bool) -> date:
        if not student:
            return workday(year, 3 * q - 2 + rng.randint(0, 2), rng.randint(4, 26))
        # Students: admissions at the end of the spring term; nothing in the summer or winter breaks.
        month, lo, hi = {1: (3, 5, 27), 2: (rng.choice([5, 6]), 10, 31), 3: (9, 12, 28), 4: (11, 5, 28)}[q]
        if (q, month) == (2, 6):
            lo, hi = 1, 15
        return workday(year, month, rng.randint(lo, hi))

    def theme_day(self, year: int, month: int) -> date:
        return nth_weekday(year, month, self.theme_nth, self.theme_weekday)

    def committee_day(self, year: int, month: int) -> date:
        theme = self.theme_day(year, month)
        return workday(year, month, max(1, theme.day - self.committee_gap))

    def group_day(self, year: int, month: int, index: int) -> date:
        theme = self.theme_day(year, month)
        return workday(year, month, theme.day + self.group_gap + index)

    def assembly_on_or_after(self, day: date) -> date:
        """The first scheduled assembly on or after a day (admissions happen at an assembly)."""
        return min(d for d in self.assembly.values() if d >= day)

    def set_assembly(self, day: date) -> date:
        """Make a chosen day (moved off a weekend) the assembly of its quarter, e.g. an election."""
        day = workday(day.year, day.month, day.day)
        self.assembly[self.quarter_of(day)] = day
        return day

    def quarter_of(self, day: date) -> tuple[int, int]:
        return day.year, (day.month - 1) // 3 + 1
