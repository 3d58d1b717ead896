"""组织关系 rules from dates on the roster (never reasons): away without a transfer, graduates' retention, 失联."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from generator.ledger.model import Branch, Member
from generator.rules import Context, Result, once, rule_type
from generator.rules.periods import add_months
from generator.standards.catalogue import Rule


def _judge(branch: Branch, rule: Rule, ctx: Context, recorded: Callable[[Member], bool],
           overdue: Callable[[Member], bool], none: str, note: str) -> list[Result]:
    """Once, on the as-of date: n/a (with `none`) when no member of the roster has the dates; else whether any of
    the members concerned is past the limit. The note states how many, the evidence the roster rows."""
    concerned = [m for m in branch.members if recorded(m)]
    if not concerned:
        return once(branch, rule, None, none)
    late = [m for m in concerned if overdue(m)]
    path = branch.files.get("members", "")
    # no count or required: how many members are away, retained or out of contact is a count of persons, which
    # the statistics page publishes only above the small-count threshold; `people` hides a small note here
    return once(branch, rule, not late, note.format(n=len(late)) if late else "",
                evidence=[(path, m.line) for m in late], people=len(late))


@rule_type("away_without_transfer")
def away_without_transfer(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """Members away at a relatively fixed place (away_since) for `months` or more, still on this roster."""
    months = int(rule.params.get("months", 6))
    return _judge(branch, rule, ctx, lambda m: m.away_on(ctx.as_of),
                  lambda m: m.away_since is not None and add_months(m.away_since, months) <= ctx.as_of,
                  "名册中没有外出的党员（members.csv away_since）",
                  f"{{n}} 名党员外出已满 {months} 个月，组织关系仍在本支部")


@rule_type("graduate_retention")
def graduate_retention(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """Graduates whose relationship was kept at the college (retained_since) for more than `max_months`: until
    their transfer out (left_on) or, still on the roster, until the as-of date; retentions ended before the
    records start are not judged."""
    months = int(rule.params.get("max_months", 24))

    def end(m: Member) -> dt.date:  # the retention ends with the transfer out (left_on), else it runs on
        return min(m.left_on, ctx.as_of) if m.left_on else ctx.as_of

    return _judge(branch, rule, ctx, lambda m: _since(m.retained_since, ctx.as_of) and end(m) >= ctx.start,
                  lambda m: m.retained_since is not None and add_months(m.retained_since, months) < end(m),
                  "名册中没有保留组织关系的毕业生（members.csv retained_since）",
                  f"{{n}} 名毕业生党员的组织关系在学校保留超过 {months // 12} 年")


@rule_type("lost_contact")
def lost_contact(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """Members out of contact (lost_contact_since, not yet restored) for `months` or more."""
    months = int(rule.params.get("months", 6))
    return _judge(branch, rule, ctx, lambda m: m.lost_on(ctx.as_of),
                  lambda m: m.lost_contact_since is not None and add_months(m.lost_contact_since, months) <= ctx.as_of,
                  "名册中没有失去联系的党员（members.csv lost_contact_since）",
                  f"{{n}} 名党员失去联系已满 {months} 个月，请报告上级党委按规定程序处理")


def _since(day: dt.date | None, as_of: dt.date) -> bool:
    return day is not None and day <= as_of
