"""Six months without organisation life (连续6个月不参加党的组织生活), from the optional absences.csv.

A meeting's attendance is known when every absentee is listed (as many absences.csv rows as `expected` minus
`present`; a meeting everyone attended needs none). A member took part in organisation life in a month when
they attended at least one meeting of it they were expected at; they missed the month when every such
meeting's attendance is known and they are listed absent from all of them. A month with no such meeting, or
with one whose attendance is unknown, breaks a run: the rule never fails a member on what was not recorded.
"""

from __future__ import annotations

from collections import defaultdict

from generator.ledger.model import Branch, Meeting, Member
from generator.rules import Context, Result, once, rule_type
from generator.rules.periods import Period, periods_between
from generator.standards.catalogue import Rule


def absentees(branch: Branch) -> dict[str, set[str] | None]:
    """Meeting id -> the members listed absent, or None where the list does not account for every absentee."""
    listed: dict[str, set[str]] = defaultdict(set)
    for row in branch.absences:
        listed[row.meeting].add(row.member)
    return {m.id: listed[m.id] if len(listed[m.id]) == m.expected - m.present else None for m in branch.meetings}


def _month_states(member: Member, branch: Branch, months: list[Period], held: list[Meeting],
                  absent: dict[str, set[str] | None]) -> list[bool]:
    """For each month, True when the member is known to have missed every organisation-life meeting of it."""
    states = []
    index = 0
    for month in months:
        mine = []
        while index < len(held) and held[index].date <= month.end:
            if held[index].date >= month.start and branch.expects(member, held[index]):
                mine.append(held[index])
            index += 1
        known = [absent.get(m.id) for m in mine]
        states.append(bool(mine) and all(k is not None and member.id in k for k in known))
    return states


def _longest(states: list[bool]) -> tuple[int, int]:
    """(length, index of the last month) of the longest run of True."""
    best, best_end, run = 0, -1, 0
    for i, missed in enumerate(states):
        run = run + 1 if missed else 0
        if run > best:
            best, best_end = run, i
    return best, best_end


@rule_type("consecutive_absence")
def consecutive_absence(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """No member missed every organisation-life meeting of `months` consecutive closed months (absences.csv).

    Without absences.csv the rule is n/a: attendance per member is not recorded. Only counts are shown.
    """
    limit = int(ctx.settings.get(rule.params["setting"], rule.params.get("months", 6))
                if rule.params.get("setting") else rule.params.get("months", 6))
    if "absences" not in branch.files:
        return once(branch, rule, None, "未登记缺席名单（absences.csv），无法按人检查是否连续不参加组织生活")
    begin = max(ctx.start, branch.founded_on or ctx.start)
    months = [p for p in periods_between("month", begin, ctx.as_of) if p.end < ctx.as_of]
    if not months or not branch.members:
        return once(branch, rule, None, "还没有已结束的月份")
    kinds = set(rule.params.get("kinds") or ctx.vocab.values("meeting_kinds"))  # every kind is organisation life
    held = sorted((m for m in branch.meetings if kinds & {m.kind, *m.also}), key=lambda m: (m.date, m.line))
    absent = absentees(branch)
    path = branch.files.get("absences", "")
    lines = {(a.meeting, a.member): a.line for a in branch.absences}
    worst, flagged, evidence = 0, 0, []
    for member in branch.members:
        run, end = _longest(_month_states(member, branch, months, held, absent))
        flagged += run >= limit
        if run > worst:
            worst = run
            first, last = months[end - run + 1].start, months[end].end
            evidence = [(path, lines[(m.id, member.id)]) for m in held
                        if first <= m.date <= last and (m.id, member.id) in lines]
    note = (f"{flagged} 名党员曾连续 {limit} 个月以上未参加党的组织生活（最长 {worst} 个月；"
            "按 absences.csv 登记的缺席计算，未登记缺席名单的会议不计）") if flagged else ""
    return once(branch, rule, flagged == 0, note, count=worst, required=limit, evidence=evidence[:50], people=flagged)
