"""Caps on problems: at most PER_KIND of one kind and PER_FILE in all are listed per file, the rest counted.

A broken file must cost what its size costs, not what its mistakes multiply to: one CSV row of 40,000
cells, or 200,000 rows with the same wrong value, would otherwise become hundreds of thousands of problems
(and as many Frictionless errors held in memory). Validation asks `Caps.admit` before it keeps a problem
or a Frictionless error, so what is held stays small whatever the input; `capped` applies the same caps to
the whole run and adds one `more-problems` per file and kind: "本文件另有 N 处同类问题".

A problem without a row is about a file or folder as a whole (a stray file, a stray folder, a name that is
not a code or holds personal data, a missing or unreadable file). Its path is the offender itself, so 3,000
stray files are 3,000 paths and a per-file cap never bites: such problems are also capped per folder that
lists the offenders, PER_KIND of one kind, and the rest become one `more-problems` on that folder:
"本文件夹另有 N 处同类问题". A missing file's offender is the folder that lacks it (1,000 branch folders
without branch.yaml are 1,000 offenders of their unit folder); an empty folder is one `empty-folder`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from generator.problems.catalogue import Problem, make

PER_KIND = 20  # problems of one code listed per file, and offending entries of one code per folder
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
    entries: dict[tuple[str, str], set[str | int]] = field(default_factory=dict)  # (folder, code) -> listed
    hidden_in_folder: dict[tuple[str, str], Hidden] = field(default_factory=dict)

    def admit(self, path: str, code: str, row: int | None, severity: str, branch: str | None) -> bool:
        """True when a problem of this kind in this file is still to be listed; else it is counted."""
        if self.listed[path, code] < PER_KIND and self.per_file[path] < PER_FILE:
            self.listed[path, code] += 1
            self.per_file[path] += 1
            return True
        _count(self.hidden, (path, code), row, severity, branch)
        return False

    def admit_entry(self, folder: str, entry: str | None, code: str, severity: str, branch: str | None) -> bool:
        """True while at most PER_KIND offenders of this kind in this folder are listed; else it is counted.

        `entry` names the offender (several problems about one file are one offender); None: a new one.
        """
        listed = self.entries.setdefault((folder, code), set())
        if entry in listed or len(listed) < PER_KIND:
            listed.add(len(listed) if entry is None else entry)
            return True
        _count(self.hidden_in_folder, (folder, code), None, severity, branch)
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


def _count(hidden: dict[tuple[str, str], Hidden], key: tuple[str, str], row: int | None, severity: str,
           branch: str | None) -> None:
    held = hidden.get(key)
    if held is None:
        hidden[key] = Hidden(1, row, severity, branch)
    else:
        held.count += 1


def offender(problem: Problem) -> tuple[str, str | None] | None:
    """For a problem about a file or folder as a whole: the folder that lists it, and the offender's name.

    None for a problem at a place inside a file (it has a row). A name holding personal data is reported on
    the folder that lists it (the name is never a path, and masked names can coincide): each such problem
    is its own offender (the loader reports one per name).
    """
    if problem.row is not None or problem.code == "more-problems":
        return None
    if problem.code == "personal-data":
        return problem.path, None
    folder, _, name = problem.path.rpartition("/")
    if problem.code in _MISSING:  # the offender is the folder that lacks the file, listed by its own parent
        folder, _, name = folder.rpartition("/")
    return folder, name


_MISSING = {"missing-file", "branch-yaml-missing", "unit-yaml-missing"}


def capped(problems: list[Problem], hidden: dict[tuple[str, str], Hidden] | None = None) -> list[Problem]:
    """The problems to show, in order: the first of each file (or folder) and kind, and a count of the rest."""
    caps = Caps(hidden={key: Hidden(h.count, h.row, h.severity, h.branch) for key, h in (hidden or {}).items()})
    kept = []
    for p in sorted(problems, key=Problem.sort_key):
        where = offender(p)
        if where is not None and not caps.admit_entry(where[0], where[1], p.code, p.severity, p.branch):
            continue
        if caps.admit(p.path, p.code, p.row, p.severity, p.branch):
            kept.append(p)
    for (path, code), held in caps.hidden.items():
        kept.append(make("more-problems", path, held.row, severity=held.severity, branch=held.branch,
                         count=held.count, kind=code, scope="文件", scope_en="file"))
    for (folder, code), held in caps.hidden_in_folder.items():
        kept.append(make("more-problems", folder, severity=held.severity, branch=held.branch,
                         count=held.count, kind=code, scope="文件夹", scope_en="folder"))
    kept.sort(key=Problem.sort_key)
    return kept
