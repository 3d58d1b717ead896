"""Demo activity records: meetings, monthly dues and study hours, derived from a branch's roster."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from generator.demo import names
from generator.demo.dates import START, Schedule, last_day, months_between, workday
from generator.demo.roster import Person

SLUG = {"党员大会": "dangyuandahui", "支委会": "zhiweihui", "党小组会": "dangxiaozuhui", "党课": "dangke",
        "主题党日": "zhutidangri", "组织生活会": "zuzhishenghuohui", "民主评议党员": "minzhupingyi"}
ORDER = {kind: index for index, kind in enumerate(SLUG)}
CENT = Decimal("0.01")


@dataclass
class Plan:
    """What a branch does and what it deliberately leaves undone."""

    type: str
    groups: list[str]
    committee_size: int
    elected_on: date | None
    skip: set[tuple[str, str]] = field(default_factory=set)  # (kind or 党小组会:<group>, period label)
    low_quorum: set[str] = field(default_factory=set)  # quarter labels
    unpaid: dict[str, set[str]] = field(default_factory=dict)  # member -> months
    due_override: dict[str, dict[str, str]] = field(default_factory=dict)  # member -> month -> amount
    short_study: dict[str, int] = field(default_factory=dict)  # member -> year with 20 hours
    excused_study: dict[str, set[int]] = field(default_factory=dict)  # member -> years without 集中学习培训
    quarterly: bool = False  # dues paid once a quarter, as the branch approved
    one_row_review: bool = False  # the year-end 组织生活会 is held as a 党员大会 with the 民主评议: one row (also_kind)
    thin_election: bool = False  # the election assembly has no more than four fifths of its voters present (EL-02)


def attendance(rng: random.Random, expected: int) -> int:
    return expected - int(expected * rng.uniform(0, 0.15))


def meetings(rng: random.Random, plan: Plan, people: list[Person], sched: Schedule, as_of: date) -> list[list]:
    rows: list[tuple] = []

    def add(day: date, kind: str, topic: str, expected: int, present: int, group: str = "",
            vote: tuple[int, int] | None = None, also: str = "") -> None:
        if START <= day <= as_of:
            rows.append((day, ORDER[kind], group, kind, topic, expected, present, *(vote or ("", "")), also))

    def count(day: date, group: str | None = None) -> int:
        return sum(1 for p in people if p.active(day) and (group is None or p.group == group))

    admitted = {p.admitted_on for p in people}
    for year, month in months_between(START, as_of):
        label, quarter = f"{year}-{month:02d}", (month - 1) // 3 + 1
        theme = sched.theme_day(year, month)
        if ("主题党日", label) not in plan.skip:
            n = count(theme)
            add(theme, "主题党日", theme_topic(rng, plan.type, theme), n, attendance(rng, n))
        if plan.committee_size and ("支委会", label) not in plan.skip:
            topic = names.COMMITTEE_DECEMBER if month == 12 else rng.choice(names.COMMITTEE_TOPICS)
            size = plan.committee_size
            add(sched.committee_day(year, month), "支委会", topic, size, size - (rng.random() < 0.15))
        for index, group in enumerate(plan.groups):
            if (f"党小组会:{group}", label) not in plan.skip:
                day = sched.group_day(year, month, index)
                n = count(day, group)
                add(day, "党小组会", rng.choice(names.GROUP_TOPICS), n, attendance(rng, n), group)
        if month % 3 == 1:
            quarter_meetings(rng, plan, people, sched, (year, quarter), admitted, add, count)
        if month == 12:
            year_end(rng, plan, sched, year, add, count)
        if month == 1 and sched.appraisal_in_january and ("民主评议党员", str(year)) not in plan.skip:
            day = workday(year, 1, rng.randint(8, 20))
            n = count(day)
            add(day, "民主评议党员", names.appraisal_topic(year - 1), n, attendance(rng, n))
    extra = plan.elected_on
    if extra and extra not in sched.assembly.values():  # an election outside the quarterly routine
        n = count(extra)
        present = attendance(rng, n)
        voted = election_vote(plan, people, extra, n, present)
        add(extra, "党员大会", election_topic(plan), n, max(present, voted[1]), vote=voted)
    rows.sort()
    extra_column = plan.one_row_review  # the optional also_kind column only where the branch uses it
    return [[meeting_id(r[0], r[3], r[2]), r[0], r[3], r[4], r[5], r[6], r[2], r[7], r[8]]
            + ([r[9]] if extra_column else []) for r in rows]


def election_topic(plan: Plan) -> str:
    return names.ASSEMBLY_ELECT if plan.committee_size else names.ASSEMBLY_ELECT_SECRETARY


def election_vote(plan: Plan, people: list[Person], day: date, expected: int, present: int) -> tuple[int, int]:
    """(voting members expected, present) at an election: more than four fifths present (选举条例), absentees
    full members first; or, where the demo shows the shortfall (EL-02), exactly four fifths rounded down."""
    full = sum(1 for p in people if p.full(day))
    if plan.thin_election:
        return full, full * 4 // 5
    return full, full - min(expected - present, (full - 1) // 5)


def vote(people: list[Person], day: date, expected: int, present: int) -> tuple[int, int]:
    """(voting members expected, present) at an assembly that voted: the full members, and those of them
    present when the absentees are full members first (at most a third of them)."""
    full = sum(1 for p in people if p.full(day))
    return full, full - min(expected - present, full // 3)


def quarter_meetings(rng: random.Random, plan: Plan, people: list[Person], sched: Schedule, key: tuple[int, int],
                     admitted: set[date], add: Callable[..., None], count: Callable[..., int]) -> None:
    year, quarter = key
    label = f"{year}-Q{quarter}"
    day = sched.assembly[key]
    if ("党员大会", label) not in plan.skip:
        if day == plan.elected_on:
            topic = election_topic(plan)
            if not plan.committee_size:  # drawn all the same: the branch's later records stay as they were
                rng.choice(names.ASSEMBLY_BY_QUARTER[quarter])
        elif day in admitted:
            topic = names.ASSEMBLY_ADMIT
        else:
            topic = rng.choice(names.ASSEMBLY_BY_QUARTER[quarter])
        n = count(day)
        present = attendance(rng, n)
        voted = election_vote(plan, people, day, n, present) if topic == election_topic(plan) \
            else vote(people, day, n, present) if topic == names.ASSEMBLY_ADMIT else None
        present = max(present, voted[1]) if voted else present  # the voters present are among those present
        if label in plan.low_quorum:  # a vote taken with too few voting members present (MT-01Q)
            full = sum(1 for p in people if p.full(day))
            present, topic, voted = min(n, full // 2), names.ASSEMBLY_VOTE, (full, full // 2)
        add(day, "党员大会", topic, n, present, vote=voted)
    if ("党课", label) not in plan.skip:
        lecture = sched.lecture[key]
        n = count(lecture)
        add(lecture, "党课", rng.choice(names.LECTURES), n, attendance(rng, n))


def year_end(rng: random.Random, plan: Plan, sched: Schedule, year: int, add: Callable[..., None],
             count: Callable[..., int]) -> None:
    day = sched.review[year]
    together = ("组织生活会", str(year)) not in plan.skip and ("民主评议党员", str(year)) not in plan.skip
    if plan.one_row_review and together and not sched.appraisal_in_january:
        n = count(day)  # 组织生活会 held as a 党员大会, with the 民主评议党员 (第十七条、第十八条): one row
        present = attendance(rng, n)
        attendance(rng, n)  # the draw a second row would have used: the branch's later rows stay as they were
        add(day, "组织生活会", names.review_topic(year), n, present, also="党员大会、民主评议党员")
        return
    if ("组织生活会", str(year)) not in plan.skip:
        n = count(day)
        add(day, "组织生活会", names.review_topic(year), n, attendance(rng, n))
    if not sched.appraisal_in_january and ("民主评议党员", str(year)) not in plan.skip:
        n = count(day)
        add(day, "民主评议党员", names.appraisal_topic(year), n, attendance(rng, n))


def theme_topic(rng: random.Random, kind: str, day: date) -> str:
    campaign = [t for a, b, t in names.CAMPAIGNS if a <= day <= b]
    if campaign and rng.random() < 0.5:
        return campaign[0]
    if day.month in names.MONTHLY_THEMES and rng.random() < 0.6:
        return names.MONTHLY_THEMES[day.month]
    return rng.choice(names.THEME_TOPICS + names.THEME_BY_TYPE.get(kind, []))


def meeting_id(day: date, kind: str, group: str) -> str:
    return f"{day.isoformat()}-{SLUG[kind]}" + (f"-{group}" if group else "")


# --- dues -----------------------------------------------------------------------------------------

def monthly_due(person: Person, year: int) -> str:
    """Dues fixed for the year: students 0.20; staff and retirees by the 2008 brackets on their base."""
    if person.category == "学生":
        return "0.20"
    if person.category == "离退休":
        base = Decimal(person.base) * Decimal("1.02") ** (year - 2023)
        rate = Decimal("0.005") if base <= 5000 else Decimal("0.01")
    else:
        base = Decimal(person.base) * Decimal("1.03") ** (year - 2023)
        rate = (Decimal("0.005") if base <= 3000 else Decimal("0.01") if base <= 5000
                else Decimal("0.015") if base <= 10000 else Decimal("0.02"))
    return str((base.quantize(Decimal(1)) * rate).quantize(CENT, rounding=ROUND_HALF_UP))


def dues(rng: random.Random, plan: Plan, people: list[Person], sched: Schedule, as_of: date) -> list[list]:
    """One row per member per month they belong to the branch; paid on the branch's collection day."""
    rows: list[list] = []
    amounts: dict[tuple[str, int], str] = {}
    for year, month in months_between(START, as_of):
        first, last, label = date(year, month, 1), last_day(year, month), f"{year}-{month:02d}"
        for p in people:
            if p.joined_on > last or (p.left_on is not None and p.left_on <= first):
                continue
            key = (p.id, year)
            if key not in amounts:
                amounts[key] = monthly_due(p, year)
            due = plan.due_override.get(p.id, {}).get(label, amounts[key])
            if label in plan.unpaid.get(p.id, ()):
                rows.append([label, p.id, due, "0.00", ""])
                continue
            lo = max(first, p.joined_on)
            pay_month = month + (-month) % 3 if plan.quarterly else month  # quarterly: in the quarter's last month
            end = last_day(year, pay_month)
            hi = min(end, as_of, p.left_on - timedelta(days=1) if p.left_on else end)
            paid_on = min(max(date(year, pay_month, sched.collect_day + rng.randint(0, 3)), lo), hi)
            rows.append([label, p.id, due, due, paid_on])
    return rows


# --- study ----------------------------------------------------------------------------------------

def study(rng: random.Random, plan: Plan, people: list[Person], sched: Schedule, as_of: date) -> list[list]:
    """Several records per member and year; concentrated training alone reaches 32 hours."""
    rows = []
    for p in people:
        for year in range(START.year, as_of.year + 1):
            first = max(date(year, 1, 1), p.joined_on)
            last = min(date(year, 12, 31), p.left_on - timedelta(days=1) if p.left_on else date(year, 12, 31))
            if first > last:
                continue
            if plan.short_study.get(p.id) == year:
                parts: list[tuple[int, str, date | None]]
                parts = [(8, "集中学习培训", None), (4, "集中学习培训", None), (4, "网络学习", None),
                         (4, "网络学习", None)]
            else:
                parts = year_parts(rng, sched, year)
            excused = year in plan.excused_study.get(p.id, ())
            for hours, kind, fixed in parts:
                if fixed is None:
                    day = first + timedelta(days=rng.randint(0, (last - first).days))  # drawn either way
                    if not (excused and kind == "集中学习培训"):
                        rows.append((day, p.id, hours, kind))
                elif first <= fixed <= last and not excused:  # a branch lecture the member attended
                    rows.append((fixed, p.id, hours, kind))
    rows = [r for r in rows if r[0] <= as_of]
    rows.sort()
    return [[member, day, hours, kind] for day, member, hours, kind in rows]


def year_parts(rng: random.Random, sched: Schedule, year: int) -> list[tuple[int, str, date | None]]:
    """(hours, kind, fixed date or None) for one member-year."""
    parts: list[tuple[int, str, date | None]] = []
    left = rng.randint(32, 40)
    while left > 0:
        hours = min(left, rng.choice([8, 8, 12, 16]))
        parts.append((hours, "集中学习培训", None))
        left -= hours
    parts += [(rng.choice([2, 3, 4, 6]), "网络学习", None) for _ in range(rng.randint(1, 2))]
    if rng.random() < 0.5:
        parts.append((4, "专题讲座", None))
    lectures = [sched.lecture[(year, q)] for q in range(1, 5)]
    parts += [(2, "党课", day) for day in rng.sample(lectures, rng.randint(1, 2))]
    return parts
