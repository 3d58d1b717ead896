"""Meeting rules: 三会一课, 主题党日, 组织生活会, 民主评议 frequencies and the assembly quorum."""

from __future__ import annotations

from collections import Counter

from generator.ledger.model import Branch, Meeting
from generator.rules import Context, Result, periodic, rule_type
from generator.rules.periods import Period
from generator.standards.catalogue import Rule


@rule_type("meeting_frequency")
def meeting_frequency(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """At least `min` meetings of a kind in each period (min may come from a local setting).

    With `quorum: committee` a meeting counts only when more than half of the committee was present
    (须有半数以上委员到会方可进行): the committee's persons in branch.yaml, or for a meeting before the
    current committee was elected, the `expected` count recorded for it.
    """
    kind = rule.params["kind"]
    required = int(ctx.param(rule, "min", 1))
    needs = rule.params.get("requires")
    quorum = rule.params.get("quorum") == "committee"
    path = branch.files.get("meetings", "")

    def measure(period: Period) -> tuple | None:
        if needs == "committee" and branch.committee is None:
            return None
        if needs == "groups" and not branch.groups:
            return None
        held = branch.meetings_held(kind, period.start, period.end)
        short = [m for m in held if quorum and m.present * 2 <= _committee_size(branch, m)]
        valid = [m for m in held if m not in short]
        note = f"{period.label} 记录到 {kind} {len(valid)} 次，要求至少 {required} 次"
        if short:
            note += "；" + "；".join(f"{m.date} 的{kind}实到 {m.present} 人，未超过委员 {_committee_size(branch, m)} 人"
                                   "的半数，不能算作召开" for m in short)
        return len(valid), required, [(path, m.line) for m in held], note

    return periodic(branch, rule, ctx, measure)


def _committee_size(branch: Branch, meeting: Meeting) -> int:
    committee = branch.committee
    if committee is None or meeting.date < committee.elected_on:
        return meeting.expected
    return committee.persons()


@rule_type("group_meetings")
def group_meetings(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """Every 党小组 holds at least `min` 党小组会 in each period (its `min` parameter, 1 by default)."""
    path = branch.files.get("meetings", "")
    kind = rule.params.get("kind", "党小组会")
    least = int(ctx.param(rule, "min", 1))

    def measure(period: Period) -> tuple | None:
        if not branch.groups:
            return None
        held = branch.meetings_held(kind, period.start, period.end)
        met = Counter(m.group for m in held)
        missing = [name for code, name in branch.groups.items() if met[code] < least]
        short = "未开党小组会" if least == 1 else f"党小组会少于 {least} 次"
        note = f"{period.label} {short}：{'、'.join(missing)}" if missing else ""
        return len(branch.groups) - len(missing), len(branch.groups), [(path, m.line) for m in held], note

    return periodic(branch, rule, ctx, measure)


@rule_type("assembly_quorum")
def assembly_quorum(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """Each 党员大会 that held a vote had more than half of its voting members present.

    Quorum is a condition for voting (表决必须有半数以上有表决权的党员到会方可进行), so only assemblies that
    record `voting_expected` are judged, on `voting_present`; a quarter without such an assembly is n/a.
    """
    path = branch.files.get("meetings", "")
    kind = rule.params.get("kind", "党员大会")

    def measure(period: Period) -> tuple | None:
        voted = [m for m in branch.meetings_held(kind, period.start, period.end) if m.voting_expected is not None]
        if not voted:
            return None
        short = [m for m in voted if (m.voting_present or 0) * 2 <= (m.voting_expected or 0)]
        note = "；".join(f"{m.date} 表决时到会有表决权党员 {m.voting_present or 0} 人，"
                        f"未超过应到会 {m.voting_expected} 人的半数" for m in short)
        return len(voted) - len(short), len(voted), [(path, m.line) for m in voted], note

    return periodic(branch, rule, ctx, measure, open_is_due=False)
