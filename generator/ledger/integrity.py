"""Integrity checks across rows and files that a table schema cannot express (dates in order, references)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from generator.ledger.model import Branch, Election, Ledger, Meeting, Member
from generator.problems.catalogue import Problem, make
from generator.records.rosters import RosterRow
from generator.standards.vocabulary import Vocabulary
from generator.validation.datebounds import PARTY_FOUNDED, impossible

_DEV_STAGES = ("applied_on", "talked_on", "activist_on", "target_on", "admitted_on", "full_on")
# A 公示 ends after it starts; the 党委 approves, and the new member takes the oath, after the 支部大会.
_DEV_STEP_PAIRS = (("publicity_from", "publicity_to"), ("admitted_on", "approved_on"), ("admitted_on", "oath_on"))


def check_integrity(ledger: Ledger, as_of: dt.date, rule_ids: set[str],
                    per_member: set[str] | frozenset[str] = frozenset(),
                    other_rosters: Iterable[RosterRow] = (), *, vocab: Vocabulary) -> list[Problem]:
    """Problems that make a record untrue or inconsistent (they block a merge).

    `per_member`: the rules about each member, for which an exemption may name members. `other_rosters`: the
    roster rows of branches a narrowed check did not read (generator.records.rosters). `vocab` names the dates
    in messages (vocabulary.yaml development_stages and member_dates).
    """
    steps = {**vocab.labels("development_stages", "step"), **vocab.labels("member_dates"),
             **vocab.labels("development_steps")}
    problems: list[Problem] = []
    for branch in ledger.branches:
        problems += _members(branch, steps)
        problems += _meetings(branch)
        problems += _development(branch, steps)
        problems += _rectification(branch)
        problems += _appraisal(branch)
        problems += _officers(branch)
        problems += _elections(branch)
        problems += _absences(branch)
        problems += _exemptions(branch, rule_ids, per_member)
        problems += _before_founding(branch, as_of)
    return problems + _in_two_branches(ledger, other_rosters)


def _before_founding(branch: Branch, as_of: dt.date) -> list[Problem]:
    """Meetings dated before the branch existed: a slip in the meeting's date or in founded_on.

    Members' joined_on is not compared: a branch formed from an older one keeps its members' earlier dates.
    """
    if branch.founded_on is None or impossible(branch.founded_on, as_of):
        return []  # an impossible founded_on (9999-12-31) is one date-impossible, not one warning per meeting
    where = f"{branch.path}/branch.yaml" + (f" 第 {branch.founded_line} 行" if branch.founded_line else "")
    where_en = f"{branch.path}/branch.yaml" + (f" line {branch.founded_line}" if branch.founded_line else "")
    return [make("meeting-before-founding", branch.files.get("meetings", ""), m.line, "date", branch=branch.code,
                 value=m.date, founded=branch.founded_on, where=where, where_en=where_en)
            for m in branch.meetings if PARTY_FOUNDED <= m.date < branch.founded_on]  # else date-impossible


def _in_two_branches(ledger: Ledger, others: Iterable[RosterRow] = ()) -> list[Problem]:
    """The same member (ids are unique across the repository) active in two branches on the same days.

    A transfer is recorded as left_on in the old branch and joined_on, on or after it, in the new one; an
    overlap means one of the two dates is wrong. It is told once, at the later arrival's roster row, naming
    the other; `others` are the rosters of branches a narrowed check did not read (generator.records.rosters), and
    an overlap with one of them is told at the row of the branch that was checked.
    """
    stays: dict[str, list[RosterRow]] = {}
    for branch in ledger.branches:
        for m in branch.members:
            row = RosterRow(branch.code, branch.files.get("members", ""), m.line, m.id, m.joined_on, m.left_on)
            stays.setdefault(m.id, []).append(row)
    checked = {branch.code for branch in ledger.branches}
    for row in others:
        if row.id in stays:  # a member nobody checked this time is not this check's business
            stays[row.id].append(row)
    found: list[Problem] = []
    for rows in stays.values():
        rows.sort(key=lambda row: (row.joined_on, row.branch))
        for i, earlier in enumerate(rows):
            for later in rows[i + 1:]:
                if earlier.branch == later.branch or not {earlier.branch, later.branch} & checked:
                    continue  # twice in one roster (the primary key says so), or two branches not checked now
                end = min(_until(earlier), _until(later))
                if later.joined_on >= end:
                    continue
                here, there = (later, earlier) if later.branch in checked else (earlier, later)
                last = end - dt.timedelta(days=1)
                found.append(make("member-in-two-branches", here.path, here.line, "joined_on", branch=here.branch,
                                  start=later.joined_on, other=there.branch, other_path=there.path,
                                  other_row=there.line, end="今" if end == dt.date.max else last,
                                  end_en="now" if end == dt.date.max else last))
    return found


def _until(row: RosterRow) -> dt.date:
    return row.left_on or dt.date.max


def _order(branch: Branch, table: str, line: int, first: str, a: dt.date | None, second: str,
           b: dt.date | None, steps: dict[str, str]) -> list[Problem]:
    if a is None or b is None or a <= b:
        return []
    zh = f"{steps.get(first, first)}日期 {a} 晚于{steps.get(second, second)}日期 {b}"
    return [make("date-order", branch.files[table], line, second, branch=branch.code, detail=zh,
                 detail_en=f"{first} {a} is after {second} {b}")]


def _members(branch: Branch, steps: dict[str, str]) -> list[Problem]:
    found: list[Problem] = []
    path = branch.files.get("members", "")
    for m in branch.members:
        found += _order(branch, "members", m.line, "admitted_on", m.admitted_on, "full_on", m.full_on, steps)
        found += _order(branch, "members", m.line, "joined_on", m.joined_on, "left_on", m.left_on, steps)
        found += _order(branch, "members", m.line, "away_since", m.away_since, "away_until", m.away_until, steps)
        found += _order(branch, "members", m.line, "lost_contact_since", m.lost_contact_since, "lost_contact_until",
                        m.lost_contact_until, steps)
        if bool(m.left_on) != bool(m.left_reason):
            zh = "填写了离开日期 left_on 就必须填写离开原因 left_reason，反之亦然"
            found.append(make("left-reason", path, m.line, "left_reason", branch=branch.code, detail=zh,
                              detail_en="left_on and left_reason go together"))
        if m.group and m.group not in branch.groups:
            found.append(make("unknown-group", path, m.line, "group", branch=branch.code, value=m.group))
    return found


def _meetings(branch: Branch) -> list[Problem]:
    found: list[Problem] = []
    path = branch.files.get("meetings", "")
    for meeting in branch.meetings:
        if meeting.present > meeting.expected:
            found.append(make("present-exceeds-expected", path, meeting.line, "present", branch=branch.code,
                              present=meeting.present, expected=meeting.expected))
        if (meeting.voting_expected is None) != (meeting.voting_present is None):
            field = "voting_present" if meeting.voting_present is None else "voting_expected"
            found.append(make("voting-count-incomplete", path, meeting.line, field, branch=branch.code))
        elif (meeting.voting_present is not None and meeting.voting_expected is not None
              and meeting.voting_present > meeting.voting_expected):
            found.append(make("present-exceeds-expected", path, meeting.line, "voting_present", branch=branch.code,
                              present=meeting.voting_present, expected=meeting.voting_expected))
        if meeting.kind == "党小组会" and not meeting.group:
            found.append(make("group-required", path, meeting.line, "group", branch=branch.code))
        elif meeting.group and meeting.group not in branch.groups:
            found.append(make("unknown-group", path, meeting.line, "group", branch=branch.code, value=meeting.group))
    return found


def _elections(branch: Branch) -> list[Problem]:
    """An election is held at a 党员大会, and its counts fit together (elections.csv)."""
    found: list[Problem] = []
    path = branch.files.get("elections", "")
    meetings = {m.id: m for m in branch.meetings}
    for election in branch.elections:
        meeting = meetings.get(election.meeting)  # an unknown id is a foreign-key problem already
        if meeting is not None and "党员大会" not in (meeting.kind, *meeting.also):
            found.append(make("election-not-at-assembly", path, election.line, "meeting", branch=branch.code,
                              value=election.meeting, kind=meeting.kind, kind_en="different kind of meeting"))
        for field, zh, en in _election_faults(branch, election, meeting.date if meeting else None):
            found.append(make("election-count-inconsistent", path, election.line, field, branch=branch.code,
                              detail=zh, detail_en=en))
    return found


def _absences(branch: Branch) -> list[Problem]:
    """Each absentee was expected at the meeting; a meeting's list is complete or empty (absences.csv)."""
    found: list[Problem] = []
    if not branch.absences or not branch.whole("members"):
        return found  # an absentee on a roster row that was not read would be told as not expected or missing
    path = branch.files.get("absences", "")
    meetings = {m.id: m for m in branch.meetings}
    members = {m.id: m for m in branch.members}
    listed: dict[str, list[int]] = {}
    for row in branch.absences:
        meeting, member = meetings.get(row.meeting), members.get(row.member)
        if meeting is None or member is None:
            continue  # a foreign-key problem already, or a meeting row that was not read (its problem is told)
        if meeting.group and meeting.group not in branch.groups:
            continue  # unknown-group: who was expected at a group meeting of no known group cannot be said
        listed.setdefault(meeting.id, []).append(row.line)
        if not branch.expects(member, meeting):
            why, why_en = _not_expected(member, meeting)
            found.append(make("absence-not-expected", path, row.line, "member", branch=branch.code, value=row.member,
                              meeting=meeting.id, kind=meeting.kind, why=why, why_en=why_en))
    for meeting_id, lines in listed.items() if branch.whole("absences") else ():  # a row not read is not counted
        meeting = meetings[meeting_id]
        missing = meeting.expected - meeting.present
        if len(lines) != missing:
            found.append(make("absences-count-mismatch", path, min(lines), "meeting", branch=branch.code,
                              meeting=meeting_id, expected=meeting.expected, present=meeting.present,
                              missing=missing, listed=len(lines)))
    return found


def _not_expected(member: Member, meeting: Meeting) -> tuple[str, str]:
    if not member.active(meeting.date):
        return f"会议当天（{meeting.date}）他不在本支部", "not in the branch that day"
    if meeting.kind == "党小组会":
        return f"他不属于党小组 {meeting.group}", "not in that Party group"
    return "他不是支部委员", "not on the committee"


def _election_faults(branch: Branch, election: Election, day: dt.date | None) -> list[tuple[str, str, str]]:
    """(field, Chinese, English) for each count that cannot be true."""
    e, out = election, []
    if e.present > e.eligible:
        out.append(("present", f"实到会有选举权党员 {e.present} 人多于应到会的 {e.eligible} 人",
                    "more present than eligible"))
    if e.candidates < e.seats:
        out.append(("candidates", f"候选人 {e.candidates} 人少于应选的 {e.seats} 人", "fewer candidates than seats"))
    if len(e.votes) > e.seats:
        out.append(("votes", f"记了 {len(e.votes)} 名当选人的得票数，多于应选的 {e.seats} 人",
                    "more elected than seats"))
    if any(v > e.present for v in e.votes):
        out.append(("votes", f"有当选人的得票数多于实到会的 {e.present} 人（每人只投一票）", "more votes than voters"))
    full = len(branch.full_members(day)) if day is not None and branch.members and branch.whole("members") else None
    if full is not None and e.eligible > full:
        out.append(("eligible", f"应到会有选举权党员 {e.eligible} 人多于选举日（{day}）本支部的正式党员 {full} 人"
                                "（预备党员没有选举权）", "more eligible than full members that day"))
    return out


def _development(branch: Branch, steps: dict[str, str]) -> list[Problem]:
    found: list[Problem] = []
    for person in branch.development:
        dates = [(stage, getattr(person, stage)) for stage in _DEV_STAGES if getattr(person, stage)]
        for (first, a), (second, b) in zip(dates, dates[1:], strict=False):
            found += _order(branch, "development", person.line, first, a, second, b, steps)
        for first, second in _DEV_STEP_PAIRS:  # the optional step columns, in the order they can only happen
            found += _order(branch, "development", person.line, first, getattr(person, first), second,
                            getattr(person, second), steps)
    return found


def _rectification(branch: Branch) -> list[Problem]:
    """Each rectification item says which year's 组织生活会 raised it: a meeting reference or a year."""
    path = branch.files.get("rectification", "")
    return [make("rectification-year-missing", path, item.line, "year", branch=branch.code)
            for item in branch.rectification if item.year is None and not item.meeting]


def _appraisal(branch: Branch) -> list[Problem]:
    """A year's appraisal counts everyone on the roster that day once: graded or not (预备党员参加民主评议)."""
    path = branch.files.get("appraisal", "")
    found: list[Problem] = []
    if not branch.whole("members"):
        return found  # the roster was read in part: a count against it would be a second problem of one cause
    for row in branch.appraisal:
        day = branch.appraisal_day(row)
        members = len(branch.active_members(day))
        if row.total != members:
            found.append(make("appraisal-count-mismatch", path, row.line, "ungraded", branch=branch.code,
                              year=row.year, total=row.total, graded=row.graded, ungraded=row.ungraded, day=day,
                              members=members))
    return found


def _roster_ids(branch: Branch) -> set[str]:
    """The roster's ids when it can say who is not on it: read whole and not empty. Otherwise empty, and a reference
    to a member is not judged (a broken or missing roster has its own problem; naming every reference would repeat
    it)."""
    return {m.id for m in branch.members} if branch.members and branch.whole("members") else set()


def _officers(branch: Branch) -> list[Problem]:
    ids = _roster_ids(branch)
    path = f"{branch.path}/branch.yaml"
    found = [make("officer-not-member", path, o.line, "member", branch=branch.code, value=o.member, role=o.role)
             for o in branch.officers() if o.member and ids and o.member not in ids]
    legacy = sum(o.legacy_role for o in branch.officers())
    if legacy:
        found.append(make("officer-role-format", path, None, "role", branch=branch.code, count=legacy))
    listed = Counter(o.member for o in branch.officers() if o.member)
    for _member, count in sorted(listed.items()):
        if count > 1:  # one person written as two entries: the committee would look one person larger
            found.append(make("officer-listed-twice", path, None, "member", branch=branch.code, count=count))
    return found


def _exemptions(branch: Branch, rule_ids: set[str], per_member: set[str] | frozenset[str]) -> list[Problem]:
    path = f"{branch.path}/exemptions.yaml"
    found = []
    ids = _roster_ids(branch)
    for item in branch.exemptions:
        if item.members and item.rule in rule_ids and item.rule not in per_member:
            found.append(make("exemption-members-not-allowed", path, item.line, "members", branch=branch.code,
                              rule=item.rule, allowed="、".join(sorted(per_member)) or "无"))
        for member in item.members:
            if ids and member not in ids:
                found.append(make("unknown-member", path, item.line, "members", branch=branch.code, value=member))
        if item.rule not in rule_ids:
            found.append(make("unknown-rule", path, item.line, "rule", branch=branch.code, value=item.rule))
        if item.start and item.expires_on and item.start > item.expires_on:
            found.append(make("date-order", path, item.line, "expires_on", branch=branch.code,
                              detail=f"豁免开始日期 {item.start} 晚于到期日期 {item.expires_on}",
                              detail_en="from is after expires_on"))
    return found
