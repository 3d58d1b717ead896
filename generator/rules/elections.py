"""Election rules (换届选举): held at a 党员大会, its quorum, each winner's votes, and the school's 差额 ratio.

Elections are recorded without names (elections.csv): seats, candidates, the voting members expected and
present, and the yes-votes of each elected person. The file is optional: without it the vote rules are n/a.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from generator.ledger.model import Branch, Election
from generator.rules import NA, Context, Result, once, periodic, result, rule_type
from generator.rules.periods import Period
from generator.standards.catalogue import Rule

ASSEMBLY = "党员大会"
GENERAL = "换届选举"  # elections.csv kind of a general election (vocabulary.yaml election_kinds)


def _election_day(branch: Branch) -> tuple[dt.date | None, str]:
    """The day the sitting committee (or, without one, the secretary) was elected, and who was elected."""
    if branch.committee is not None:
        return branch.committee.elected_on, "支部委员会"
    officer = branch.secretary_officer()
    return (officer.elected_on if officer else None), "支部书记"


@rule_type("election_meeting")
def election_meeting(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """The committee's `elected_on` (a secretary-only branch: the secretary's) is the date of a 党员大会.

    An election before the records start (or the branch's founding) cannot be looked up: n/a, with the reason.
    """
    day, who = _election_day(branch)
    if day is None:
        return once(branch, rule, None, "未登记选举日期（BR-06 已指出）")
    later = [(d, e) for d, e in _dated(branch) if e.kind == GENERAL and day < d <= ctx.as_of]
    if later:  # a newer general election than the one branch.yaml names: the committee was not brought up to date
        d, e = later[-1]
        note = (f"elections.csv 记 {d} 进行了换届选举，branch.yaml 中{who}的选举日期仍是 {day}："
                "请按新一届的选举结果更新 branch.yaml")
        evidence = [(f"{branch.path}/branch.yaml", 1), (branch.files.get("elections", ""), e.line)]
        return once(branch, rule, False, note, evidence=evidence)
    begin = max(ctx.start, branch.founded_on or ctx.start)
    if day < begin or day > ctx.as_of:
        return once(branch, rule, None, f"{who}的选举日 {day} 不在记录期间（{begin} 至 {ctx.as_of}）内，"
                                        "meetings.csv 中没有那时的记录")
    held = branch.meetings_held(ASSEMBLY, day, day)
    evidence = [(f"{branch.path}/branch.yaml", 1)] + [(branch.files.get("meetings", ""), m.line) for m in held]
    note = "" if held else (f"branch.yaml 记{who}于 {day} 选举产生，meetings.csv 中这一天没有党员大会：{who}由党员大会"
                            "选举产生，请补记那次党员大会，或更正选举日期")
    return once(branch, rule, bool(held), note, evidence=evidence)


def _dated(branch: Branch) -> list[tuple[dt.date, Election]]:
    """Each recorded election with the date of its assembly (an election naming no meeting is a problem already)."""
    days = {m.id: m.date for m in branch.meetings}
    found = [(days[e.meeting], e) for e in branch.elections if e.meeting in days]
    return sorted(found, key=lambda x: (x[0], x[1].line))


def _per_election(branch: Branch, rule: Rule, ctx: Context, judge: Callable[[Election], str],
                  applies: Callable[[Election], bool] | None = None) -> list[Result]:
    """A yearly result over the elections held that year: `judge(election)` gives a fault text or ''."""
    path = branch.files.get("elections", "")
    dated = _dated(branch)

    def measure(period: Period) -> tuple | None:
        held = [(day, e) for day, e in dated if period.start <= day <= period.end and (applies is None or applies(e))]
        if not held:
            return None
        faults = [(day, e, judge(e)) for day, e in held]
        bad = [(day, e, text) for day, e, text in faults if text]
        note = "；".join(f"{day} 的{e.kind}：{text}" for day, e, text in bad)
        evidence = [(path, e.line) for _day, e, _text in (bad or faults)]
        return len(held) - len(bad), len(held), evidence, note

    return periodic(branch, rule, ctx, measure, open_is_due=False)


@rule_type("election_quorum")
def election_quorum(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """At each election the voting members present exceed `numerator`/`denominator` (4/5) of those expected."""
    num, den = int(rule.params.get("numerator", 4)), int(rule.params.get("denominator", 5))

    def judge(e: Election) -> str:
        if e.present * den > e.eligible * num:
            return ""
        return f"到会有选举权党员 {e.present} 人，未超过应到会 {e.eligible} 人的{_fraction(num, den)}，选举无效"

    return _per_election(branch, rule, ctx, judge)


@rule_type("election_votes")
def election_votes(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """Every elected person's yes-votes exceed half of the voting members expected (应到会有选举权人数的一半).

    Elections recorded without vote counts are left out; a year with none that has them is n/a.
    """
    def judge(e: Election) -> str:
        short = [v for v in e.votes if v * 2 <= e.eligible]
        if not short:
            return ""
        votes = "、".join(map(str, short))
        return f"{len(short)} 名当选人的赞成票（{votes}）未超过应到会有选举权党员 {e.eligible} 人的一半，不能当选"

    return _per_election(branch, rule, ctx, judge, applies=lambda e: bool(e.votes))


@rule_type("election_margin")
def election_margin(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """Where the school requires 差额 (a local setting in percent), 换届 candidates exceed seats by at least it.

    The setting is about committee elections: a branch without a committee (it elects a secretary) is n/a.

    Candidates needed = seats + seats × percent, rounded up (进一法), and at least one more than the seats.
    Setting 0 (the default) means the school has no such rule: n/a, with the reason.
    """
    name = rule.params.get("setting", "")
    percent = int(ctx.settings.get(name, rule.params.get("percent", 0)) or 0)
    if percent <= 0:
        note = f"本校未规定差额选举的比例（organization.yaml settings.{name} 为0），不检查"
        return [result(branch, rule, p.label, NA, note=note) for p in ctx.periods(rule.period, branch)]
    if branch.committee is None:
        note = "不设支部委员会的支部由党员大会选举书记、副书记，本校的差额要求只适用于支部委员会委员的选举"
        return [result(branch, rule, p.label, NA, note=note) for p in ctx.periods(rule.period, branch)]
    kinds = set(rule.params.get("kinds", ["换届选举"]))

    def needed(e: Election) -> int:
        return max(e.seats + 1, e.seats + -(-e.seats * percent // 100))

    def judge(e: Election) -> str:
        if e.candidates >= needed(e):
            return ""
        return (f"应选 {e.seats} 人、候选人 {e.candidates} 人，本校要求差额不少于{percent}%，"
                f"候选人应不少于 {needed(e)} 人")

    out = _per_election(branch, rule, ctx, judge, applies=lambda e: e.kind in kinds)
    return [r if r.status != NA else result(branch, rule, r.period, NA, note="这一年没有换届选举") for r in out]


def _fraction(num: int, den: int) -> str:
    words = "零一二三四五六七八九十"
    return f"{words[den]}分之{words[num]}" if den <= 10 and num <= 10 else f"{num}/{den}"

