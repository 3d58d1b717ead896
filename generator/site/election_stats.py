"""Statistics of elections (elections.csv) and of organisation life per member (absences.csv): counts only.

Elections are counts of meetings, never of persons; the members who missed organisation life are shown as a
number, suppressed below min_cell_size by the template (the `sup` filter), never as ids.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from generator.ledger.model import Ledger
from generator.rules import NOTICE, Result


@dataclass(frozen=True)
class ElectionYear:
    year: int
    elections: int  # recorded in elections.csv, dated by their assembly
    quorum: int  # more than four fifths of the voters present (EL-02)
    majority: int  # every winner's yes-votes above half of the voters expected (EL-03); of those with votes
    with_votes: int
    contested: int  # more candidates than seats (差额)


def election_years(ledger: Ledger) -> list[ElectionYear]:
    """Per year, newest first: how many elections were recorded and how many met each condition."""
    rows: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for branch in ledger.branches:
        days = {m.id: m.date for m in branch.meetings}
        for e in branch.elections:
            if e.meeting not in days:
                continue
            row = rows[days[e.meeting].year]
            row[0] += 1
            row[1] += e.present * 5 > e.eligible * 4
            row[2] += bool(e.votes) and all(v * 2 > e.eligible for v in e.votes)
            row[3] += bool(e.votes)
            row[4] += e.candidates > e.seats
    return [ElectionYear(year, *row) for year, row in sorted(rows.items(), reverse=True)]


@dataclass(frozen=True)
class AbsenceSummary:
    branches: int  # branches that record absentees (absences.csv)
    members: int  # their members on the as-of date
    warned: int  # members with a run of the warning length (OL-01W), without who
    failed: int  # members with six consecutive months (OL-01)


def absence_summary(ledger: Ledger, results: list[Result], as_of: dt.date) -> AbsenceSummary:
    """How many members of the branches that record attendance missed organisation life for months on end."""
    recording = [b for b in ledger.branches if "absences" in b.files]
    codes = {b.code for b in recording}
    members = sum(len(b.active_members(as_of)) for b in recording)

    def people(rule: str, status: str) -> int:
        return sum(r.people or 0 for r in results if r.rule == rule and r.branch in codes and r.status == status)

    return AbsenceSummary(len(recording), members, people("OL-01W", NOTICE), people("OL-01", "fail"))
