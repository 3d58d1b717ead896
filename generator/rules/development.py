"""Member-development rules (2014 细则): stage intervals, the 1-month talk, probation and training hours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from generator.ledger.model import Branch
from generator.rules import DUE, FAIL, PASS, Context, Result, once, result, rule_type
from generator.rules.periods import ONCE, add_months
from generator.standards.catalogue import Rule


def _people(branch: Branch, start: str, end: str) -> Iterator[tuple[str, dt.date, dt.date, str, int]]:
    """(id, start date, end date, path, line) from development.csv, and from members.csv for admission dates."""
    seen = set()
    for person in branch.development:
        a, b = getattr(person, start, None), getattr(person, end, None)
        if a and b:
            seen.add(person.id)
            yield person.id, a, b, branch.files["development"], person.line
    if start == "admitted_on" and end == "full_on":
        for member in branch.members:
            if member.id not in seen and member.full_on:
                yield member.id, member.admitted_on, member.full_on, branch.files["members"], member.line


@rule_type("development_interval")
def development_interval(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """The interval between two stages is at least `min_months`, or at most `max_months`.

    With `max_months`, a person who reached the first stage but not yet the second is measured too: still
    inside the limit on the as-of date is `due`; past it is a failure (已过期限仍未谈话的也未达标).
    """
    p = rule.params
    pairs = [pair for pair in _people(branch, p["from"], p["to"]) if "max_months" not in p or pair[2] <= ctx.as_of]
    waiting = _waiting(branch, p, ctx) if "max_months" in p else []
    if not pairs and not waiting:
        return once(branch, rule, None)
    bad = []
    for _id, a, b, path, line in pairs:
        if "max_months" in p and b > add_months(a, int(p["max_months"])):
            bad.append((path, line))
        if "min_months" in p and b < add_months(a, int(p["min_months"])):
            bad.append((path, line))
    overdue = [(path, line) for path, line, late in waiting if late]
    limit = f"不超过 {p['max_months']} 个月" if "max_months" in p else f"不少于 {p.get('min_months')} 个月"
    notes = [f"{len(bad)} 人的间隔不符合要求（应{limit}）"] if bad else []
    step = ctx.vocab.label("development_stages", str(p["to"]), "step")  # 谈话, 确定积极分子 …
    if overdue:
        notes.append(f"{len(overdue)} 人已超过 {p['max_months']} 个月仍无{step}记录")
    open_ = len(waiting) - len(overdue)
    status = FAIL if bad or overdue else DUE if open_ else PASS
    if status == DUE:
        notes.append(f"{open_} 人尚在 {p['max_months']} 个月期限内，还没有{step}记录")
    total = len(pairs) + len(waiting)
    failed = bad + overdue
    return [result(branch, rule, ONCE, status, count=total - len(failed) - open_, required=total,
                   note="；".join(notes), evidence=tuple(failed), people=len(failed))]



def _waiting(branch: Branch, p: dict, ctx: Context) -> list[tuple[str, int, bool]]:
    """Persons with the first stage on or before the as-of date and no second stage by then: (path, line, overdue)."""
    path = branch.files.get("development", "")
    found = []
    for person in branch.development:
        a, b = getattr(person, p["from"], None), getattr(person, p["to"], None)
        if a is None or a > ctx.as_of or (b is not None and b <= ctx.as_of):
            continue  # not yet at the first stage, or the second one reached (a later date is not yet reached)
        found.append((path, person.line, ctx.as_of > add_months(a, int(p["max_months"]))))
    return found


@rule_type("probation_period")
def probation_period(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """A probationary member becomes full exactly `months` after admission, or after a recorded extension.

    An extension is `min_extension_months` to `max_extension_months` long (不能少于半年，最长不超过一年), so
    full membership then falls exactly that much later. Any other date fails: most often 转正日期 was set to
    the day of the 支部大会 or of the approval instead of the day the probation ended.
    """
    months = int(rule.params.get("months", 12))
    low, high = int(rule.params.get("min_extension_months", 6)), int(rule.params.get("max_extension_months", 12))
    people = list(_probations(branch))
    if not people:
        return once(branch, rule, None)
    bad, notes = [], []
    for admitted, full, extension, path, line in people:
        if extension is not None and not low <= extension <= high:
            bad.append((path, line))
            notes.append(f"第 {line} 行延长预备期 {extension} 个月，应不少于 {low} 个月、不超过 {high} 个月")
            continue
        expected = add_months(admitted, months + (extension or 0))
        if full != expected:
            bad.append((path, line))
            notes.append(_wrong_date(line, full, expected, extension))
    note = "；".join(notes)
    return once(branch, rule, not bad, note, count=len(people) - len(bad), required=len(people), evidence=bad,
                people=len(bad))


def _wrong_date(line: int, full: dt.date, expected: dt.date, extension: int | None) -> str:
    span = f"入党日期加 {12 + (extension or 0)} 个月" if extension else "入党日期加 12 个月（未登记延长预备期）"
    usual = "；常见原因是把支部大会讨论转正或上级党委审批的日期填成了转正日期" if full > expected else ""
    return f"第 {line} 行转正日期 {full} 不是预备期满之日 {expected}（{span}）{usual}"


def _probations(branch: Branch) -> Iterator[tuple[dt.date, dt.date, int | None, str, int]]:
    """(admitted_on, full_on, extension months, path, line) for everyone who became full; development.csv first."""
    seen = set()
    for person in branch.development:
        if person.admitted_on and person.full_on:
            seen.add(person.id)
            yield (person.admitted_on, person.full_on, person.probation_extended_months,
                   branch.files["development"], person.line)
    for member in branch.members:
        if member.id not in seen and member.full_on:
            yield member.admitted_on, member.full_on, member.probation_extended_months, branch.files["members"], \
                member.line


@rule_type("development_training")
def development_training(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """Everyone admitted had at least `min_hours` hours of concentrated training."""
    need = Decimal(str(rule.params.get("min_hours", 24)))
    admitted = [c for c in branch.development if c.admitted_on]
    if not admitted:
        return once(branch, rule, None)
    bad = [c for c in admitted if (c.trained_hours or Decimal(0)) < need]
    path = branch.files.get("development", "")
    note = f"{len(bad)} 人集中培训不足 {need} 学时即被接收" if bad else ""
    return once(branch, rule, not bad, note, count=len(admitted) - len(bad), required=len(admitted),
                evidence=[(path, c.line) for c in bad], people=len(bad))
