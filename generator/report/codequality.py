"""A check run as a GitLab Code Quality report: the problems shown beside the changed lines of a merge request.

GitLab reads a JSON array of Code Climate issues with `description`, `check_name`, `fingerprint`,
`severity` (info, minor, major, critical, blocker) and `location.path` + `location.lines.begin`
(https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format). The fingerprint must be
unique per issue and stable between runs: GitLab compares the reports of the source and target
branches by it, so a problem that is still there is not shown as new.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from generator.problems.catalogue import ERROR, INFO, WARNING, Problem
from generator.report.formats import visible

if TYPE_CHECKING:
    from generator.pipeline import CheckRun

# An error blocks the merge (major ranks it above warnings in the merge request widget); info is advice.
SEVERITY = {ERROR: "major", WARNING: "minor", INFO: "info"}


def fingerprint(problem: Problem, message: str) -> str:
    """Same place, code and message → same fingerprint, whatever else changed in the records."""
    key = "\0".join((problem.path, str(problem.row or 0), str(problem.column or 0), problem.field or "",
                     problem.code, message))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def issue(problem: Problem, lang: str = "zh") -> dict:
    message = problem.message if lang == "zh" else (problem.message_en or problem.message)
    shown = visible(message)  # personal data masked, control characters escaped: the report is published
    location: dict = {"path": problem.path, "lines": {"begin": problem.row or 1}}
    if problem.rows:
        location["lines"]["end"] = max(problem.row or 1, *problem.rows)
    return {"description": shown, "check_name": problem.code, "fingerprint": fingerprint(problem, shown),
            "severity": SEVERITY.get(problem.severity, "minor"), "location": location}


def as_code_quality(run: CheckRun, lang: str = "zh") -> str:
    """Every problem of the run, one issue each (GitLab folds nothing; its widget pages through them)."""
    seen: set[str] = set()
    issues = []
    for problem in run.problems:
        item = issue(problem, lang)
        if item["fingerprint"] in seen:  # an exact repeat would be dropped by GitLab anyway
            continue
        seen.add(item["fingerprint"])
        issues.append(item)
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"
