"""Meeting rules: 三会一课, 主题党日, 组织生活会, 民主评议 frequencies and the assembly quorum."""

from __future__ import annotations

from generator.model import Branch
from generator.periods import Period
from generator.rules import Context, Result, periodic, rule_type
from generator.standards import Rule


@rule_type("meeting_frequency")
def meeting_frequency(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """At least `min` meetings of a kind in each period (min may come from a local setting)."""
    kind = rule.params["kind"]
    required = int(ctx.param(rule, "min", 1))
    needs = rule.params.get("requires")
    path = branch.files.get("meetings", "")

    def measure(period: Period):
        if needs == "committee" and branch.committee is None:
            return None
        if needs == "groups" and not branch.groups:
            return None
        held = branch.meetings_held(kind, period.start, period.end)
        note = f"{period.label} 记录到 {kind} {len(held)} 次，要求至少 {required} 次"
        return len(held), required, [(path, m.line) for m in held], note

    return periodic(branch, rule, ctx, measure)


@rule_type("group_meetings")
def group_meetings(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """Every 党小组 holds a 党小组会 in each period."""
    path = branch.files.get("meetings", "")
    kind = rule.params.get("kind", "党小组会")

    def measure(period: Period):
        if not branch.groups:
            return None
        held = branch.meetings_held(kind, period.start, period.end)
        met = {m.group for m in held}
        missing = [name for code, name in branch.groups.items() if code not in met]
        note = f"{period.label} 未开党小组会：{'、'.join(missing)}" if missing else ""
        return len(branch.groups) - len(missing), len(branch.groups), [(path, m.line) for m in held], note

    return periodic(branch, rule, ctx, measure)


@rule_type("assembly_quorum")
def assembly_quorum(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """Each 党员大会 has more than half of the full (voting) members present."""
    path = branch.files.get("meetings", "")
    kind = rule.params.get("kind", "党员大会")

    def measure(period: Period):
        held = branch.meetings_held(kind, period.start, period.end)
        if not held:
            return None
        short = [m for m in held if m.present * 2 <= len(branch.full_members(m.date))]
        note = "；".join(f"{m.date} 实到 {m.present} 人，未超过正式党员 {len(branch.full_members(m.date))} 人的半数"
                        for m in short)
        return len(held) - len(short), len(held), [(path, m.line) for m in held], note

    return periodic(branch, rule, ctx, measure, open_is_due=False)
