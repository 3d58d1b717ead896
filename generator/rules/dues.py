"""Dues rules: paid every month (or quarter, where the branch approved it), consecutive unpaid months, students' amount.

A month counts as unpaid until the day it is paid in full (its `paid_on`): a later back-payment settles
the debt but does not undo a gap that already happened. Back-payment more than `backpay_months` after the
month (补交党费的时间一般不得超过六个月) fails that month.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from generator.ledger.model import Branch, Due, Member
from generator.rules import DUE, FAIL, NA, PASS, Context, Result, once, periodic, result, rule_type
from generator.rules.periods import Period, add_months, month_start, period_of, periods_between
from generator.standards.catalogue import Rule

NEVER = dt.date.max


def rounding_unit(settings: dict[str, Any]) -> Decimal:
    """The school's rounding unit for dues amounts (settings.dues_rounding: 0.01, 0.1 or 1 yuan)."""
    return Decimal(str(settings.get("dues_rounding") or "0.01"))


def _quantum(ctx: Context) -> Decimal:
    return rounding_unit(ctx.settings)


def paid_in_full(due: Due, quantum: Decimal) -> bool:
    """The amount paid covers the amount due, both rounded to the school's unit (the rules and the annual
    ledger read a month the same way).

    Rounding never turns a larger amount into a smaller one, so a payment of at least the amount due covers it
    without rounding either (most months: millions of rows at 6,000 branches)."""
    if due.paid is None:
        return False
    if due.paid >= due.due:
        return True

    def rounded(amount: Decimal) -> Decimal:
        return amount.quantize(quantum, rounding=ROUND_HALF_UP)
    return rounded(due.paid) >= rounded(due.due)


def _paid_on(due: Due | None, quantum: Decimal) -> dt.date:
    """The day a month was paid in full (amounts rounded to the school's unit), or NEVER."""
    if due is None or due.paid_on is None or not paid_in_full(due, quantum):
        return NEVER
    return due.paid_on


def _owes(member: Member, period: Period) -> bool:
    """Dues are owed from the month of admission while the member belongs to the branch."""
    return member.admitted_on <= period.end and member.active(period.start)


def _index(branch: Branch) -> dict[tuple[str, str], Due]:
    return {(d.month, d.member): d for d in branch.dues}


def _deadline(branch: Branch, month: Period) -> dt.date:
    """Paid on time by the month's end; by the quarter's end where the branch approved quarterly payment."""
    return period_of("quarter", month.start).end if branch.dues_payment == "quarterly" else month.end


def _backpay_limit(month: Period, months: int) -> dt.date:
    """The last day a month may still be paid: the end of the month `months` later."""
    return period_of("month", add_months(month.start, months)).end


@rule_type("dues_monthly")
def dues_monthly(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """Every member owing dues in a month paid them in full by its deadline, or back-paid within `backpay_months`.

    The deadline is the month's end, or the quarter's end for a branch that approved quarterly payment
    (branch.yaml dues_payment: quarterly). Unpaid before the deadline is `due`; unpaid after it fails.
    """
    path = branch.files.get("dues", "")
    dues, quantum = _index(branch), _quantum(ctx)
    limit = int(rule.params.get("backpay_months", 6))
    out = []
    for period in ctx.periods("month", branch):
        owing = [m for m in branch.members if _owes(m, period)]
        if not owing:
            out.append(result(branch, rule, period.label, NA))
            continue
        deadline, last = _deadline(branch, period), _backpay_limit(period, limit)
        unpaid, late, waiting = [], [], 0
        for member in owing:
            row = dues.get((period.label, member.id))
            day = _paid_on(row, quantum)
            if day <= min(ctx.as_of, last):
                continue
            if day <= ctx.as_of:
                late.append(row)
            elif ctx.as_of <= deadline:
                waiting += 1
            else:
                unpaid.append(row)
        failed = len(unpaid) + len(late)
        status = FAIL if failed else DUE if waiting else PASS
        notes = []
        if unpaid:
            notes.append(f"{period.label} 有 {len(unpaid)} 名党员未足额交纳党费")
        if late:
            notes.append(f"{period.label} 有 {len(late)} 名党员超过 {limit} 个月才补交党费")
        if status == DUE:
            notes.append(f"{period.label} 还有 {waiting} 名党员未交，交纳期限 {deadline}")
        evidence = tuple((path, r.line) for r in unpaid + late if r is not None)
        out.append(result(branch, rule, period.label, status, count=len(owing) - failed - waiting,
                          required=len(owing), note="；".join(notes) if status != PASS else "",
                          evidence=evidence, people=failed))
    return out


@rule_type("dues_consecutive_unpaid")
def dues_consecutive_unpaid(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """No member was ever `months` or more consecutive months in arrears, measured at each closed month's end.

    At the end of month E, a month counts as in arrears when its deadline has passed and it was not yet
    paid in full on that day; a run that reached the limit fails even if it was back-paid later.
    """
    limit = int(ctx.settings.get(rule.params["setting"], rule.params.get("months", 6))
                if rule.params.get("setting") else rule.params.get("months", 6))
    dues, quantum = _index(branch), _quantum(ctx)
    begin = max(ctx.start, branch.founded_on or ctx.start)
    months = [p for p in periods_between("month", begin, ctx.as_of) if p.end < ctx.as_of]
    if not months or not branch.members:
        return once(branch, rule, None)
    deadlines = [_deadline(branch, p) for p in months]
    worst, worst_lines, flagged = 0, [], 0
    path = branch.files.get("dues", "")
    for member in branch.members:
        owed = [_owes(member, p) for p in months]
        rows = [dues.get((p.label, member.id)) for p in months]
        paid = [_paid_on(row, quantum) for row in rows]
        longest, longest_at = 0, -1
        for end_index, end in enumerate(months):
            run, index = 0, end_index
            while index >= 0 and owed[index] and deadlines[index] <= end.end < paid[index]:
                run += 1
                index -= 1
            if run > longest:
                longest, longest_at = run, end_index
        flagged += longest >= limit
        if longest > worst:
            worst = longest
            worst_lines = [(path, row.line) for row in rows[longest_at - longest + 1:longest_at + 1] if row]
    note = (f"{flagged} 名党员曾连续 {limit} 个月以上未交纳党费（最长 {worst} 个月，按每月月底的交纳情况计算，"
            "事后补交不改变已经形成的连续未交）") if flagged else ""
    return once(branch, rule, flagged == 0, note, count=worst, required=limit, evidence=worst_lines, people=flagged)


@rule_type("student_dues_amount")
def student_dues_amount(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """Student members' monthly due is the fixed student amount (¥0.20).

    Less, or nothing (due 0, 免交), needs the approval of the higher Party committee (经党支部研究，报上一级党委
    批准后，可以少交或者免交): an approved member exemption leaves that member out (compliance), so a row
    below the amount that reaches this function has no recorded approval, and the note says so.
    """
    amount = Decimal(str(rule.params.get("amount", "0.20")))
    students = {m.id for m in branch.members if m.category == "学生"}
    path = branch.files.get("dues", "")
    by_month: dict[str, list[Due]] = {}
    for due in branch.dues:
        if due.member in students:
            by_month.setdefault(due.month, []).append(due)

    def measure(period: Period) -> tuple | None:
        rows = [d for month, dues in by_month.items() if period.contains(month_start(month)) for d in dues]
        if not rows:
            return None
        wrong = [d for d in rows if d.due != amount]
        below = [d for d in wrong if d.due < amount]
        notes = []
        if len(wrong) > len(below):
            notes.append(f"{len(wrong) - len(below)} 条学生党员党费标准不是 {amount} 元/月")
        if below:
            notes.append(f"{len(below)} 条学生党员应交金额少于 {amount} 元或为0（少交或免交），"
                         "没有登记上一级党委的批准：少交或免交党费须经党支部研究、报上一级党委批准，"
                         "批准后请在 exemptions.yaml 中为该党员登记 DU-05 豁免")
        note = "；".join(notes)
        people = len({d.member for d in wrong})
        return len(rows) - len(wrong), len(rows), [(path, d.line) for d in wrong[:50]], note, people

    return periodic(branch, rule, ctx, measure, open_is_due=False)
