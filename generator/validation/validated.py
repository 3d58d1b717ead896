"""What validation found: the problems, and the files and rows that are unusable."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.problems.caps import Caps
from generator.problems.catalogue import Problem, make
from generator.records import personal


@dataclass
class Validated:
    """Problems plus, per file, the data rows (1-based person-visible lines) that are unusable."""

    problems: list[Problem] = field(default_factory=list)
    bad_rows: dict[str, set[int]] = field(default_factory=dict)  # path -> row numbers (header = 1)
    bad_files: set[str] = field(default_factory=set)
    caps: Caps = field(default_factory=Caps)  # problems beyond the caps are counted here, not kept
    found: int = 0  # problems found, listed or not

    def keeps(self, path: str, code: str, row: int | None, branch: str | None) -> bool:
        """Count an error about to be made; True when it is to be listed (make it only then: cheap floods)."""
        self.found += 1
        return self.caps.admit(path, code, row, "error", branch)

    def add(self, problem: Problem) -> None:
        """Keep a problem, or only count it when its file already lists enough of its kind (see caps)."""
        self.found += 1
        if self.caps.admit(problem.path, problem.code, problem.row, problem.severity, problem.branch):
            self.problems.append(problem)


def report_personal(value: str, path: str, row: int | None, name: str | None, branch: str | None, out: Validated,
                    column: int | None = None) -> None:
    for kind, masked in personal.find(value):
        personal_problem(kind, masked, path, row, name, branch, out, column)


def personal_problem(kind: str, masked: str, path: str, row: int | None, name: str | None, branch: str | None,
                     out: Validated, column: int | None = None) -> None:
    zh, en = personal.KINDS[kind]
    out.add(make("personal-data", path, row, name, column=column, branch=branch,
                 kind=zh, kind_en=en, masked=masked))
    if row:
        out.bad_rows.setdefault(path, set()).add(row)
