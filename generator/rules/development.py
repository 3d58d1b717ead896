"""Member-development rules (2014 细则): stage intervals and training hours."""

from __future__ import annotations

from decimal import Decimal

from generator.model import Branch
from generator.periods import add_months
from generator.rules import Context, Result, once, rule_type
from generator.standards import Rule


def _people(branch: Branch, start: str, end: str):
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
    """The interval between two stages is at most `max_months` or at least `min_months`."""
    p = rule.params
    pairs = list(_people(branch, p["from"], p["to"]))
    if not pairs:
        return once(branch, rule, None)
    bad = []
    for _id, a, b, path, line in pairs:
        if "max_months" in p and b > add_months(a, int(p["max_months"])):
            bad.append((path, line))
        if "min_months" in p and b < add_months(a, int(p["min_months"])):
            bad.append((path, line))
    limit = f"不超过 {p['max_months']} 个月" if "max_months" in p else f"不少于 {p.get('min_months')} 个月"
    note = f"{len(bad)} 人的间隔不符合要求（应{limit}）" if bad else ""
    return once(branch, rule, not bad, note, count=len(pairs) - len(bad), required=len(pairs), evidence=bad,
                people=len({line for _path, line in bad}))


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
