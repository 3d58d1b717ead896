"""Compliance not computed where the records it rests on have errors: 记录有错误，合规结果暂不计算.

A file with an error is read without its bad rows, or not at all. Judged on what is left, a branch looks
far worse than it is (one unreadable meetings.csv failed every meeting rule since 2023) or an approved
exemption silently disappears. So the check's outputs (text, JSON summary, job summary) withhold the
results of every rule that reads a file with an error, and say why, until the file is fixed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.problems.catalogue import ERROR
from generator.rules import Result

if TYPE_CHECKING:  # the pipeline imports this module: the name only for type hints
    from generator.pipeline import CheckRun

REASON = "记录有错误，合规结果暂不计算"
REASON_EN = "records have errors; compliance not computed yet"
# The record files each rule type reads (besides branch.yaml, exemptions.yaml and organization.yaml, which
# every rule depends on: the branch's type, its exemptions, the local settings). A type not listed reads all.
READS: dict[str, set[str]] = {
    "meeting_frequency": {"meetings.csv"},
    "group_meetings": {"meetings.csv"},
    "assembly_quorum": {"meetings.csv", "members.csv"},
    "branch_size_min": {"members.csv"},
    "branch_size_max": {"members.csv"},
    "covered_units_max": set(),
    "committee_structure": {"members.csv"},
    "committee_term": set(),
    "term_reminder": set(),
    "secretary_seniority": {"members.csv"},
    "double_leader": set(),
    "dues_monthly": {"dues.csv", "members.csv"},
    "dues_consecutive_unpaid": {"dues.csv", "members.csv"},
    "student_dues_amount": {"dues.csv", "members.csv"},
    "development_interval": {"development.csv"},
    "development_training": {"development.csv"},
    "probation_period": {"members.csv", "development.csv"},
    "development_referees": {"members.csv", "development.csv"},
    "development_step_before": {"development.csv"},
    "development_leaving": {"members.csv", "development.csv"},
    "development_approval": {"development.csv"},
    "development_publicity": {"development.csv"},
    "development_oath": {"development.csv"},
    "study_hours": {"study.csv", "members.csv"},
    "election_meeting": {"meetings.csv"},
    "election_quorum": {"elections.csv", "meetings.csv"},
    "election_votes": {"elections.csv", "meetings.csv"},
    "election_margin": {"elections.csv", "meetings.csv"},
    "consecutive_absence": {"absences.csv", "meetings.csv", "members.csv"},
    "rectification_due": {"rectification.csv", "meetings.csv"},
    "appraisal_excellent_share": {"appraisal.csv"},
    "appraisal_probationary": {"appraisal.csv", "members.csv", "meetings.csv"},
    "away_without_transfer": {"members.csv"},
    "graduate_retention": {"members.csv"},
    "lost_contact": {"members.csv"},
}
EVERY_RULE = {"branch.yaml", "exemptions.yaml"}
ALL_FILES = {"members.csv", "meetings.csv", "dues.csv", "development.csv", "study.csv", "elections.csv",
             "absences.csv", "rectification.csv", "appraisal.csv"}


@dataclass(frozen=True)
class Withheld:
    """One branch whose compliance is not computed for some rules, and the files with errors behind it."""

    branch: str
    rules: tuple[str, ...]
    files: tuple[str, ...]

    def as_dict(self, lang: str = "zh") -> dict:
        return {"branch": self.branch, "rules": list(self.rules), "files": list(self.files),
                "reason": REASON if lang == "zh" else REASON_EN}


def withheld(run: CheckRun) -> list[Withheld]:
    """Per branch with errors in its records, the rules whose results are not shown (sorted by branch)."""
    bad: dict[str, set[str]] = defaultdict(set)
    everywhere = any(p.severity == ERROR and p.path.endswith("organization.yaml") for p in run.problems)
    branches = {b.code: b for b in run.ledger.branches}
    for p in run.problems:
        if p.severity == ERROR and p.branch and p.path.rsplit("/", 1)[-1] in EVERY_RULE | ALL_FILES:
            bad[p.branch].add(p.path.rsplit("/", 1)[-1])
    if everywhere:
        for code in branches:
            bad[code].add("organization.yaml")
    out = []
    for code, files in sorted(bad.items()):
        branch = branches.get(code)
        rules = [r for r in run.standards.rules
                 if branch is None or not r.applies_to or branch.type in r.applies_to]
        ids = [r.id for r in rules if _depends(r.type, files)]
        if ids:
            out.append(Withheld(branch=code, rules=tuple(ids), files=tuple(sorted(files))))
    return out


def _depends(rule_type: str, files: set[str]) -> bool:
    if files & (EVERY_RULE | {"organization.yaml"}):
        return True
    return bool(files & READS.get(rule_type, ALL_FILES))


def shown(run: CheckRun, results: list[Result] | None = None) -> list[Result]:
    """The results the outputs may show: those of withheld (branch, rule) pairs left out."""
    hidden = {(w.branch, rule) for w in withheld(run) for rule in w.rules}
    return [r for r in (run.results if results is None else results) if (r.branch, r.rule) not in hidden]
