"""Compare the old and new version of one branch's CSV tables, row by primary key, into plain findings."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from generator.history.changes_words import Finding, Tally, day, earliest
from generator.records.textfile import parse_csv
from generator.standards.vocabulary import Vocabulary

Row = dict[str, str]  # a CSV row by its header

KEYS = {"members": ("id",), "meetings": ("id",), "dues": ("month", "member"), "development": ("id",),
        "elections": ("id",), "absences": ("meeting", "member"), "rectification": ("id",), "appraisal": ("year",)}
ADVANCES = ("talked_on", "activist_on", "target_on", "admitted_on", "full_on")  # a new date here: a step forward
# The optional step columns of development.csv (培养联系人 … 入党宣誓): filled in, they are progress, not corrections.
STEP_DATES = ("reviewed_on", "publicity_from", "publicity_to", "prereviewed_on", "approved_on", "oath_on")
STEPS = ("mentor1", "mentor2", "sponsor1", "sponsor2", "leaving_on", *STEP_DATES)


@dataclass
class Rows:
    ok: bool = True
    rows: list[dict[str, str]] = field(default_factory=list)


def read_csv(data: bytes | None) -> Rows:
    """Rows as dicts by header; a missing file has no rows; undecodable or unparsable text is not ok."""
    if data is None:
        return Rows()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Rows(ok=False)
    table, problems = parse_csv(text, "")
    if table is None or problems:
        return Rows(ok=False)
    # An empty cell is the same as an absent column: a file that gains an optional column, left empty, changed
    # no record (it is not a correction of every row).
    return Rows(rows=[{name: cell for name, cell in zip(table.header, row, strict=False) if cell.strip()}
                      for row in table.rows if any(c.strip() for c in row)])


def _keyed(table: str, rows: Rows) -> dict[tuple, dict[str, str]]:
    names = KEYS.get(table)
    if names is None:  # no primary key (study.csv): the whole row is the key
        keyed: dict[tuple, dict[str, str]] = {}
        seen: Counter = Counter()
        for row in rows.rows:
            base = tuple(sorted(row.items()))
            seen[base] += 1
            keyed[(*base, seen[base])] = row
        return keyed
    return {tuple((row.get(n) or "").strip() for n in names): row for row in rows.rows}


def compare_table(table: str, old: Rows, new: Rows, until: dt.date | None, vocab: Vocabulary) -> list[Finding]:
    """Findings for one CSV table of one branch; `vocab` names meeting kinds and development stages."""
    before, after = _keyed(table, old), _keyed(table, new)
    added = [after[k] for k in sorted(after.keys() - before.keys())]
    removed = [before[k] for k in sorted(before.keys() - after.keys())]
    changed = [(before[k], after[k]) for k in sorted(before.keys() & after.keys()) if before[k] != after[k]]
    return _COMPARE[table](added, removed, changed, until, vocab)


def _differing_dates(old: dict, new: dict) -> dt.date | None:
    keys = [k for k in sorted(old.keys() | new.keys()) if old.get(k) != new.get(k)]
    return earliest(*(old.get(k) for k in keys), *(new.get(k) for k in keys))


def _meetings(added: list[Row], removed: list[Row], changed: list[tuple[Row, Row]], until: dt.date | None,
              vocab: Vocabulary) -> list[Finding]:
    kinds = vocab.order("meeting_kinds")  # counted in 次, in the vocabulary's order
    add, drop, fix = Tally(until, kinds), Tally(until, kinds), Tally(until)
    for row in added:
        add.add(day(row.get("date")), (row.get("kind") or "").strip())
    for row in removed:
        drop.add(day(row.get("date")), (row.get("kind") or "").strip())
    for old, new in changed:
        fix.add(earliest(old.get("date"), new.get("date")))
    return (add.findings("meetings-added")
            + drop.findings("meetings-removed")
            + fix.findings("meetings-changed"))


def _members(added: list[Row], removed: list[Row], changed: list[tuple[Row, Row]], until: dt.date | None,
             vocab: Vocabulary) -> list[Finding]:
    add, full, left, fix, drop = (Tally(until) for _ in range(5))
    for row in added:
        add.add(day(row.get("joined_on")))
    for row in removed:
        drop.add(day(row.get("joined_on")))
    for old, new in changed:
        if not (old.get("full_on") or "").strip() and day(new.get("full_on")):
            full.add(day(new.get("full_on")))
        elif not (old.get("left_on") or "").strip() and day(new.get("left_on")):
            left.add(day(new.get("left_on")))
        else:
            fix.add(_differing_dates(old, new))
    return (add.findings("members-added")
            + full.findings("members-full")
            + left.findings("members-left")
            + fix.findings("members-changed")
            + drop.findings("members-removed"))


def _dues(added: list[Row], removed: list[Row], changed: list[tuple[Row, Row]], until: dt.date | None,
          vocab: Vocabulary) -> list[Finding]:
    add, drop, fix = Tally(until), Tally(until), Tally(until)
    for row in added:
        add.add(day(row.get("month")))
    for row in removed:
        drop.add(day(row.get("month")))
    for old, new in changed:
        newly_paid = not (old.get("paid") or "").strip() and (new.get("paid") or "").strip()
        only_payment = all(old.get(k) == new.get(k) for k in ("month", "member", "due"))
        fix.add(day(new.get("paid_on")) if newly_paid and only_payment else day(new.get("month")))
    return (add.findings("dues-added")
            + fix.findings("dues-changed")
            + drop.findings("dues-removed"))


def _development(added: list[Row], removed: list[Row], changed: list[tuple[Row, Row]], until: dt.date | None,
                 vocab: Vocabulary) -> list[Finding]:
    events = vocab.labels("development_stages", "event")  # 列为入党积极分子 …
    steps = vocab.labels("development_steps")  # 入党宣誓 …
    add, step, fix, drop = (Tally(until) for _ in range(4))
    for row in added:
        add.add(day(row.get("applied_on")))
    for row in removed:
        drop.add(day(row.get("applied_on")))
    for old, new in changed:
        reached = [(k, events.get(k, k)) for k in ADVANCES if not (old.get(k) or "").strip() and day(new.get(k))]
        filled = [k for k in STEPS if not (old.get(k) or "").strip() and (new.get(k) or "").strip()]
        others = [k for k in old.keys() | new.keys()
                  if old.get(k) != new.get(k) and k not in dict(reached) and k not in filled]
        recorded = [(k, steps.get(k, k)) for k in STEP_DATES if k in filled and day(new.get(k))]
        if reached and not others:  # a stage reached (with the steps that came with it): a step forward
            key, label = reached[-1]
            step.add(day(new.get(key)), label)
        elif recorded and not others:  # a step recorded on its own (审批, 入党宣誓 …): also a step forward
            key, label = recorded[-1]
            step.add(day(new.get(key)), label)
        else:
            fix.add(_differing_dates(old, new))
    return (add.findings("development-added")
            + step.findings("development-advanced")
            + fix.findings("development-changed")
            + drop.findings("development-removed"))


def _study(added: list[Row], removed: list[Row], changed: list[tuple[Row, Row]], until: dt.date | None,
           vocab: Vocabulary) -> list[Finding]:
    add, drop = Tally(until), Tally(until)
    for row in added:
        add.add(day(row.get("date")))
    for row in removed:
        drop.add(day(row.get("date")))
    return (add.findings("study-added")
            + drop.findings("study-removed"))


def _elections(added: list[Row], removed: list[Row], changed: list[tuple[Row, Row]], until: dt.date | None,
               vocab: Vocabulary) -> list[Finding]:
    """Elections are counts only; the record id starts with the assembly's date (its month, for amendments)."""
    add, fix, drop = Tally(until), Tally(until), Tally(until)
    for row in added:
        add.add(day((row.get("id") or "")[:10]))
    for _old, new in changed:
        fix.add(day((new.get("id") or "")[:10]))
    for row in removed:
        drop.add(day((row.get("id") or "")[:10]))
    return (add.findings("elections-added") + fix.findings("elections-changed")
            + drop.findings("elections-removed"))


def _absences(added: list[Row], removed: list[Row], changed: list[tuple[Row, Row]], until: dt.date | None,
              vocab: Vocabulary) -> list[Finding]:
    """Absentees are counted, never named; the meeting id starts with its date (its month, for amendments)."""
    add, drop = Tally(until), Tally(until)
    for row in added:
        add.add(day((row.get("meeting") or "")[:10]))
    for row in removed:
        drop.add(day((row.get("meeting") or "")[:10]))
    return add.findings("absences-added") + drop.findings("absences-removed")


def _meeting_day(row: Row) -> dt.date | None:
    """The date a row's meeting id starts with (the meeting it came from), if any."""
    return day((row.get("meeting") or "")[:10])


def _rectification(added: list[Row], removed: list[Row], changed: list[tuple[Row, Row]], until: dt.date | None,
                   vocab: Vocabulary) -> list[Finding]:
    """Rectification items date from their 组织生活会 (else their deadline); a closing date filled in is progress."""
    add, closed, fix, drop = (Tally(until) for _ in range(4))
    for row in added:
        add.add(_meeting_day(row) or day(row.get("due")))
    for row in removed:
        drop.add(_meeting_day(row) or day(row.get("due")))
    for old, new in changed:
        others = [k for k in old.keys() | new.keys() if old.get(k) != new.get(k) and k != "closed_on"]
        if not old.get("closed_on") and day(new.get("closed_on")) and not others:
            closed.add(day(new.get("closed_on")))
        else:
            fix.add(_differing_dates(old, new) or _meeting_day(new) or day(new.get("due")))
    return (add.findings("rectification-added") + closed.findings("rectification-closed")
            + fix.findings("rectification-changed") + drop.findings("rectification-removed"))


def _year_end(row: Row) -> dt.date | None:
    """A 民主评议 result dates from its meeting, else from the end of its year."""
    year = (row.get("year") or "").strip()
    return _meeting_day(row) or (day(f"{year}-12-31") if len(year) == 4 else None)


def _appraisal(added: list[Row], removed: list[Row], changed: list[tuple[Row, Row]], until: dt.date | None,
               vocab: Vocabulary) -> list[Finding]:
    """民主评议 results are counts per year, never names."""
    add, fix, drop = Tally(until), Tally(until), Tally(until)
    for row in added:
        add.add(_year_end(row))
    for _old, new in changed:
        fix.add(_year_end(new))
    for row in removed:
        drop.add(_year_end(row))
    return (add.findings("appraisal-added") + fix.findings("appraisal-changed")
            + drop.findings("appraisal-removed"))


# One comparison per table of records.load.TABLES (tests/test_changes.py holds them equal): a table without one
# would make every change to it a crash of the changes page.
_COMPARE = {"members": _members, "meetings": _meetings, "dues": _dues, "development": _development, "study": _study,
            "elections": _elections, "absences": _absences, "rectification": _rectification,
            "appraisal": _appraisal}
