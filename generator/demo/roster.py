"""Demo rosters: who belongs to each branch and when, and the member-development pipeline."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from datetime import date, timedelta

from generator.demo.dates import START, Schedule, add_months, day28, known

ALPHABET = string.ascii_lowercase + string.digits
SIZES = {"faculty": (10, 26), "admin": (9, 22), "retired": (15, 36), "joint": (3, 4), "temporary": (3, 3)}
ARRIVALS = {"faculty": (1, 3), "admin": (1, 3), "retired": (1, 4), "joint": (0, 1), "temporary": (0, 0)}


@dataclass
class Person:
    id: str
    category: str
    admitted_on: date
    full_on: date | None
    joined_on: date
    left_on: date | None = None
    left_reason: str = ""
    group: str = ""
    base: int = 0  # monthly salary or pension in 2023 (yuan) that fixes the dues; 0 for students
    extended: int | None = None  # months the probation was extended (DV-13), when it was
    away_since: date | None = None  # 组织关系 dates on the roster (MB-01, HE-04, MB-02): dates only, no reasons
    retained_since: date | None = None
    lost_contact_since: date | None = None

    def active(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day < self.left_on)

    def full(self, day: date) -> bool:
        return self.active(day) and self.full_on is not None and self.full_on <= day


@dataclass
class Candidate:
    id: str
    applied_on: date
    talked_on: date | None = None
    activist_on: date | None = None
    target_on: date | None = None
    trained_hours: int | None = None
    admitted_on: date | None = None
    full_on: date | None = None
    extended: int | None = None  # months the probation was extended (延长预备期), when it was
    # The steps of development.csv's optional columns (filled by demo/steps.py from their own random stream).
    mentors: list[str] = field(default_factory=list)
    sponsors: list[str] = field(default_factory=list)
    reviewed_on: date | None = None
    publicity_from: date | None = None
    publicity_to: date | None = None
    prereviewed_on: date | None = None
    leaving_on: date | None = None  # a student's graduation: known from enrolment
    approved_on: date | None = None
    oath_on: date | None = None

    def cut(self, as_of: date) -> None:
        """Forget every stage that lies after the as-of date (and the stages after it)."""
        stages = ["talked_on", "activist_on", "target_on", "admitted_on", "full_on"]
        for index, stage in enumerate(stages):
            value = getattr(self, stage)
            if value is not None and value > as_of:
                for later in stages[index:]:
                    setattr(self, later, None)
                break
        if self.admitted_on is None:
            self.trained_hours = None
        if self.full_on is None:
            self.extended = None


class Ids:
    """Pseudonymous ids `p` + 7 of [a-z0-9], unique across the whole generated repository."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def new(self, rng: random.Random) -> str:
        while True:
            value = "p" + "".join(rng.choices(ALPHABET, k=7))
            if value not in self.used:
                self.used.add(value)
                return value


@dataclass
class Roster:
    people: list[Person]
    candidates: list[Candidate]


def veteran(rng: random.Random, ids: Ids, category: str, joined: date, earliest: int, latest: int,
            base: int = 0) -> Person:
    """A member admitted elsewhere years before joining this branch (full for at least a year)."""
    latest_day = min(date(latest, 12, 28), add_months(joined, -25))
    admitted = day28(rng, date(earliest, 1, 1), latest_day)
    return Person(ids.new(rng), category, admitted, add_months(admitted, 12), joined, base=base)


def salary(rng: random.Random) -> int:
    """A fixed monthly salary after tax; most fall in the 1.5% bracket of the 2008 dues rules."""
    low, high = rng.choices([(3600, 4900), (5100, 9600), (10200, 11600)], weights=[3, 8, 1])[0]
    return rng.randint(low, high)


def pension(rng: random.Random) -> int:
    """A basic monthly pension; at most 5,000 pays 0.5%, above it 1%."""
    low, high = rng.choices([(3000, 4900), (5100, 7000)], weights=[2, 1])[0]
    return rng.randint(low, high)


def staff_roster(rng: random.Random, ids: Ids, kind: str, founded: date, sched: Schedule, as_of: date,
                 size: int, develop: int) -> Roster:
    """Faculty, admin, temporary and joint-staff rosters: long-standing members, transfers, a few admissions."""
    retired = kind == "retired"
    category = "离退休" if retired else "教职工"
    money = pension if retired else salary
    people = []
    for _ in range(size):
        joined = day28(rng, max(founded, date(2008, 1, 1)), date(2022, 12, 20))
        span = (1960, 1998) if retired else (1995, 2020)
        people.append(veteran(rng, ids, category, joined, span[0], span[1], money(rng)))
    first, last = START + timedelta(days=30), as_of - timedelta(days=20)  # changes within the records
    for person in people:
        chance = 0.07 if retired else 0.06
        if rng.random() < chance and kind != "temporary" and first < last:
            person.left_on = day28(rng, first, last)
            person.left_reason = "去世" if retired else "转出"
    arrivals = rng.randint(*ARRIVALS[kind])
    for _ in range(arrivals if first < last else 0):
        joined = day28(rng, first, last)
        span = (1975, 2000) if retired else (2005, min(2022, joined.year - 3))
        people.append(veteran(rng, ids, category, joined, span[0], span[1], money(rng)))
    candidates = []
    if develop:
        drawn = [teacher_candidate(rng, ids, sched, as_of, admit=i < develop) for i in range(develop + 1)]
        candidates = [c for c in drawn if c.applied_on <= as_of]
        people += [from_candidate(c, "教职工", salary(rng)) for c in candidates if c.admitted_on]
    return Roster(people, candidates)


def teacher_candidate(rng: random.Random, ids: Ids, sched: Schedule, as_of: date, admit: bool) -> Candidate:
    """A young teacher's path: application, talk, a year or more as activist, training, admission."""
    applied = day28(rng, date(2021, 9, 1), date(2023, 6, 28))
    c = Candidate(ids.new(rng), applied, talked_on=applied + timedelta(days=rng.randint(4, 24)))
    c.activist_on = day28(rng, add_months(known(c.talked_on), 1), add_months(known(c.talked_on), 4))
    if admit:
        c.target_on = day28(rng, add_months(c.activist_on, 12), add_months(c.activist_on, 14))
        c.trained_hours = rng.choice([24, 24, 32, 40])
        c.admitted_on = sched.assembly_on_or_after(c.target_on + timedelta(days=20))
        c.extended = 6 if rng.random() < 0.1 else None  # a probation extended by half a year, recorded
        c.full_on = add_months(c.admitted_on, 12 + (c.extended or 0))
    c.cut(as_of)
    return c


def from_candidate(c: Candidate, category: str, base: int = 0) -> Person:
    return Person(c.id, category, known(c.admitted_on), c.full_on, known(c.admitted_on), base=base, extended=c.extended)


def student_roster(rng: random.Random, ids: Ids, founded: date, sched: Schedule, as_of: date,
                   cohort: int) -> Roster:
    """Counsellors, veterans who enrolled as members, and a yearly cohort developed in the branch.

    A class graduating in June G enters in September G-3, applies in the first term, becomes activist in
    the spring, target a year later, is admitted at the spring assembly of G-1 and graduates a full member.
    """
    people = [veteran(rng, ids, "教职工", day28(rng, founded, date(2022, 8, 28)), 2003, 2018, salary(rng))
              for _ in range(rng.randint(2, 3))]
    candidates: list[Candidate] = []
    for grad in range(START.year, as_of.year + 4):
        entry = date(grad - 3, 9, 1)
        if entry > as_of:
            break
        leave = date(grad, 6, rng.randint(20, 30))
        if rng.random() < 0.35:
            vet = veteran(rng, ids, "学生", entry + timedelta(days=rng.randint(2, 9)), grad - 9, grad - 4)
            people.append(graduate(vet, leave, as_of))
        size = max(2, cohort + rng.randint(-2, 2))
        for index in range(size + rng.randint(1, max(1, size // 2))):
            c = student_candidate(rng, ids, sched, grad, admit=index < size)
            if c.applied_on > as_of:
                continue
            c.cut(as_of)
            c.leaving_on = leave if c.activist_on else None
            candidates.append(c)
            if c.admitted_on:
                people.append(graduate(from_candidate(c, "学生"), leave, as_of))
    while sum(p.full(as_of) for p in people) < 3:  # a branch needs three full members (BR-01)
        joined = day28(rng, START, max(START, as_of - timedelta(days=30)))
        people.append(veteran(rng, ids, "教职工", joined, 2005, 2018, salary(rng)))
    return Roster(people, candidates)


def student_candidate(rng: random.Random, ids: Ids, sched: Schedule, grad: int, admit: bool) -> Candidate:
    applied = day28(rng, date(grad - 3, 9, 10), date(grad - 3, 11, 28))
    c = Candidate(ids.new(rng), applied, talked_on=applied + timedelta(days=rng.randint(3, 24)))
    stop = rng.random()
    if admit or stop < 0.5:
        c.activist_on = day28(rng, date(grad - 2, 3, 1), date(grad - 2, 4, 15))
    if admit:
        c.target_on = add_months(known(c.activist_on) + timedelta(days=rng.randint(0, 20)), 12)
        c.trained_hours = rng.choice([24, 24, 28, 32])
        c.admitted_on = sched.assembly[(grad - 1, 2)]
        c.full_on = add_months(c.admitted_on, 12)
    return c


def graduate(person: Person, leave: date, as_of: date) -> Person:
    if leave <= as_of:
        person.left_on, person.left_reason = leave, "毕业转出"
    if person.full_on and person.full_on > as_of:
        person.full_on, person.extended = None, None
    return person


def joint_roster(rng: random.Random, ids: Ids, founded: date, sched: Schedule, as_of: date) -> Roster:
    """A small teacher-student branch: a few teachers and the occasional veteran student (under 7 full)."""
    roster = staff_roster(rng, ids, "joint", founded, sched, as_of, rng.randint(*SIZES["joint"]), 0)
    for grad in range(START.year, as_of.year + 4):
        entry = date(grad - 3, 9, 1)
        if entry <= as_of and rng.random() < 0.5:
            vet = veteran(rng, ids, "学生", entry + timedelta(days=rng.randint(2, 9)), grad - 9, grad - 4)
            vet = graduate(vet, date(grad, 6, rng.randint(20, 30)), as_of)
            if vet.left_on or sum(p.full(as_of) for p in roster.people) < 5:
                roster.people.append(vet)
    return roster


def fresh_member(rng: random.Random, ids: Ids, admitted_near: date, joined: date | None = None) -> Person:
    """A staff member admitted about `admitted_near`, full a year later."""
    admitted = day28(rng, add_months(admitted_near, -1), admitted_near)
    return Person(ids.new(rng), "教职工", admitted, add_months(admitted, 12), joined or admitted, base=salary(rng))
