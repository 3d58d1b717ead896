"""Study rule: annual concentrated study hours per member."""

from __future__ import annotations

from decimal import Decimal

from generator.ledger.model import Branch
from generator.rules import Context, Result, periodic, rule_type
from generator.rules.periods import Period
from generator.standards.catalogue import Rule


@rule_type("study_hours")
def study_hours(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """Every member present for the whole year records at least `min_hours` study hours in it.

    Only the study kinds the school counts as 集中学习培训 are summed: the local setting named by `setting`
    (settings.study_kinds_counted), else the rule's `kinds`; no list at all counts every kind.
    """
    need = Decimal(str(rule.params.get("min_hours", 32)))
    path = branch.files.get("study", "")
    setting = rule.params.get("setting")
    kinds = ctx.settings.get(setting) if setting and ctx.settings.get(setting) else rule.params.get("kinds")
    counted = frozenset(kinds) if kinds else None
    order = ctx.vocab.order("study_kinds")  # the note lists the kinds in the vocabulary's order

    def measure(period: Period) -> tuple | None:
        members = [m for m in branch.members if m.active(period.start) and m.active(min(period.end, ctx.as_of))]
        if not members:
            return None
        hours: dict[str, Decimal] = {}
        for record in branch.study:
            if period.contains(record.date) and (counted is None or record.kind in counted):
                hours[record.member] = hours.get(record.member, Decimal(0)) + record.hours
        short = [m for m in members if hours.get(m.id, Decimal(0)) < need]
        note = f"{len(short)} 名党员 {period.label} 年度学习不足 {need} 学时" if short else ""
        if short and counted is not None:
            note += f"（计入的学习形式：{'、'.join(sorted(counted, key=lambda k: (order.get(k, len(order)), k)))}）"
        ids = {m.id for m in short}
        lines = [(path, r.line) for r in branch.study if r.member in ids and period.contains(r.date)]
        return len(members) - len(short), len(members), lines[:50], note, len(short)

    return periodic(branch, rule, ctx, measure)

