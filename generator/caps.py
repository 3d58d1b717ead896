"""Caps on problems: at most PER_KIND of one kind and PER_FILE in all are listed per file, the rest counted.

A broken file must cost what its size costs, not what its mistakes multiply to: one CSV row of 40,000
cells, or 200,000 rows with the same wrong value, would otherwise become hundreds of thousands of problems
(and as many Frictionless errors held in memory). Validation asks `Caps.admit` before it keeps a problem
or a Frictionless error, so what is held stays small whatever the input; `capped` applies the same caps to
the whole run and adds one `more-problems` per file and kind: "本文件另有 N 处同类问题".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from generator.problems import Problem, make

PER_KIND = 20  # problems of one code listed per file
PER_FILE = 100  # problems listed per file, all codes together


@dataclass
class Hidden:
    """Problems of one kind in one file that were counted, not listed: how many, and where the first was."""

    count: int
    row: int | None
    severity: str
    branch: str | None


@dataclass
class Caps:
    """Counts per file and kind while problems are found; beyond the caps only a count is kept."""

    listed: Counter = field(default_factory=Counter)
    per_file: Counter = field(default_factory=Counter)
    hidden: dict[tuple[str, str], Hidden] = field(default_factory=dict)

    def admit(self, path: str, code: str, row: int | None, severity: str, branch: str | None) -> bool:
        """True when a problem of this kind in this file is still to be listed; else it is counted."""
        if self.listed[path, code] < PER_KIND and self.per_file[path] < PER_FILE:
            self.listed[path, code] += 1
            self.per_file[path] += 1
            return True
        held = self.hidden.get((path, code))
        if held is None:
            self.hidden[path, code] = Hidden(1, row, severity, branch)
        else:
            held.count += 1
        return False

    def merge(self, other: Caps) -> None:
        """Add another part's counts (parts check different branches, so different files)."""
        self.listed.update(other.listed)
        self.per_file.update(other.per_file)
        for key, held in other.hidden.items():
            mine = self.hidden.get(key)
            if mine is None:
                self.hidden[key] = Hidden(held.count, held.row, held.severity, held.branch)
            else:
                mine.count += held.count


def capped(problems: list[Problem], hidden: dict[tuple[str, str], Hidden] | None = None) -> list[Problem]:
    """The problems to show, in order: the first of each file and kind, and a count of the rest."""
    caps = Caps(hidden={key: Hidden(h.count, h.row, h.severity, h.branch) for key, h in (hidden or {}).items()})
    kept = [p for p in sorted(problems, key=Problem.sort_key)
            if p.code == "personal-data" and p.row is None  # a file or folder name: never folded away
            or caps.admit(p.path, p.code, p.row, p.severity, p.branch)]
    for (path, code), held in caps.hidden.items():
        kept.append(make("more-problems", path, held.row, severity=held.severity, branch=held.branch,
                         count=f"{held.count:,}", kind=code))
    kept.sort(key=Problem.sort_key)
    return kept
