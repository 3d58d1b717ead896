"""The demo's member-development steps beyond the stage dates: mentors, sponsors, review, 公示, approval, oath.

Each person's steps come from their own random stream (branch code and person id), so adding these columns
leaves every other demo record as it was. STEP_FAULTS lists the branches that break one of these rules.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from generator.demo.dates import START, Schedule, add_months, known
from generator.demo.faults import Shortfall
from generator.demo.roster import Candidate, Person, Roster

# Branch → the development-step rules it breaks (each once); every other branch with candidates meets them.
STEP_FAULTS: dict[str, tuple[str, ...]] = {
    "jingguan-xs1": ("DV-04", "DV-07"),
    "jianzhu-xs1": ("DV-08", "DV-10"),
    "xinxi-xs2": ("DV-12", "DV-19"),
    "jidian-xs1": ("DV-10L", "DV-21"),
}
PUBLICITY_WORKDAYS = 5  # the demo college's setting (organization.yaml settings.publicity_workdays)


def _full(people: list[Person], day: date, but: str) -> list[Person]:
    return sorted((p for p in people if p.full(day) and p.id != but), key=lambda p: p.id)


def _back_workdays(last: date, count: int) -> date:
    """The first day of a run of `count` weekdays ending on `last` (a weekday)."""
    day, seen = last, 1
    while seen < count:
        day -= timedelta(days=1)
        seen += day.weekday() < 5
    return day


def _weekday_before(day: date) -> date:
    day -= timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def late_admission(code: str, found: Roster, sched: Schedule, as_of: date) -> list[Shortfall]:
    """DV-10L: a graduating activist admitted at the spring assembly of the graduation year, weeks before leaving.

    The person then leaves as a probationary member (毕业转出), as a student admitted so late would.
    """
    if "DV-10L" not in STEP_FAULTS.get(code, ()):
        return []
    for c in sorted(found.candidates, key=lambda c: c.id):
        leave = c.leaving_on
        if c.admitted_on or not c.activist_on or leave is None or leave > as_of:
            continue
        admitted = sched.assembly.get((leave.year, 2))
        if admitted is None or not add_months(leave, -3) < admitted < leave:
            continue
        c.target_on = add_months(c.activist_on, 12)
        c.trained_hours, c.admitted_on = 24, admitted
        found.people.append(Person(c.id, "学生", admitted, None, admitted, left_on=leave, left_reason="毕业转出"))
        return [Shortfall(code, "DV-10L", f"1名发展对象{admitted}被接收，{leave}毕业离校（不足3个月，提醒）")]
    return []


def fill(code: str, candidates: list[Candidate], people: list[Person], as_of: date) -> None:
    """Record every step a person has reached by the as-of date, as a branch doing its work well would."""
    for c in candidates:
        rng = random.Random(f"{code}:{c.id}:steps")
        if c.activist_on:
            pool = _full(people, c.activist_on, c.id)
            c.mentors = [p.id for p in rng.sample(pool, min(len(pool), rng.choice([1, 2, 2])))]
        if not c.admitted_on:
            continue
        pool = _full(people, c.admitted_on, c.id)
        mentors = [m for m in c.mentors if any(p.id == m for p in pool)]
        others = [p.id for p in pool if p.id not in mentors]
        c.sponsors = (mentors + rng.sample(others, min(len(others), max(0, 2 - len(mentors)))))[:2]
        c.prereviewed_on = c.admitted_on - timedelta(days=rng.randint(8, 15))
        c.publicity_to = _weekday_before(c.prereviewed_on - timedelta(days=rng.randint(0, 3)))
        c.publicity_from = _back_workdays(c.publicity_to, rng.choice([PUBLICITY_WORKDAYS, PUBLICITY_WORKDAYS, 7]))
        c.reviewed_on = c.publicity_from - timedelta(days=rng.randint(5, 30))
        approved = c.admitted_on + timedelta(days=rng.randint(14, 60))
        c.approved_on = approved if approved <= as_of else None
        oath = approved + timedelta(days=rng.randint(3, 30))
        c.oath_on = oath if oath <= as_of and (c.full_on is None or oath <= c.full_on) else None


def faults(code: str, candidates: list[Candidate], people: list[Person], as_of: date) -> list[Shortfall]:
    """The branch's deliberate shortfalls of STEP_FAULTS, made on the latest fitting person."""
    rules, notes = STEP_FAULTS.get(code, ()), []
    admitted = sorted((c for c in candidates if c.admitted_on and START <= c.admitted_on <= as_of),
                      key=lambda c: (known(c.admitted_on), c.id), reverse=True)

    def note(rule: str, text: str) -> None:
        notes.append(Shortfall(code, rule, text))

    if "DV-04" in rules:
        active = [c for c in candidates if c.activist_on and START <= c.activist_on and not c.target_on]
        if active:
            active[-1].mentors = []
            note("DV-04", f"1名入党积极分子{active[-1].activist_on}确定后未登记培养联系人")
    if "DV-07" in rules and admitted:
        c = admitted[0]
        c.sponsors = c.sponsors[:1]
        note("DV-07", f"1名发展对象{c.admitted_on}被接收时只登记了1名入党介绍人")
    if "DV-08" in rules and admitted:
        c = admitted[0]
        c.reviewed_on = known(c.admitted_on) + timedelta(days=10)
        note("DV-08", f"1名发展对象{c.admitted_on}被接收，政治审查{c.reviewed_on}才有结论")
    if "DV-10" in rules and len(admitted) > 1:
        c = admitted[1]
        c.prereviewed_on = None
        note("DV-10", f"1名发展对象{c.admitted_on}被接收，没有基层党委预审记录")
    if "DV-12" in rules and admitted:
        slow = next((c for c in admitted if add_months(known(c.admitted_on), 7) <= as_of), None)
        if slow is not None:
            slow.approved_on = add_months(known(slow.admitted_on), 7)
            slow.oath_on = slow.approved_on + timedelta(days=7) if slow.oath_on else None
            note("DV-12", f"1名预备党员{slow.admitted_on}支部大会通过，{slow.approved_on}才经基层党委审批（超过6个月）")
    if "DV-19" in rules and admitted:
        c = admitted[-1]
        c.publicity_from = _back_workdays(known(c.publicity_to), 3)
        note("DV-19", f"1名发展对象{c.admitted_on}被接收前只公示了3个工作日")
    if "DV-21" in rules:
        full = [c for c in admitted if c.full_on and c.full_on <= as_of]
        if full:
            full[0].oath_on = None
            note("DV-21", f"1名党员{full[0].full_on}已转正，没有入党宣誓记录")
    return notes
