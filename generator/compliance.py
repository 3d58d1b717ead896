"""Evaluate stage: every declared rule for every branch and period, with approved exemptions applied."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from generator.model import Branch, Ledger
from generator.periods import ONCE, period_of
from generator.rules import DUE, EXEMPT, FAIL, NOTICE, Context, Result, load_all
from generator.standards import Rule, Standards


def evaluate(ledger: Ledger, standards: Standards, as_of: dt.date) -> list[Result]:
    """Results for every branch × applicable rule × period, in a stable order."""
    registry = load_all()
    ctx = Context(as_of=as_of, start=ledger.organization.records_start, settings=ledger.organization.settings)
    results: list[Result] = []
    for branch in sorted(ledger.branches, key=lambda b: b.code):
        for rule in standards.rules:
            if rule.applies_to and branch.type not in rule.applies_to:
                continue
            function = registry.get(rule.type)
            if function is None:
                continue  # reported by the standards self-check (test_standards), not per branch
            results.extend(_exempted(_advisory(r, rule), branch, rule, as_of) for r in function(branch, rule, ctx))
    return results


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
        if item.rule != rule.id:
            continue
        if found.period == ONCE:
            covered = item.start <= as_of <= item.expires_on
        else:
            period = _period(rule.period, found.period)
            covered = item.start <= period.start and period.end <= item.expires_on
        if covered:
            reason = f"{item.reason}（批准：{item.approver}，有效至 {item.expires_on}）"
            return replace(found, status=EXEMPT, exemption=reason,
                           evidence=found.evidence + ((f"{branch.path}/exemptions.yaml", item.line),))
    return found


def _period(kind: str, label: str):
    if kind == "month":
        year, month = label.split("-")
        return period_of("month", dt.date(int(year), int(month), 1))
    if kind == "quarter":
        year, q = label.split("-Q")
        return period_of("quarter", dt.date(int(year), 3 * int(q) - 2, 1))
    return period_of("year", dt.date(int(label), 1, 1))
