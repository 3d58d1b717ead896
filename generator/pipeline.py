"""The whole run, one call per stage: load → validate → ledger → integrity → evaluate (→ statistics → render)."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.history.git import Changes, changes_since, provenance
from generator.model import Ledger
from generator.problems.caps import capped
from generator.problems.catalogue import ERROR, WARNING, Problem, make
from generator.records import codeowners, diagnose, exemptionspan
from generator.records.integrity import check_integrity
from generator.records.ledger import build_ledger
from generator.records.load import load
from generator.records.rosters import other_rosters
from generator.records.validate import PendingValidation, Validated, start_validation
from generator.rules import Result
from generator.rules.evaluate import evaluate
from generator.standards.catalogue import Standards, load_standards


@dataclass
class CheckRun:
    """Everything a check produced; the CLI prints it, the site renders it."""

    root: Path
    as_of: dt.date
    commit: str
    standards: Standards
    ledger: Ledger
    problems: list[Problem]
    results: list[Result]
    selected: list[str] | None = None
    changes: Changes | None = None
    listed_branches: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]


def default_as_of(root: Path) -> tuple[dt.date, str]:
    """The date of the latest commit touching records/ or standards/ (reproducible), and HEAD's hash."""
    info = provenance(root)
    return (info.commit_date or dt.date.today()), info.commit


def run_check(root: Path, paths: list[str] | None = None, since: str | None = None,
              as_of: dt.date | None = None, records: str = "records") -> CheckRun:
    """Check the records under root; `paths` or `since` narrow the branches read and evaluated."""
    try:
        return start_check(root, paths, since, as_of, records).confirm()
    finally:
        release_records()


def start_check(root: Path, paths: list[str] | None = None, since: str | None = None,
                as_of: dt.date | None = None, records: str = "records") -> Speculation:
    """Start a check; `.run` is ready before the tables' check ends, `.confirm()` gives the final answer.

    Large records are checked by Frictionless in other processes (see validate.start_validation). Meanwhile
    the ledger and the rules are worked out as if those processes will find nothing, which is the usual
    answer for records that already passed the pull-request check: a site build renders the pages from
    that `.run` while the check goes on. `confirm()` waits; if the tables had problems it works everything
    out again without their bad rows, so the final run is always the one a step-by-step check gives.
    """
    # Standards first: without them nothing can be judged (StandardsError → exit 2).
    standards = load_standards(root / "standards")
    default_date, commit = default_as_of(root)
    as_of = as_of or default_date
    changes = changes_since(root, since, records) if since else None
    selected = _selection(paths, changes, records)

    def finish(checked: Validated) -> CheckRun:
        hidden = checked.caps.hidden  # problems counted beyond the caps (see caps.py)
        listed = {(p.path, p.code) for p in checked.problems}
        checked = diagnose.explain(raw, standards, checked)  # name the cause of a pile of problems once
        gone = listed - {(p.path, p.code) for p in checked.problems}  # a pile explained away takes its count along
        hidden = {key: held for key, held in hidden.items() if key not in gone}
        ledger = build_ledger(raw, checked, standards.setting_defaults())
        declared = {r.id for r in standards.rules} | set(standards.set_aside)
        per_member = {r.id for r in standards.rules if r.member_exemptions}
        problems = standards.problems + checked.problems + check_integrity(ledger, as_of, declared, per_member,
                                                                           others, vocab=standards.vocab)
        problems += exemptionspan.partial_periods(ledger, standards)
        if changes:
            problems += _moves(changes, since or "")
        # A check that read only some branches trusts the CODEOWNERS lines of the others, unless the change
        # touched CODEOWNERS itself (a hand edit of another branch's line must not pass unnoticed).
        full = selected is None or (changes is not None and codeowners.PATH in changes.files)
        problems += codeowners.stale(root, raw, records, read_all=full)
        results = evaluate(ledger, standards, as_of)
        problems = capped(problems, hidden)  # at most caps.PER_KIND of a kind per file, and a count of the rest
        return CheckRun(root=root, as_of=as_of, commit=commit, standards=standards, ledger=ledger,
                        problems=problems, results=results, selected=selected, changes=changes,
                        listed_branches=raw.all_branches)

    with records_in_bulk():
        raw = load(root, records, selected)
        others = other_rosters(root, raw) if selected is not None else []  # for member-in-two-branches
        pending = start_validation(raw, standards)  # forks with the collector paused: so are the processes
        return Speculation(pending, finish)


@contextlib.contextmanager
def records_in_bulk() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the records, ledger and results are made.

    They are millions of small objects without cycles, and the collector, started every few hundred new
    objects, walks all of them each time the heap has grown by a quarter: the load of 1,000 branches took
    twice as long and the ledger 2.6 times. Afterwards they are kept out of its sight (gc.freeze) until
    `release_records`; refcounting still frees them as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def release_records() -> None:
    """Let the collector see the records again (at the end of a check or build; a long process goes on)."""
    gc.unfreeze()


class Speculation:
    """A check whose tables may still be under way in other processes (see start_check)."""

    def __init__(self, pending: PendingValidation, finish: Callable[[Validated], CheckRun]) -> None:
        self._pending, self._finish = pending, finish
        self._confirmed: CheckRun | None = None
        self.run: CheckRun | None = None
        if not pending.background or pending.known.problems:
            # Nothing runs beside us, or bad files are known already: no guess, the real answer now.
            self._confirmed = self.run = finish(pending.result())
            return
        try:
            self.run = finish(Validated())
        except Exception:  # records the tables' check will reject can break the guess; confirm() redoes it
            self.run = None

    def confirm(self) -> CheckRun:
        """The check's final run: `.run` itself when the tables had no problems, else a new run without bad rows."""
        if self._confirmed is None:
            checked = self._pending.result()
            if self.run is not None and not (checked.problems or checked.bad_rows or checked.bad_files):
                self._confirmed = self.run
            else:
                with records_in_bulk():
                    self._confirmed = self._finish(checked)
        return self._confirmed

    def cancel(self) -> None:
        """Stop the processes still checking (the caller gave up)."""
        self._pending.cancel()


def _moves(changes: Changes, ref: str) -> list[Problem]:
    """Branch folders that are gone since ref: deleted, renamed (the code changed) or moved to another unit."""
    out = [make("branch-deleted", f"{folder}/branch.yaml", value=folder, ref=ref) for folder in changes.deleted]
    for old, new in changes.renamed:
        code = new.rsplit("/", 1)[1]
        if old.rsplit("/", 1)[1] == code:
            out.append(make("branch-moved", f"{new}/branch.yaml", branch=code, code=code, old=old, new=new, ref=ref))
        else:
            out.append(make("branch-renamed", f"{new}/branch.yaml", branch=code, old=old, new=new, ref=ref))
    return out


def _selection(paths: list[str] | None, changes: Changes | None, records: str) -> list[str] | None:
    prefixes: list[str] | None = None
    if paths:
        prefixes = []
        for path in paths:
            parts = Path(path).as_posix().strip("/").split("/")
            if parts[0] != records or len(parts) < 2:
                return None  # the whole records/ folder (or something outside it): everything
            prefixes.append("/".join(parts[:3]) + "/")
    if changes is not None and not changes.everything:
        touched = changes.prefixes
        prefixes = touched if prefixes is None else [
            p for p in prefixes if any(p.startswith(c) or c.startswith(p) for c in touched)]
    return prefixes
