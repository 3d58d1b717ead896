"""A branch's member development by stage: how many people stand at each stage and which checks they passed.

The stages and the checks between them come from the 发展党员 process of standards/processes.yaml (the steps
that name a development.csv date column start a stage; the rules of the steps up to the next stage are its
checks), so the page follows the same map the standards page draws. Counts only; the page suppresses small
ones like every other count on the site.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.ledger.model import Branch, Candidate
from generator.rules import Result
from generator.standards.processes import Process

DEVELOPMENT = "development"  # the process id in standards/processes.yaml


@dataclass(frozen=True)
class Check:
    rule: str
    result: Result  # the branch's result: status, people who met it (count) of those judged (required)


@dataclass(frozen=True)
class Stage:
    stage: str  # development.csv column
    title: str  # the step of processes.yaml that starts it
    now: int  # people whose latest stage on the as-of date is this one
    reached: int  # people who reached it by the as-of date
    checks: tuple[Check, ...]


def _latest(person: Candidate, stages: list[str], as_of: dt.date) -> str | None:
    reached = [s for s in stages if (day := getattr(person, s, None)) is not None and day <= as_of]
    return reached[-1] if reached else None


def development_stages(branch: Branch, processes: list[Process], results: list[Result],
                       as_of: dt.date) -> list[Stage]:
    """One row per stage of the development process, for one branch (empty without the process or records)."""
    process = next((p for p in processes if p.id == DEVELOPMENT), None)
    if process is None or not branch.development:
        return []
    starts = [i for i, step in enumerate(process.steps) if step.stage]
    stages = [process.steps[i].stage for i in starts]
    latest = [_latest(c, stages, as_of) for c in branch.development]
    by_rule = {r.rule: r for r in results if r.branch == branch.code}
    rows = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(process.steps)
        rules = [rule for step in process.steps[start:end] for rule in step.rules]
        checks = tuple(Check(rule, by_rule[rule]) for rule in rules if rule in by_rule)
        stage = stages[n]
        reached = sum(1 for c in branch.development if (d := getattr(c, stage)) is not None and d <= as_of)
        rows.append(Stage(stage, process.steps[start].title, latest.count(stage), reached, checks))
    return rows


# The development funnel with every recorded step, in the order of the process (development.csv columns).
FUNNEL = ("applied_on", "talked_on", "activist_on", "mentors", "target_on", "sponsors", "reviewed_on", "publicity_to",
          "prereviewed_on", "admitted_on", "approved_on", "oath_on", "full_on")
_COLUMN = {"mentors": "mentor1", "sponsors": "sponsor1"}  # the file column that shows a step is recorded
_STEP_KEY = {"mentors": "mentor", "sponsors": "sponsor"}  # its label in vocabulary.yaml development_steps


def step_funnel(branches: list[Branch], as_of: dt.date) -> list[tuple[str, int]]:
    """(step, people who reached it by the as-of date) for each step some branch records (counts to suppress).

    A step no branch's development.csv has a column for is left out: its count would read as nobody.
    """
    kept = {c for b in branches for c in b.columns.get("development", frozenset())}
    out = []
    for step in FUNNEL:
        if _COLUMN.get(step, step) not in kept:
            continue
        if step in _COLUMN:
            n = sum(1 for b in branches for c in b.development if getattr(c, step))
        else:
            n = sum(1 for b in branches for c in b.development if (d := getattr(c, step)) is not None and d <= as_of)
        out.append((_STEP_KEY.get(step, step), n))
    return out


@dataclass(frozen=True)
class StepChecks:
    title: str  # the step of the process
    rule: str
    branches_passed: int
    branches_judged: int  # branches with a pass, fail or notice (not n/a, not still open)
    people_met: int
    people_judged: int


def step_checks(processes: list[Process], results: list[Result]) -> list[StepChecks]:
    """For each rule of the development process: branches that met it, and people who met it, across the college."""
    process = next((p for p in processes if p.id == DEVELOPMENT), None)
    if process is None:
        return []
    rows = []
    for step in process.steps:
        for rule in step.rules:
            mine = [r for r in results if r.rule == rule and r.status in ("pass", "fail", "notice")]
            rows.append(StepChecks(step.title, rule, sum(r.status == "pass" for r in mine), len(mine),
                                   sum(r.count or 0 for r in mine), sum(r.required or 0 for r in mine)))
    return rows
