"""Reminders: the deadlines a branch still has open, as an iCalendar feed and as text for a WeChat group.

The deadlines come from the rule results (status `due`: the period is still open and the rule not yet met,
e.g. this quarter's 党课) and from the committee's term. Same records and as-of date → the same bytes: each
event's UID is derived from college, branch, rule and period, and DTSTAMP is the as-of date.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from icalendar import Calendar, Event

from generator.records.control import CONTROL
from generator.rules import Result
from generator.rules.periods import ONCE, add_years, period_of_label

if TYPE_CHECKING:
    from generator.ledger.model import Branch
    from generator.standards.catalogue import Standards

_KIND_OF = {7: "month", 4: "year"}  # a period label's length → its kind (2026-11, 2026); quarters contain -Q
WEEKDAYS = "一二三四五六日"
SECRETARY_TERM_YEARS = 3  # a branch without a committee: the secretary's term is the general one (BR-06)


@dataclass(frozen=True, order=True)
class Reminder:
    """One open deadline of a branch."""

    due: dt.date
    branch: str  # the branch's code
    key: str  # the rule id, or TERM
    period: str  # the period label (2026-Q4), or the election date for a term
    title: str  # what has to be done, in Chinese


TERM = "term"


def period_end(label: str) -> dt.date | None:
    """The last day of a result's period (2026-11, 2026-Q4, 2026); None for a structural rule (once)."""
    if label == ONCE:
        return None
    kind = "quarter" if "-Q" in label else _KIND_OF.get(len(label))
    return period_of_label(kind, label).end if kind else None


def branch_reminders(branch: Branch, results: list[Result], standards: Standards, as_of: dt.date) -> list[Reminder]:
    """The branch's open deadlines on `as_of`: its results still due, and the end of the committee's term."""
    found = []
    for r in results:
        end = period_end(r.period) if r.status == "due" else None
        rule = standards.rule(r.rule)
        if end is not None and end >= as_of and rule is not None:
            found.append(Reminder(end, branch.code, r.rule, r.period, rule.title))
    if branch.committee:
        c = branch.committee
        end = c.extended_until or add_years(c.elected_on, c.term_years)
        found.append(Reminder(end, branch.code, TERM, c.elected_on.isoformat(), "支部委员会任期届满，按期换届选举"))
    elif (secretary := branch.secretary_officer()) is not None and secretary.elected_on:
        end = secretary.extended_until or add_years(secretary.elected_on, SECRETARY_TERM_YEARS)
        found.append(Reminder(end, branch.code, TERM, secretary.elected_on.isoformat(), "书记任期届满，按期换届选举"))
    # an all-day event ends the day after its deadline: a term end clipped to the last representable date
    # (elected in 9999, or a term of thousands of years) has no such day and is no deadline anyone can meet
    return sorted(r for r in found if as_of <= r.due < dt.date.max)


def uid(college: str, reminder: Reminder) -> str:
    """A stable event id: the same deadline keeps its UID in every build, so calendars update it in place."""
    key = f"zhibu:{college}:{reminder.branch}:{reminder.key}:{reminder.period}"
    return f"{uuid.uuid5(uuid.NAMESPACE_URL, key)}@zhibu"


def one_line(text: str) -> str:
    """A name as one line of plain text: a feed's line (iCalendar content line, a numbered WeChat line) cannot hold a
    line break or a control character, and a name from the records may (a YAML "\\n" escape)."""
    return " ".join(CONTROL.sub(" ", text).split())



def calendar_ics(college: str, name: str, reminders: list[Reminder], names: dict[str, str], as_of: dt.date) -> str:
    """An iCalendar feed of all-day events, one per deadline; `names` gives each branch's name (unit feeds)."""
    name, names = one_line(name), {code: one_line(text) for code, text in names.items()}
    cal = Calendar()
    cal.add("prodid", "-//zhibu//党支部工作提醒//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{name} 待办截止")
    stamp = dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=dt.UTC)
    many = len({r.branch for r in reminders}) > 1 or len(names) > 1
    for r in reminders:
        event = Event()
        event.add("uid", uid(college, r))
        event.add("dtstamp", stamp)
        event.add("dtstart", r.due)
        event.add("dtend", r.due + dt.timedelta(days=1))
        who = f"【{names.get(r.branch, r.branch)}】" if many else ""
        event.add("summary", f"{who}截止：{label(r)}")
        event.add("description", f"{names.get(r.branch, r.branch)}：{label(r)}，{r.due} 前完成。数据截至 {as_of}。")
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")


def label(r: Reminder) -> str:
    """What is due, with its rule and period (the term: its end)."""
    if r.key == TERM:
        return r.title
    return f"{r.title}（{r.key}，{r.period}）"


def wechat_text(name: str, reminders: list[Reminder], names: dict[str, str], as_of: dt.date) -> str:
    """The same list as plain text to paste into a WeChat group: one numbered line per deadline."""
    name, names = one_line(name), {code: one_line(text) for code, text in names.items()}
    lines = [f"【{name}】待办截止提醒（数据截至 {as_of}）"]
    many = len(names) > 1
    for i, r in enumerate(reminders, 1):
        who = f"{names.get(r.branch, r.branch)}：" if many else ""
        lines.append(f"{i}. {r.due}（周{WEEKDAYS[r.due.weekday()]}）前 {who}{label(r)}")
    lines.append(f"共 {len(reminders)} 项。" if reminders else "目前没有未完成的截止事项。")
    return "\n".join(lines) + "\n"


def feeds(college: str, branches: list[Branch], units: dict[str, str], results: dict[str, list[Result]],
          standards: Standards, as_of: dt.date) -> tuple[dict[str, list[Reminder]], dict[str, str]]:
    """Each branch's reminders, and the files of every feed: branches/<code>/calendar.ics and .txt, and the
    same for units/<code>/ (all the unit's branches); `units` maps a unit's code to its name."""
    mine = {b.code: branch_reminders(b, results.get(b.code, []), standards, as_of) for b in branches}
    files: dict[str, str] = {}
    for b in branches:
        files[f"branches/{b.code}/calendar.ics"] = calendar_ics(college, b.name, mine[b.code], {b.code: b.name}, as_of)
        files[f"branches/{b.code}/calendar.txt"] = wechat_text(b.name, mine[b.code], {b.code: b.name}, as_of)
    for code, name in units.items():
        members = {b.code: b.name for b in branches if b.unit == code}
        theirs = sorted(r for c in members for r in mine[c])
        files[f"units/{code}/calendar.ics"] = calendar_ics(college, name, theirs, members, as_of)
        files[f"units/{code}/calendar.txt"] = wechat_text(name, theirs, members, as_of)
    return mine, files
