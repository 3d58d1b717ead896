"""Rule versions: entries of rules.yaml sharing an id, each in force from valid_from to valid_until.

A case is judged by the text in force when it happened:
- a period (month, quarter, year) by the version in force on its first day;
- a development case (one person's interval between two stages) by the version in force on the day the
  interval began (its `from` stage; admission for the training rule), since that is when the duty arose;
- any other structural rule by the version in force on the as-of date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from generator.ledger.model import Branch, Member
from generator.rules import DUE, FAIL, NA, PASS, Result
from generator.rules.periods import ONCE, period_of_label
from generator.standards.catalogue import Rule

# rule type -> the stage (development.csv column) whose date tells when a case happened
CASE_STAGE: dict[str, Callable[[Rule], str]] = {
    "development_interval": lambda rule: str(rule.params.get("from")),
    "development_training": lambda rule: "admitted_on",
    "probation_period": lambda rule: "admitted_on",  # DV-13: the probation began at admission
    # the steps of issue 17 are judged at the 支部大会 that admits (DV-04 at the activist stage it names)
    "development_referees": lambda rule: str(rule.params.get("stage") or "admitted_on"),
    "development_step_before": lambda rule: "admitted_on",  # 政治审查, 预审: concluded before admission
    "development_publicity": lambda rule: "admitted_on",  # the 公示 ends before the assembly
    "development_leaving": lambda rule: "admitted_on",  # admitted within 3 months of leaving
    "development_approval": lambda rule: "admitted_on",  # approved within 3 months of the assembly
    "development_oath": lambda rule: "admitted_on",  # the oath after admission, before full membership
}
_WORST = {FAIL: 0, DUE: 1, PASS: 2}


def by_id(rules: list[Rule]) -> list[list[Rule]]:
    """The versions of each rule, rules in catalogue order (the order of each id's first entry)."""
    grouped: dict[str, list[Rule]] = {}
    for rule in rules:
        grouped.setdefault(rule.id, []).append(rule)
    return list(grouped.values())


def versioned(rule: Rule) -> bool:
    return rule.valid_from is not None or rule.valid_until is not None


def label(rule: Rule) -> str:
    """How the page names a version: its 细则 year, or its effective date."""
    if rule.meta.get("rule_version"):
        return f"{rule.meta['rule_version']}年版"
    return f"{rule.valid_from}起施行的版本" if rule.valid_from else f"{rule.valid_until}前施行的版本"


def cases_of(branch: Branch, rule: Rule, as_of: dt.date) -> Branch:
    """The branch with only the development cases this version judges (other rules see it whole)."""
    stage = CASE_STAGE.get(rule.type)
    if stage is None or not versioned(rule):
        return branch
    column = stage(rule)

    def mine(record: object) -> bool:
        day = getattr(record, column, None)
        return rule.in_force(day if isinstance(day, dt.date) else as_of)  # no date yet: judged by today's text

    members = [m for m in branch.members if mine(m)] if column in Member._fields else branch.members
    return replace(branch, development=[c for c in branch.development if mine(c)], members=members)


def in_force(judged: list[tuple[Rule, list[Result]]], as_of: dt.date) -> list[tuple[Rule, Result]]:
    """Each result with the version that judges it: one result per period, development cases merged."""
    if len(judged) == 1 and not versioned(judged[0][0]):
        rule, results = judged[0]
        return [(rule, r) for r in results]
    kept: list[tuple[Rule, Result]] = []
    cases: list[tuple[Rule, Result]] = []
    for rule, results in judged:
        for r in results:
            if r.period == ONCE and rule.type in CASE_STAGE:
                cases.append((rule, r))
            elif rule.in_force(as_of if r.period == ONCE else period_of_label(rule.period, r.period).start):
                kept.append((rule, replace(r, note=f"依据{label(rule)}：{r.note}") if r.note else r))
    kept.sort(key=lambda pair: pair[1].period)
    return ([_merge(cases, as_of)] if cases else []) + kept


def _merge(parts: list[tuple[Rule, Result]], as_of: dt.date) -> tuple[Rule, Result]:
    """One structural result from the cases each version judged: the worst status, counts added up."""
    current = next((rule for rule, _ in parts if rule.in_force(as_of)), parts[-1][0])
    judged = [(rule, r) for rule, r in parts if r.status != NA]
    if not judged:
        return current, next(r for rule, r in parts if rule is current)
    worst = min(judged, key=lambda pair: _WORST.get(pair[1].status, 1))[1]
    counted = [r for _, r in judged if r.count is not None]
    people = [r.people for _, r in judged if r.people is not None]
    return current, replace(
        worst,
        count=sum(r.count or 0 for r in counted) if counted else None,
        required=sum(r.required or 0 for r in counted) if counted else None,
        people=sum(people) if people else None,
        evidence=tuple(line for _, r in judged for line in r.evidence),
        note="；".join(f"依据{label(rule)}：{r.note}" for rule, r in judged if r.note))
