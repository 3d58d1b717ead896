"""Evaluate stage: every declared rule for every branch and period, with approved exemptions applied.

Before a rule function runs, this stage settles what the sources say about scope: a branch type the
sources exclude gets `n/a` with the reason; an exemption that names members leaves them out and the rule
judges the others; and of several versions of a rule, each judges the cases of its own time (versions.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from generator.ledger.model import Branch, Exemption, Ledger
from generator.rules import DUE, EXEMPT, FAIL, NA, NOTICE, Context, Result, RuleFunction, load_all
from generator.rules.periods import ONCE, period_of_label
from generator.standards import versions
from generator.standards.catalogue import Rule, Standards


def evaluate(ledger: Ledger, standards: Standards, as_of: dt.date) -> list[Result]:
    """Results for every branch × applicable rule × period, in a stable order."""
    registry = load_all()
    ctx = Context(as_of=as_of, start=ledger.organization.records_start, settings=ledger.organization.settings,
                  vocab=standards.vocab)
    results: list[Result] = []
    catalogue = versions.by_id(standards.rules)
    for branch in sorted(ledger.branches, key=lambda b: b.code):
        for rule_versions in catalogue:
            judged = [(rule, _judge(branch, rule, ctx, registry)) for rule in rule_versions]
            merged = versions.in_force([(rule, found) for rule, found in judged if found is not None], ctx.as_of)
            results.extend(_exempted(_advisory(r, rule), branch, rule, as_of) for rule, r in merged)
    return results


def _judge(branch: Branch, rule: Rule, ctx: Context, registry: dict[str, RuleFunction]) -> list[Result] | None:
    """One version's results for one branch, or None when the rule is not declared for this branch type."""
    reason = rule.not_applicable_reason(branch.type)
    if reason:
        return _not_applicable(branch, rule, ctx, reason)
    if rule.applies_to and branch.type not in rule.applies_to:
        return None
    function = registry.get(rule.type)
    if function is None:
        return None  # reported by the standards self-check (test_standards), not per branch
    return _members_excused(versions.cases_of(branch, rule, ctx.as_of), rule, ctx, function)


def _not_applicable(branch: Branch, rule: Rule, ctx: Context, reason: str) -> list[Result]:
    """`n/a` for every period (or once), with the sources' reason, instead of a judgment."""
    labels = [ONCE] if rule.period == ONCE else [p.label for p in ctx.periods(rule.period, branch)]
    return [Result(branch=branch.code, rule=rule.id, period=label, status=NA, note=reason) for label in labels]


def _members_excused(branch: Branch, rule: Rule, ctx: Context, function: RuleFunction) -> list[Result]:
    """The rule's results, where an approved exemption names members judged on the other members only.

    Per the 党员教育管理工作条例 第二十三条 a frail member's study hours are "不作硬性要求": the member is
    left out, the branch is still judged on everyone else. Only rules about each member allow this.
    """
    found = list(function(branch, rule, ctx))
    items = [e for e in branch.exemptions if e.rule == rule.id and e.members] if rule.member_exemptions else []
    if not items:
        return found
    others: dict[frozenset[str], dict[str, Result]] = {}
    out = []
    for r in found:
        covering = [e for e in items if _covers(e, rule, r.period, ctx.as_of)]
        start, end = _bounds(rule, r.period, ctx.as_of)
        listed = {m for e in covering for m in e.members}
        # only members in the branch during the period are excused (and counted): a member named in the
        # exemption who joined later or had left is not one of the branch's members for that period
        names = frozenset(m.id for m in branch.members if m.id in listed and m.in_branch_during(start, end))
        if not names:
            out.append(r)
            continue
        if names not in others:
            others[names] = {x.period: x for x in function(_without(branch, names), rule, ctx)}
        judged = others[names].get(r.period) or Result(branch=r.branch, rule=r.rule, period=r.period, status=NA)
        out.append(replace(judged, excused=len(names), exemption="；".join(_reason(e) for e in covering)))
    return out


def _without(branch: Branch, names: frozenset[str]) -> Branch:
    """The branch as the rule sees it when these members are left out (their roster, dues and study rows)."""
    return replace(branch, members=[m for m in branch.members if m.id not in names],
                   dues=[d for d in branch.dues if d.member not in names],
                   study=[s for s in branch.study if s.member not in names])


def _advisory(found: Result, rule: Rule) -> Result:
    """An unmet advisory rule (severity `warning`: a reminder or a cultivation target) is a notice, not a failure.

    The sources word these as 一般 or as a duty of the higher body (BR-07's 提醒); a branch is never
    published as 未达标 for them, nor counted against in a 达标率.
    """
    return replace(found, status=NOTICE) if rule.severity == "warning" and found.status == FAIL else found


def _exempted(found: Result, branch: Branch, rule: Rule, as_of: dt.date) -> Result:
    if found.status not in (FAIL, DUE, NOTICE):
        return found
    for item in branch.exemptions:
        if item.rule == rule.id and not item.members and _covers(item, rule, found.period, as_of):
            return replace(found, status=EXEMPT, exemption=_reason(item),
                           evidence=found.evidence + ((f"{branch.path}/exemptions.yaml", item.line),))
    return found


def _reason(item: Exemption) -> str:
    return f"{item.reason}（批准：{item.approver}，有效至 {item.expires_on}）"


def _bounds(rule: Rule, label: str, as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The days a result is about: its period, or the as-of date for a structural result."""
    if label == ONCE:
        return as_of, as_of
    period = period_of_label(rule.period, label)
    return period.start, period.end


def _covers(item: Exemption, rule: Rule, label: str, as_of: dt.date) -> bool:
    """An exemption covers a structural result on the as-of date, or a period that lies wholly inside it."""
    if label == ONCE:
        return item.start <= as_of <= item.expires_on
    period = period_of_label(rule.period, label)
    return item.start <= period.start and period.end <= item.expires_on
