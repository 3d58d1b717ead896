"""Dates within plausible bounds: a real calendar day can still be an impossible or an unlikely record.

`0023-01-16` and `9999-01-01` are real days and passed the check. Bounds, by what a column records:

- Every date in records/ (CSV cells and YAML values): not before the Party was founded (1921-07-01), and
  not more than FAR_YEARS after the as-of date (an exemption or a planned departure may lie ahead, a decade
  does not): outside these an error, `date-impossible`.
- Events that have happened (a member's admission, probation's end and arrival; the development stages; a
  study record and a dues payment; a branch's founding and its committee's election; a meeting): after
  the as-of date, the warning `future-date`, as meetings had. A look back (an --as-of earlier than the date of
  the last commit of the records) moves these bounds to that commit's date: what was written down by then is
  not in the future, it only lies after the day looked at (and is not counted for it). A departure (left_on),
  an exemption's end and a postponement may be written ahead of time and are not warned about.
- A member's or applicant's date more than VETERAN_YEARS before the as-of date (admitted at 18 at the
  earliest, the person would be over 108): the warning `date-implausible`. Retired members admitted in
  the 1940s and 1950s stay clear.
- The branch's running records (meetings, study, dues months) before organization.yaml's records_start:
  the warning `date-implausible`, since the check does not count them (2003 typed for 2023 silently lost a
  meeting); a dues month more than a year after the as-of month likewise (dues are paid ahead, not years).
"""

from __future__ import annotations

import datetime as dt

from generator.ledger.model import Branch, Ledger
from generator.problems.caps import Caps, Hidden
from generator.problems.catalogue import CATALOG, Problem, make
from generator.records.load import RawRecords, YamlDoc
from generator.records.yamlfile import leaves, line_for
from generator.validation.cellformat import is_iso_date

PARTY_FOUNDED = dt.date(1921, 7, 1)
FAR_YEARS = 10
VETERAN_YEARS = 90
_FOUNDED_ZH = "早于中国共产党成立的 1921-07-01，党的记录不会早于这一天"
_FOUNDED_EN = "before the Party was founded (1921-07-01)"
_EVENT_KEYS = {"founded_on", "elected_on"}  # YAML dates of what has happened (branch.yaml)
_MEMBER_EVENTS = ("admitted_on", "full_on", "joined_on")
_STAGES = ("applied_on", "talked_on", "activist_on", "target_on", "admitted_on", "full_on")


class Bounds:
    """The as-of date's bounds, worked out once for a whole check.

    Each column class also gets the range of dates that raise nothing: a row is looked at closely only when a
    date falls outside it (a million rows cost two comparisons per date).
    """

    def __init__(self, as_of: dt.date, records_start: dt.date, recorded: dt.date | None = None) -> None:
        self.as_of = as_of
        # The day the records had been written down by: the as-of date, or the last commit's date when the as-of
        # date is earlier (a look back). Dates up to it are not in the future, whatever day is looked at.
        self.recorded = max(as_of, recorded or as_of)
        self.caps = Caps()  # problems per file and kind: beyond the caps only counted
        self.ceiling = years_later(self.recorded, FAR_YEARS)
        # A records_start that is itself out of bounds or ahead is told once, on its own line, not on every row.
        self.start = records_start if PARTY_FOUNDED <= records_start <= as_of else dt.date.min
        self.veteran = years_later(as_of, -VETERAN_YEARS)
        self.dues_ahead = years_later(self.recorded.replace(day=1), 1)
        person, running, last = max(self.veteran, PARTY_FOUNDED), max(self.start, PARTY_FOUNDED), self.recorded
        self.clear = {"person": (person, last), "departure": (person, self.ceiling), "running": (running, last),
                      "event": (PARTY_FOUNDED, last), "month": (running, self.dues_ahead - dt.timedelta(days=1))}

    def impossible(self, day: dt.date) -> tuple[str, str] | None:
        return impossible(day, self.recorded, self.ceiling, committed=self.recorded != self.as_of)

    def after(self) -> tuple[str, str]:
        """What a future date is after, in Chinese and English: the as-of date, or on a look back also the date the
        records had been written down by."""
        if self.recorded == self.as_of:
            return f"统计截止日 {self.as_of}", f"the as-of date {self.as_of}"
        return (f"记录最近一次提交的日期 {self.recorded}（统计截止日 {self.as_of} 更早）",
                f"the date of the records' last commit, {self.recorded} (the as-of date {self.as_of} is earlier)")

    def before_start(self) -> tuple[str, str]:
        start = self.start.strftime("%Y-%m")
        return (f"早于记录起始月份 {start}（organization.yaml 的 records_start），此前的记录不参与评估，"
                "如果是年份打错了，这条记录就不会被计入", f"before the records start ({start}); it is not counted")


def impossible(day: dt.date, as_of: dt.date, ceiling: dt.date | None = None,
               committed: bool = False) -> tuple[str, str] | None:
    """(Chinese, English) reason why no record can bear this date, or None. `committed`: `as_of` is the date of the
    records' last commit (a look back at an earlier day measures from there)."""
    if day < PARTY_FOUNDED:
        return _FOUNDED_ZH, _FOUNDED_EN
    if day > (ceiling or years_later(as_of, FAR_YEARS)):
        zh, en = ("记录最近一次提交的日期", "the records' last commit") if committed else \
            ("统计截止日", "the as-of date")
        return (f"比{zh} {as_of} 晚 {FAR_YEARS} 年以上", f"more than {FAR_YEARS} years after {en} {as_of}")
    return None


def out_of_bounds(raw: RawRecords, ledger: Ledger, as_of: dt.date, bad_files: set[str],
                  recorded: dt.date | None = None) -> tuple[list[Problem], dict[tuple[str, str], Hidden]]:
    """Every date outside its column's bounds, in the ledger's rows and in the YAML files that were read.

    `recorded`: the date of the records' last commit (see Bounds). Also the problems counted beyond the caps, by
    (file, code), for caps.capped's "另有 N 处同类问题".
    """
    bounds = Bounds(as_of, ledger.organization.records_start, recorded)
    found: list[Problem] = []
    for branch in ledger.branches:
        found += _members(branch, bounds)
        found += _meetings(branch, bounds)
        found += _dues(branch, bounds)
        found += _development(branch, bounds)
        found += _study(branch, bounds)
    docs = [raw.organization, *raw.units.values()]
    docs += [doc for branch in raw.branches for doc in (branch.branch, branch.exemptions)]
    for doc in docs:
        if doc is not None and doc.path not in bad_files:
            found += _yaml(doc, bounds, _branch_of(doc.path))
    return found, bounds.caps.hidden


def mark_partial(ledger: Ledger, dated: list[Problem]) -> None:
    """The tables holding a date that cannot be true yet (future-date, date-impossible) are read only in part.

    Checks across tables then leave them alone (Branch.whole): a roster row dated next year would otherwise also
    be told as a 民主评议 or election count that does not match, one slip told twice.
    """
    wrong = {p.path for p in dated if p.code in ("future-date", "date-impossible")}
    for branch in ledger.branches:
        branch.partial.update(name for name, path in branch.files.items() if path in wrong)


def _members(branch: Branch, bounds: Bounds) -> list[Problem]:
    path, found = branch.files.get("members", ""), []
    (low, high), (_, far) = bounds.clear["person"], bounds.clear["departure"]
    for m in branch.members:
        if not (low <= m.admitted_on <= high and low <= m.joined_on <= high
                and (m.full_on is None or low <= m.full_on <= high)
                and (m.left_on is None or low <= m.left_on <= far)):
            for name in (*_MEMBER_EVENTS, "left_on"):
                day = getattr(m, name)
                if day is not None:
                    found += _check(bounds, day, path, m.line, name, branch.code, event=name != "left_on",
                                    person=True)
    return found


def _meetings(branch: Branch, bounds: Bounds) -> list[Problem]:
    """A meeting before the branch's founding is told by integrity (meeting-before-founding), naming founded_on."""
    path, founded = branch.files.get("meetings", ""), branch.founded_on or dt.date.min
    low, high = bounds.clear["running"]
    return [p for m in branch.meetings if not low <= m.date <= high
            for p in _check(bounds, m.date, path, m.line, "date", branch.code, event=True, running=m.date >= founded)]


def _study(branch: Branch, bounds: Bounds) -> list[Problem]:
    path = branch.files.get("study", "")
    low, high = bounds.clear["running"]
    return [p for s in branch.study if not low <= s.date <= high
            for p in _check(bounds, s.date, path, s.line, "date", branch.code, event=True, running=True)]


def _development(branch: Branch, bounds: Bounds) -> list[Problem]:
    path, found = branch.files.get("development", ""), []
    low, high = bounds.clear["person"]
    for person in branch.development:
        for name in _STAGES:
            day = getattr(person, name)
            if day is not None and not low <= day <= high:
                found += _check(bounds, day, path, person.line, name, branch.code, event=True, person=True)
    return found


def _dues(branch: Branch, bounds: Bounds) -> list[Problem]:
    path, found = branch.files.get("dues", ""), []
    (low, high), (first, last) = bounds.clear["month"], bounds.clear["event"]
    months: dict[str, dt.date] = {}
    for due in branch.dues:
        month = months.get(due.month)
        if month is None:
            month = months[due.month] = dt.date.fromisoformat(f"{due.month}-01")
        if not low <= month <= high:
            found += _check(bounds, month, path, due.line, "month", branch.code, shown=due.month, running=True,
                            ahead=month >= bounds.dues_ahead)
        if due.paid_on is not None and not first <= due.paid_on <= last:
            found += _check(bounds, due.paid_on, path, due.line, "paid_on", branch.code, event=True)
    return found


def _check(bounds: Bounds, day: dt.date, path: str, line: int | None, field: str | None, branch: str | None, *,
           event: bool = False, person: bool = False, running: bool = False, ahead: bool = False,
           shown: str | None = None) -> list[Problem]:
    """At most one problem for one date: impossible, else in the future, else unlikely.

    Made only while its file lists fewer than caps.PER_KIND of its kind (200,000 future dates are counted).
    """
    why = bounds.impossible(day)
    code = "date-impossible" if why is not None else "future-date" if event and day > bounds.recorded else None
    if code is None:
        if person and day < bounds.veteran:
            why = (f"早于统计截止日 {VETERAN_YEARS} 年以上（按最早 18 岁入党计，此人已超过 {VETERAN_YEARS + 18} 岁）",
                   f"more than {VETERAN_YEARS} years before the as-of date")
        elif running and day < bounds.start:
            why = bounds.before_start()
        elif ahead:
            why = ("党费月份比统计截止日所在月份晚一年以上，党费可以预交，但不会预交这么久",
                   "a dues month more than a year after the as-of month")
        code = "date-implausible" if why is not None else None
    if code is None or not bounds.caps.admit(path, code, line, CATALOG[code][0], branch):
        return []
    value = shown or day.isoformat()
    if why is None:
        after, after_en = bounds.after()
        return [make(code, path, line, field, branch=branch, value=value, after=after, after_en=after_en)]
    return [make(code, path, line, field, branch=branch, value=value, why=why[0], why_en=why[1])]


def _yaml(doc: YamlDoc, bounds: Bounds, branch: str | None) -> list[Problem]:
    found: list[Problem] = []
    for path, value in leaves(doc.data):
        if not 7 <= len(value) <= 10:  # YYYY-MM or YYYY-MM-DD
            continue
        key = next((str(p) for p in reversed(path) if isinstance(p, str)), None)
        if key == "records_start" and len(value) == 7 and is_iso_date(f"{value}-01"):
            day = dt.date.fromisoformat(f"{value}-01")
            found += _check(bounds, day, doc.path, line_for(doc.lines, path), key, branch, shown=value)
            if bounds.impossible(day) is None and day > bounds.as_of:  # the day looked at, not `recorded`
                found.append(make("date-implausible", doc.path, line_for(doc.lines, path), key, branch=branch,
                                  value=value, why=f"晚于统计截止日 {bounds.as_of}，什么也不会被评估",
                                  why_en=f"after the as-of date {bounds.as_of}: nothing is judged"))
        elif is_iso_date(value):
            found += _check(bounds, dt.date.fromisoformat(value), doc.path, line_for(doc.lines, path), key, branch,
                            event=key in _EVENT_KEYS)
    return found



def _branch_of(path: str) -> str | None:
    parts = path.split("/")
    return parts[2] if len(parts) == 4 else None  # records/<unit>/<branch>/<file>


def years_later(day: dt.date, years: int) -> dt.date:
    year = day.year + years
    if year > dt.MAXYEAR:
        return dt.date.max
    if year < dt.MINYEAR:
        return dt.date.min
    return day.replace(year=year, day=28) if (day.month, day.day) == (2, 29) else day.replace(year=year)
