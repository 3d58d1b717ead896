"""Typed records: the ledger as plain data classes, built from rows that passed validation.

The row records (members, meetings, dues, candidates, study) are named tuples: as immutable as frozen
dataclasses and made twice as fast, which counts at a million rows.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple


class Member(NamedTuple):
    id: str
    category: str
    group: str
    admitted_on: dt.date
    full_on: dt.date | None
    joined_on: dt.date
    left_on: dt.date | None
    left_reason: str
    line: int
    probation_extended_months: int | None = None  # optional column: a recorded extension of probation
    away_since: dt.date | None = None  # optional columns (组织关系): away at a relatively fixed place since …
    away_until: dt.date | None = None
    retained_since: dt.date | None = None  # a graduate whose relationship is kept at the college since …
    lost_contact_since: dt.date | None = None  # lost contact with the Party organisation since …
    lost_contact_until: dt.date | None = None

    def away_on(self, day: dt.date) -> bool:
        """Away (外出) on that day and still on this branch's roster."""
        return (self.active(day) and self.away_since is not None and self.away_since <= day
                and (self.away_until is None or day < self.away_until))

    def lost_on(self, day: dt.date) -> bool:
        """Out of contact on that day and still on this branch's roster."""
        return (self.active(day) and self.lost_contact_since is not None and self.lost_contact_since <= day
                and (self.lost_contact_until is None or day < self.lost_contact_until))

    def active(self, day: dt.date) -> bool:
        """In this branch on that day (joined, not yet left)."""
        return self.joined_on <= day and (self.left_on is None or day < self.left_on)

    def in_branch_during(self, start: dt.date, end: dt.date) -> bool:
        """In this branch on at least one day of [start, end]."""
        return self.joined_on <= end and (self.left_on is None or start < self.left_on)

    def full(self, day: dt.date) -> bool:
        """A full (voting) member on that day."""
        return self.active(day) and self.full_on is not None and self.full_on <= day


class Meeting(NamedTuple):
    id: str
    date: dt.date
    kind: str
    topic: str
    expected: int
    present: int
    group: str
    line: int
    voting_expected: int | None = None  # optional columns: only meetings that held a vote fill them
    voting_present: int | None = None
    also: tuple[str, ...] = ()  # optional column also_kind: the other kinds this one meeting counts as


class Due(NamedTuple):
    month: str
    member: str
    due: Decimal
    paid: Decimal | None
    paid_on: dt.date | None
    line: int


class Candidate(NamedTuple):
    """One person in the member-development pipeline (development.csv)."""

    id: str
    applied_on: dt.date | None
    talked_on: dt.date | None
    activist_on: dt.date | None
    target_on: dt.date | None
    trained_hours: Decimal | None
    admitted_on: dt.date | None
    full_on: dt.date | None
    line: int
    probation_extended_months: int | None = None
    # Optional columns (the steps of the 2014 细则 a branch may record): member ids and step dates.
    mentors: tuple[str, ...] = ()  # 培养联系人 (mentor1, mentor2)
    sponsors: tuple[str, ...] = ()  # 入党介绍人 (sponsor1, sponsor2)
    reviewed_on: dt.date | None = None  # 政治审查 concluded
    publicity_from: dt.date | None = None  # 公示
    publicity_to: dt.date | None = None
    prereviewed_on: dt.date | None = None  # 基层党委预审
    leaving_on: dt.date | None = None  # expected to leave the college (graduation)
    approved_on: dt.date | None = None  # 基层党委审批
    oath_on: dt.date | None = None  # 入党宣誓


class Election(NamedTuple):
    """One election held at a 党员大会 (elections.csv): counts only, never names."""

    id: str
    meeting: str  # meetings.csv id of the assembly
    kind: str  # 换届选举 | 补选
    seats: int
    candidates: int
    eligible: int  # 应到会有选举权党员
    present: int  # 实到会有选举权党员
    votes: tuple[int, ...]  # yes-votes of each elected person; empty when not recorded
    line: int


class Absence(NamedTuple):
    """One member listed absent from one meeting (absences.csv): no reason, only who and where."""

    meeting: str
    member: str
    line: int


class Study(NamedTuple):
    member: str
    date: dt.date
    hours: Decimal
    kind: str
    line: int


class Rectification(NamedTuple):
    """One item to rectify raised at a 组织生活会 (rectification.csv): due date and the day it was closed."""

    id: str
    meeting: str
    year: int | None  # the 组织生活会's year as written; origin_year() falls back to the meeting's date
    due: dt.date
    closed_on: dt.date | None
    item: str
    internal: str  # 是 / 否 / empty: only 否 lets the site show the item's text
    line: int

    def open_on(self, day: dt.date) -> bool:
        """Not yet closed on that day."""
        return self.closed_on is None or self.closed_on > day

    def overdue_on(self, day: dt.date) -> bool:
        """Past its due date and still open on that day."""
        return self.due < day and self.open_on(day)


class Appraisal(NamedTuple):
    """One year's 民主评议党员 results of a branch (appraisal.csv): how many members got each grade, never who."""

    year: int
    meeting: str
    excellent: int
    qualified: int
    basic: int
    unqualified: int
    ungraded: int
    line: int

    @property
    def graded(self) -> int:
        return self.excellent + self.qualified + self.basic + self.unqualified

    @property
    def total(self) -> int:
        return self.graded + self.ungraded


@dataclass(frozen=True)
class Officer:
    """One person on the committee (or the secretary of a branch without one), with every role held (兼任)."""

    roles: tuple[str, ...]
    member: str
    name: str | None
    double_leader: bool | None
    elected_on: dt.date | None = None  # required for a branch without a committee; a by-election otherwise
    extended_until: dt.date | None = None  # approved postponement of a secretary-only branch's election
    legacy_role: bool = False  # written in the old one-role format (`role:`), reported by integrity
    line: int | None = None  # of its `member:` in branch.yaml

    @property
    def role(self) -> str:
        """The first role: what a one-line summary shows."""
        return self.roles[0] if self.roles else ""


@dataclass(frozen=True)
class Committee:
    elected_on: dt.date
    term_years: int
    extended_until: dt.date | None
    members: tuple[Officer, ...]

    def persons(self) -> int:
        """How many persons sit on the committee: one person holding two roles (兼任) counts once."""
        return len({o.member or str(id(o)) for o in self.members})


@dataclass(frozen=True)
class Exemption:
    rule: str
    start: dt.date
    expires_on: dt.date
    reason: str
    approver: str
    approved_on: dt.date | None
    line: int
    members: tuple[str, ...] = ()  # only these members are exempted; the rule judges the others


@dataclass
class Branch:
    code: str
    unit: str
    name: str
    type: str
    path: str
    founded_on: dt.date | None
    groups: dict[str, str]
    committee: Committee | None
    secretary: tuple[Officer, ...]
    covered_units: tuple[str, ...] = ()
    dues_payment: str = "monthly"  # or "quarterly": 经党支部同意，可以每季度交纳一次
    members: list[Member] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    dues: list[Due] = field(default_factory=list)
    development: list[Candidate] = field(default_factory=list)
    study: list[Study] = field(default_factory=list)
    elections: list[Election] = field(default_factory=list)
    absences: list[Absence] = field(default_factory=list)
    rectification: list[Rectification] = field(default_factory=list)
    appraisal: list[Appraisal] = field(default_factory=list)
    exemptions: list[Exemption] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # table name -> repository path
    columns: dict[str, frozenset[str]] = field(default_factory=dict)  # table name -> the columns its file has
    # Tables read only in part: the file or some rows are unusable (their problems are told). A check across
    # tables that needs one whole (every member counted, every absentee on the roster) is left until it is.
    partial: set[str] = field(default_factory=set)
    founded_line: int | None = None  # the line of founded_on in branch.yaml, for messages that name it
    # kind -> (dates, meetings) in date order, filled on first use by meetings_held
    _meetings_by_kind: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def whole(self, *tables: str) -> bool:
        """Whether every row of these tables was read (none is partial because of a problem told elsewhere)."""
        return not self.partial.intersection(tables)

    def officers(self) -> tuple[Officer, ...]:
        return self.committee.members if self.committee else self.secretary

    def secretary_officer(self) -> Officer | None:
        return next((o for o in self.officers() if "书记" in o.roles), None)

    def secretary_elected_on(self) -> dt.date | None:
        """The day the secretary was elected: their own by-election date, else the committee's election."""
        officer = self.secretary_officer()
        if officer is not None and officer.elected_on:
            return officer.elected_on
        return self.committee.elected_on if self.committee else None

    def expects(self, member: Member, meeting: Meeting) -> bool:
        """Whether a member was expected at a meeting: in the branch that day, in its group, on the committee."""
        if not member.active(meeting.date):
            return False
        if meeting.kind == "党小组会":
            return member.group == meeting.group
        if meeting.kind == "支委会":
            return member.id in {o.member for o in self.officers()}
        return True

    def members_exempted(self, exemption: Exemption) -> list[Member]:
        """The members an exemption names who were in this branch during its period (the ones it can excuse)."""
        named = set(exemption.members)
        return [m for m in self.members if m.id in named and m.in_branch_during(exemption.start, exemption.expires_on)]

    def rectification_year(self, item: Rectification) -> int | None:
        """The year of the 组织生活会 that raised an item: its `year`, else the date of its meeting."""
        if item.year is not None:
            return item.year
        found = next((m for m in self.meetings if m.id == item.meeting), None)
        return found.date.year if found else None

    def appraisal_day(self, found: Appraisal) -> dt.date:
        """The day an appraisal's counts are checked against the roster: its meeting's date, else 31 December."""
        meeting = next((m for m in self.meetings if m.id == found.meeting), None) if found.meeting else None
        return meeting.date if meeting else dt.date(found.year, 12, 31)

    def active_members(self, day: dt.date) -> list[Member]:
        return [m for m in self.members if m.active(day)]

    def full_members(self, day: dt.date) -> list[Member]:
        return [m for m in self.members if m.full(day)]

    def meetings_held(self, kind: str, start: dt.date, end: dt.date) -> list[Meeting]:
        """Meetings of a kind dated within [start, end], in date order (indexed once per branch and kind).

        A meeting counts for its `kind` and for each kind in `also` (组织生活会 held as a 党员大会 is both).
        """
        index = self._meetings_by_kind
        if kind not in index:
            held = sorted((m for m in self.meetings if m.kind == kind or kind in m.also),
                          key=lambda m: (m.date, m.line))
            index[kind] = ([m.date for m in held], held)
        dates, held = index[kind]
        return held[bisect.bisect_left(dates, start):bisect.bisect_right(dates, end)]


@dataclass
class Unit:
    code: str
    name: str
    kind: str
    path: str


@dataclass
class Organization:
    code: str
    name: str
    site_title: str
    records_start: dt.date
    demo: bool = False
    show_officer_names: bool = False
    min_cell_size: int = 5
    settings: dict = field(default_factory=dict)
    repository_url: str = ""  # the records repository's web address; empty: the site links nowhere into it
    repository_forge: str = "github"  # how that forge writes links to a file or folder (github|gitea|gitlab)
    disclosure: dict[str, str] = field(default_factory=dict)  # 党务公开目录: kind → public|party|none


@dataclass
class Ledger:
    organization: Organization
    units: dict[str, Unit]
    branches: list[Branch]
