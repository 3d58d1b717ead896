"""Dues rules: monthly payment, consecutive unpaid months, the students' amount."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from generator.model import Branch, Due, Member
from generator.periods import Period, month_start, periods_between
from generator.rules import Context, Result, once, periodic, rule_type
from generator.standards import Rule


def _paid(due: Due | None, as_of: dt.date) -> bool:
    return (due is not None and due.paid is not None and due.paid >= due.due and due.paid_on is not None
            and due.paid_on <= as_of)


def _owes(member: Member, period: Period) -> bool:
    """Dues are owed from the month of admission while the member belongs to the branch."""
    return member.admitted_on <= period.end and member.active(period.start)


def _index(branch: Branch) -> dict[tuple[str, str], Due]:
    return {(d.month, d.member): d for d in branch.dues}


@rule_type("dues_monthly")
def dues_monthly(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """Every member owing dues in a month has paid them in full (back-payment counts once recorded)."""
    path = branch.files.get("dues", "")
    dues = _index(branch)

    def measure(period: Period):
        owing = [m for m in branch.members if _owes(m, period)]
        if not owing:
            return None
        unpaid = [m for m in owing if not _paid(dues.get((period.label, m.id)), ctx.as_of)]
        evidence = [(path, dues[(period.label, m.id)].line) for m in unpaid if (period.label, m.id) in dues]
        note = f"{period.label} 有 {len(unpaid)} 名党员未足额交纳党费" if unpaid else ""
        return len(owing) - len(unpaid), len(owing), evidence, note, len(unpaid)

    return periodic(branch, rule, ctx, measure)


@rule_type("dues_consecutive_unpaid")
def dues_consecutive_unpaid(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """No member has `months` or more consecutive closed months unpaid."""
    limit = int(ctx.settings.get(rule.params["setting"], rule.params.get("months", 6))
                if rule.params.get("setting") else rule.params.get("months", 6))
    dues = _index(branch)
    begin = max(ctx.start, branch.founded_on or ctx.start)
    months = [p for p in periods_between("month", begin, ctx.as_of) if p.end < ctx.as_of]
    worst, worst_lines, flagged = 0, [], 0
    for member in branch.members:
        run, lines = 0, []
        longest, longest_lines = 0, []
        for period in months:
            if not _owes(member, period):
                run, lines = 0, []
                continue
            due = dues.get((period.label, member.id))
            if _paid(due, ctx.as_of):
                run, lines = 0, []
                continue
            run += 1
            lines = lines + ([(branch.files.get("dues", ""), due.line)] if due else [])
            if run > longest:
                longest, longest_lines = run, lines
        flagged += longest >= limit
        if longest > worst:
            worst, worst_lines = longest, longest_lines
    if not months or not branch.members:
        return once(branch, rule, None)
    note = f"{flagged} 名党员曾连续 {limit} 个月以上未交纳党费（最长 {worst} 个月）" if flagged else ""
    return once(branch, rule, flagged == 0, note, count=worst, required=limit, evidence=worst_lines, people=flagged)


@rule_type("student_dues_amount")
def student_dues_amount(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """Student members' monthly due is the fixed student amount (¥0.20)."""
    amount = Decimal(str(rule.params.get("amount", "0.20")))
    students = {m.id for m in branch.members if m.category == "学生"}
    path = branch.files.get("dues", "")
    by_month: dict[str, list[Due]] = {}
    for due in branch.dues:
        if due.member in students:
            by_month.setdefault(due.month, []).append(due)

    def measure(period: Period):
        rows = [d for month, dues in by_month.items() if period.contains(month_start(month)) for d in dues]
        if not rows:
            return None
        wrong = [d for d in rows if d.due != amount]
        note = f"{len(wrong)} 条学生党员党费标准不是 {amount} 元/月" if wrong else ""
        people = len({d.member for d in wrong})
        return len(rows) - len(wrong), len(rows), [(path, d.line) for d in wrong[:50]], note, people

    return periodic(branch, rule, ctx, measure, open_is_due=False)
