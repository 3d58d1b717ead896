"""Rule types: small functions registered by the `type` key used in standards/rules.yaml."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from generator.ledger.model import Branch
from generator.rules.periods import ONCE, Period, periods_between
from generator.standards.catalogue import Rule
from generator.standards.vocabulary import Vocabulary

PASS, FAIL, DUE, EXEMPT, NA = "pass", "fail", "due", "exempt", "n/a"
NOTICE = "notice"  # an advisory rule (a reminder or a cultivation target) is not met: 提醒, never 未达标
STATUSES = (PASS, FAIL, DUE, EXEMPT, NA, NOTICE)


@dataclass(frozen=True, slots=True)
class Result:
    """The state of one rule for one branch in one period (slots: a 6,000-branch check makes two million)."""

    branch: str
    rule: str
    period: str
    status: str
    count: int | None = None
    required: int | None = None
    note: str = ""  # Chinese: why, in words a reader understands
    evidence: tuple[tuple[str, int], ...] = ()  # (repository path, line)
    exemption: str = ""  # reason and approver when exempt
    people: int | None = None  # how many persons fall short (rules about each member or candidate)
    excused: int | None = None  # how many members an approved exemption leaves out (never who)


@dataclass(frozen=True)
class Context:
    as_of: dt.date
    start: dt.date
    settings: dict[str, Any] = field(default_factory=dict)
    vocab: Vocabulary = field(kw_only=True)  # names of values in notes (standards/vocabulary.yaml)

    def periods(self, kind: str, branch: Branch) -> list[Period]:
        """The periods to evaluate: from the records start (or founding) to the as-of date."""
        begin = max(self.start, branch.founded_on or self.start)
        return periods_between(kind, begin, self.as_of) if begin <= self.as_of else []

    def param(self, rule: Rule, name: str, default: Any = None) -> Any:
        """A rule parameter, overridden by an organization setting when the rule names one."""
        setting = rule.params.get("setting")
        if setting and name == "min" and setting in self.settings:
            return self.settings[setting]
        return rule.params.get(name, default)


RuleFunction = Callable[[Branch, Rule, Context], Iterable[Result]]
REGISTRY: dict[str, RuleFunction] = {}


def rule_type(name: str) -> Callable[[RuleFunction], RuleFunction]:
    """Register an implementation for a rule type."""

    def register(function: RuleFunction) -> RuleFunction:
        REGISTRY[name] = function
        return function

    return register


def result(branch: Branch, rule: Rule, period: str, status: str, **kwargs: Any) -> Result:
    return Result(branch=branch.code, rule=rule.id, period=period, status=status, **kwargs)


def periodic(branch: Branch, rule: Rule, ctx: Context, measure: Callable[[Period], tuple | None],
             open_is_due: bool = True) -> list[Result]:
    """Evaluate a per-period rule; `measure` returns (count, required, evidence, note[, people]) or None for n/a.

    A period still open on the as-of date is `due` rather than failed while it is unsatisfied.
    """
    out = []
    for period in ctx.periods(rule.period, branch):
        measured = measure(period)
        if measured is None:
            out.append(result(branch, rule, period.label, NA))
            continue
        count, required, evidence, note, *people = measured
        if count >= required:
            status = PASS
        elif open_is_due and period.end >= ctx.as_of:
            status = DUE
        else:
            status = FAIL
        out.append(result(branch, rule, period.label, status, count=count, required=required,
                          evidence=tuple(evidence), note=note if status != PASS else "",
                          people=people[0] if people else None))
    return out


def once(branch: Branch, rule: Rule, ok: bool | None, note: str = "", count: int | None = None,
         required: int | None = None, evidence: Iterable[tuple[str, int]] = (), people: int | None = None,
         unmet: str = FAIL) -> list[Result]:
    """A structural rule evaluated once, on the as-of date; ok=None means it does not apply.

    `unmet=NOTICE` for the advisory part of a rule that is otherwise strict (BR-05: 6–7 committee members,
    "一般不超过7人"); a rule whose severity is `warning` needs nothing: compliance turns its fail into notice.
    """
    status = NA if ok is None else PASS if ok else unmet
    return [result(branch, rule, ONCE, status, count=count, required=required, note=note,
                   evidence=tuple(evidence), people=people)]


def load_all() -> dict[str, RuleFunction]:
    """Import every rule module so each registers itself; return the registry."""
    from generator.rules import (  # noqa: F401
        appraisal,
        attendance,
        development,
        development_steps,
        dues,
        elections,
        joint,
        meetings,
        rectification,
        relationships,
        structure,
        study,
    )

    return REGISTRY
