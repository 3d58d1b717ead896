"""The demo's absences.csv: who missed each organisation-life meeting, in the branches that record it.

A meeting's absentees are as many as its `expected` minus `present`, chosen among the members it expected
in a fixed order (a hash of meeting and member: no random draw, so the branch's other records stay as they
were); at a meeting that voted, the full members first, as many as the voters absent. Deliberate shortfalls
(OL-01, OL-01W): the member behind the dues shortfall (DU-14, DU-14W) also missed every meeting of the last
months; a meeting they would have attended gets one absentee more.
"""

from __future__ import annotations

import hashlib
from datetime import date

from generator.demo.dates import add_months
from generator.demo.faults import Shortfall, whole_year
from generator.demo.roster import Person

RECORDED = {"jidian-js1", "jiguan-db2", "lituixiu-lt2"}  # branches that keep a list of absentees
# rule -> (months missed up to the as-of month, the months of the dues shortfall of the same member)
MISSED = {"OL-01": (7, 9), "OL-01W": (4, 5)}


def absence_rows(code: str, faults: frozenset[str], people: list[Person], meetings: list[list],
                 officers: set[str], as_of: date) -> tuple[list[list], list[Shortfall]]:
    """The rows of absences.csv (meetings' present counts adjusted in place) and the shortfalls they show."""
    if code not in RECORDED:
        return [], []
    truant, first, notes = None, None, []
    for rule, (months, dues_months) in MISSED.items():
        if rule in faults:
            truant = whole_year(people, "", add_months(as_of, -dues_months - 3), as_of)  # the dues shortfall's
            first = add_months(date(as_of.year, as_of.month, 1), -months)
            since = f"{first.year}年{first.month}月"
            notes.append(Shortfall(code, rule, f"1名党员自{since}起连续{months}个月未参加党的组织生活"
                                               "（absences.csv；同一党员也连续未交党费）"))
            if rule == "OL-01":
                notes.append(Shortfall(code, "OL-01W", "随附：同一党员连续未参加组织生活超过3个月"))
            break
    month_start = date(as_of.year, as_of.month, 1)
    rows = []
    for meeting in meetings:
        day, kind, group = meeting[1], meeting[2], meeting[6]
        expected = [p for p in people if p.active(day) and (kind != "党小组会" or p.group == group)
                    and (kind != "支委会" or p.id in officers)]
        forced = truant is not None and first is not None and first <= day < month_start and truant in expected
        if forced and truant is not None and meeting[4] == meeting[5]:  # everyone came: now one did not
            meeting[5] -= 1
            if meeting[7] not in ("", None) and truant.full(day):
                meeting[8] -= 1
        absent = _absentees(meeting, expected, truant if forced else None)
        rows += [[meeting[0], p.id] for p in absent]
    return rows, notes


def _absentees(meeting: list, expected: list[Person], truant: Person | None) -> list[Person]:
    """`expected - present` members: the truant first, then full members as many as the voters absent."""
    count = meeting[4] - meeting[5]
    day = meeting[1]
    order = sorted(expected, key=lambda p: hashlib.sha256(f"{meeting[0]}:{p.id}".encode()).hexdigest())
    voted = meeting[7] not in ("", None)
    voters_absent = int(meeting[7]) - int(meeting[8]) if voted else 0
    chosen = [truant] if truant is not None else []
    for person in [p for p in order if p.full(day)] + [p for p in order if not p.full(day)]:
        if len(chosen) >= count:
            break
        full_so_far = sum(p.full(day) for p in chosen)
        if person not in chosen and (not voted or not person.full(day) or full_so_far < voters_absent):
            chosen.append(person)
    for person in order:  # too few of the right kind: anyone expected
        if len(chosen) >= count:
            break
        if person not in chosen:
            chosen.append(person)
    return sorted(chosen[:count], key=lambda p: p.id)
