"""Member-development steps beyond the stage dates (2014 细则): mentors, sponsors, reviews, 公示, approval, oath.

Each step lives in optional development.csv columns. A branch whose file lacks a step's columns gets `n/a`
with the reason (a secretary may not have that record), never a failure; a person the step concerns whose
cell is empty, once the column is there, is a shortfall the note counts. Only steps within the records
(from organization.yaml records_start) are judged.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable

from generator.ledger.model import Branch, Candidate, Member
from generator.rules import DUE, FAIL, NA, NOTICE, PASS, Context, Result, result, rule_type
from generator.rules.periods import ONCE, add_months
from generator.standards.catalogue import Rule


def _lacking(branch: Branch, columns: Iterable[str]) -> str | None:
    """Why the rule cannot be judged: a step's column missing from development.csv (None: it can be)."""
    if not branch.development:
        return None
    have = branch.columns.get("development", frozenset())
    missing = [c for c in columns if c not in have]
    return f"development.csv 没有 {'、'.join(missing)} 列（可选列），无法检查" if missing else None


def _judge(branch: Branch, rule: Rule, columns: Iterable[str], who: Callable[[Candidate], bool],
           check: Callable[[Candidate], str], what: str) -> list[Result]:
    """Judge every person `who` selects: `check` names their shortfall ("" when met); one result for the branch."""
    lacking = _lacking(branch, columns)
    if lacking is not None:
        return [result(branch, rule, ONCE, NA, note=lacking)]
    people = [c for c in branch.development if who(c)]
    if not people:
        return [result(branch, rule, ONCE, NA, note=f"没有需要检查的{what}" if branch.development else "")]
    path = branch.files.get("development", "")
    found = [(c, check(c)) for c in people]
    bad = [(c, why) for c, why in found if why]
    note = _counted(why for _, why in bad)
    return [result(branch, rule, ONCE, FAIL if bad else PASS, count=len(people) - len(bad), required=len(people),
                   note=note, evidence=tuple((path, c.line) for c, _ in bad), people=len(bad))]


def _counted(reasons: Iterable[str]) -> str:
    """Shortfalls as counts per reason: no row, date or id (the evidence links name the rows where they may)."""
    return "；".join(f"{n} 人{why}" for why, n in Counter(reasons).items())


def _full_on(members: dict[str, Member], member: str, day: dt.date) -> bool:
    """A full member on that day (full and not yet gone; the roster is the branch's, so a mentor is one of its own)."""
    m = members.get(member)
    return m is not None and m.full_on is not None and m.full_on <= day and (m.left_on is None or day < m.left_on)


def _persons_ok(ids: tuple[str, ...], low: int, high: int, day: dt.date, members: dict[str, Member],
                who: str, self_id: str) -> str:
    if len(ids) != len(set(ids)):
        return f"两名{who}是同一人"
    if not low <= len(ids) <= high:
        span = f"{low}名" if low == high else f"{low}至{high}名"
        return f"登记的{who}不是{span}"
    if self_id in ids:
        return f"本人不能作自己的{who}"
    late = [i for i in ids if not _full_on(members, i, day)]
    return f"有{who}在当日不是正式党员" if late else ""


def _day(value: dt.date | None) -> dt.date:
    assert value is not None  # only persons whose stage is reached are judged
    return value


def _within(ctx: Context, day: dt.date | None) -> bool:
    """A step taken within the records (from their start to the as-of date): earlier ones are not judged, since
    the roster leaves out members who left before the records start (a sponsor of 2020 may be missing)."""
    return day is not None and ctx.start <= day <= ctx.as_of


def _admitted(ctx: Context) -> Callable[[Candidate], bool]:
    return lambda c: _within(ctx, c.admitted_on)


def _admitted_people(branch: Branch, rule: Rule, ctx: Context, column: str) -> tuple[list[Candidate], Result | None]:
    """The people admitted in the judged span whose step `column` records, or the rule's n/a when there is nothing
    to judge (the column is not in development.csv, or nobody was admitted)."""
    lacking = _lacking(branch, [column])
    if lacking is not None:
        return [], result(branch, rule, ONCE, NA, note=lacking)
    people = [c for c in branch.development if _admitted(ctx)(c)]
    return people, None if people else result(branch, rule, ONCE, NA)


@rule_type("development_referees")
def development_referees(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """Every person at a stage has `min`–`max` distinct full members in `columns`, full on the stage's day.

    培养联系人 from the day one becomes an activist (一至两名正式党员); 入党介绍人 on the day of the 支部大会
    (两名正式党员). Members are roster ids, so "full on that day" follows from members.csv.
    """
    p = rule.params
    stage, columns, low, high = str(p["stage"]), [str(c) for c in p["columns"]], int(p["min"]), int(p["max"])
    members = {m.id: m for m in branch.members}
    who = ctx.vocab.label("development_steps", str(p["role"]))
    field = "mentors" if "mentor1" in columns else "sponsors"

    def check(c: Candidate) -> str:
        return _persons_ok(getattr(c, field), low, high, getattr(c, stage), members, who, c.id)

    def reached(c: Candidate) -> bool:
        return _within(ctx, getattr(c, stage))

    return _judge(branch, rule, columns, reached, check, who)


@rule_type("development_step_before")
def development_step_before(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """Everyone admitted had the step `step` recorded before the 支部大会 (`strict`) or at the latest on its day."""
    p = rule.params
    step, strict = str(p["step"]), bool(p.get("strict", False))
    name = ctx.vocab.label("development_steps", step)

    def check(c: Candidate) -> str:
        day, admitted = getattr(c, step), c.admitted_on
        if day is None:
            return f"没有{name}日期"
        assert admitted is not None
        if day > admitted or (strict and day == admitted):
            return f"{name}日期{'不早于' if strict else '晚于'}支部大会"
        return ""

    return _judge(branch, rule, [step], _admitted(ctx), check, "接收的预备党员")


@rule_type("development_leaving")
def development_leaving(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """No one is admitted within `months` months before leaving the college (一般不办理接收预备党员的手续).

    The leaving date is development.csv `leaving_on`, else the day members.csv records a graduate leaving
    (left_reason in `reasons`). Without either for anyone admitted, the rule cannot be judged (n/a, said why).
    """
    months, reasons = int(rule.params.get("months", 3)), set(rule.params.get("reasons", ()))
    gone = {m.id: m.left_on for m in branch.members if m.left_on and m.left_reason in reasons}
    admitted = [c for c in branch.development if _admitted(ctx)(c)]
    known = [(c, c.leaving_on or gone.get(c.id)) for c in admitted]
    judged = [(c, leaving) for c, leaving in known if leaving is not None]
    if not judged:
        note = "被接收的预备党员都没有离开本单位的日期（development.csv leaving_on 或毕业离开的记录），无法检查" \
            if admitted else ""
        return [result(branch, rule, ONCE, NA, note=note)]
    path = branch.files.get("development", "")
    bad = [(c, leaving) for c, leaving in judged if add_months(_day(c.admitted_on), months) > leaving]
    note = f"{len(bad)} 人接收后不足 {months} 个月即离开本单位" if bad else ""
    return [result(branch, rule, ONCE, FAIL if bad else PASS, count=len(judged) - len(bad), required=len(judged),
                   note=note, evidence=tuple((path, c.line) for c, _ in bad), people=len(bad))]


@rule_type("development_approval")
def development_approval(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """The 党委 approves within `months` of the 支部大会; `limit` months at most (特殊情况…不得超过六个月).

    Within `months`: pass (not yet approved: due). Between the two: a notice (适当延长, a special case the
    records do not show). Past `limit`, approved or not: fail.
    """
    months, limit = int(rule.params.get("months", 3)), int(rule.params.get("limit", 6))
    people, unjudged = _admitted_people(branch, rule, ctx, "approved_on")
    if unjudged is not None:
        return [unjudged]
    path = branch.files.get("development", "")
    late, slow, open_ = [], [], 0
    for c in people:
        assert c.admitted_on is not None
        end = c.approved_on if c.approved_on and c.approved_on <= ctx.as_of else ctx.as_of
        if end > add_months(c.admitted_on, limit):
            late.append((c, "审批" if c.approved_on and c.approved_on <= ctx.as_of else "至评估日仍未审批"))
        elif end > add_months(c.admitted_on, months):
            slow.append((c, "审批" if c.approved_on and c.approved_on <= ctx.as_of else "至评估日仍未审批"))
        elif not (c.approved_on and c.approved_on <= ctx.as_of):
            open_ += 1
    notes = [_counted(f"支部大会后{how}超过 {limit} 个月" for _, how in late)] if late else []
    notes += [_counted(f"支部大会后{how}超过 {months} 个月（特殊情况可适当延长）" for _, how in slow)] if slow else []
    status = FAIL if late else NOTICE if slow else DUE if open_ else PASS
    if status == DUE:
        notes.append(f"{open_} 人尚在 {months} 个月审批期限内")
    shown = late + slow
    return [result(branch, rule, ONCE, status, count=len(people) - len(shown) - open_, required=len(people),
                   note="；".join(notes), evidence=tuple((path, c.line) for c, _ in shown), people=len(shown))]


def workdays(first: dt.date, last: dt.date, holidays: set[dt.date], workdays_extra: set[dt.date]) -> int:
    """Working days in [first, last]: Monday to Friday less the listed holidays, plus listed 调休 weekend workdays."""
    days = (first + dt.timedelta(days=i) for i in range((last - first).days + 1))
    return sum(1 for d in days if (d.weekday() < 5 and d not in holidays) or d in workdays_extra)


def _dates(values: object) -> set[dt.date]:
    """The dates of a list setting (validated against organization.schema.json; anything else is left out)."""
    found = set()
    for value in values if isinstance(values, list) else []:
        try:
            found.add(dt.date.fromisoformat(str(value)))
        except ValueError:
            continue
    return found


@rule_type("development_publicity")
def development_publicity(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """Everyone admitted had a 公示 that ended before the 支部大会 and lasted at least `min` working days.

    `min` is a local setting (publicity_workdays). Working days are Monday to Friday; the dates listed in the
    settings `holidays` (法定节假日) are taken out and those in `adjusted_workdays` (调休上班) added.
    """
    need = int(ctx.param(rule, "min", 5))
    holidays = _dates(ctx.settings.get("holidays"))
    extra = _dates(ctx.settings.get("adjusted_workdays"))

    def check(c: Candidate) -> str:
        if c.publicity_from is None or c.publicity_to is None:
            return "没有公示起止日期"
        assert c.admitted_on is not None
        if c.publicity_to >= c.admitted_on:
            return "公示没有在支部大会之前结束"
        count = workdays(c.publicity_from, c.publicity_to, holidays, extra)
        return f"公示不足 {need} 个工作日（本校设置）" \
            if count < need else ""

    return _judge(branch, rule, ["publicity_from", "publicity_to"], _admitted(ctx), check, "接收的预备党员")


@rule_type("development_oath")
def development_oath(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """Everyone admitted has an oath (入党宣誓) on record by the day they become full; on probation it is `due`."""
    people, unjudged = _admitted_people(branch, rule, ctx, "oath_on")
    if unjudged is not None:
        return [unjudged]
    path = branch.files.get("development", "")
    bad, open_ = [], 0
    for c in people:
        sworn = c.oath_on if c.oath_on and c.oath_on <= ctx.as_of else None
        full = c.full_on if c.full_on and c.full_on <= ctx.as_of else None
        if sworn is None and full is None:
            open_ += 1
        elif sworn is None:
            bad.append((c, "已转正，没有入党宣誓记录"))
    notes = [_counted(why for _, why in bad)] if bad else []
    status = FAIL if bad else DUE if open_ else PASS
    if status == DUE:
        notes.append(f"{open_} 名预备党员尚未宣誓")
    return [result(branch, rule, ONCE, status, count=len(people) - len(bad) - open_, required=len(people),
                   note="；".join(notes), evidence=tuple((path, c.line) for c, _ in bad), people=len(bad))]
