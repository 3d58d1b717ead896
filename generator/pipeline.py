"""The whole run, one call per stage. Read `check()` and `site()` first: they are the table of contents.

    check: standards → load → validate → ledger → integrity → evaluate
    site:  check → statistics → history → pages → open data → write (pages folder → site engine → swap)
"""

from __future__ import annotations

import datetime as dt
import functools
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator import speculation
from generator.history.git import Changes, changes_since, provenance
from generator.history.timeline import site_history
from generator.ledger import exemptionspan
from generator.ledger.build import build_ledger
from generator.ledger.integrity import check_integrity
from generator.ledger.model import Ledger
from generator.options import BuildOptions
from generator.problems.caps import capped
from generator.problems.catalogue import ERROR, WARNING, Problem, make
from generator.records import codeowners
from generator.records.load import load
from generator.records.repository import require_site_config
from generator.records.rosters import other_rosters
from generator.report import formats as report
from generator.rules import Result
from generator.rules.evaluate import evaluate
from generator.site.audience import Disclosure
from generator.site.opendata import write_open_data
from generator.site.pages import SitePages, write_pages
from generator.site.render import render_pages
from generator.site.statistics import compute
from generator.site.write import BuildRefused, check_target, replacing
from generator.speculation import Speculation, records_in_bulk
from generator.standards.catalogue import Standards, load_standards
from generator.validation import datebounds, diagnose
from generator.validation.validate import Validated


def check(root: Path, paths: list[str] | None = None, since: str | None = None,
          as_of: dt.date | None = None, records: str = "records") -> CheckRun:
    """standards → load → validate → ledger → integrity → evaluate: what `zhibu check` reports.

    `paths` or `since` narrow the branches read and evaluated."""
    return start_check(root, paths, since, as_of, records).final()


def site(root: Path, out: Path, options: BuildOptions | None = None,
         on_wait: Callable[[], None] | None = None) -> Path:
    """check → statistics → history → pages → open data → write: `zhibu build`, replacing `out` in one step.

    The pages are rendered while the tables are still being checked (see speculation.py); the site replaces
    `out` only once that check has passed, and records with errors leave `out` untouched (BuildRefused)."""
    options = options or BuildOptions()
    out = (root / out).resolve() if not out.is_absolute() else out
    check_target(root, out)  # never replace the repository or a folder that is not a site

    def publish(run: CheckRun, confirm: Callable[[], None]) -> Path:
        from generator.site import mkdocs_plugin as engine  # the site engine: imported only to build with it

        refuse_errors(run, confirm)
        require_site_config(root)  # after the check: a refusal for bad records says more than a missing file
        with replacing(out, on_wait) as temp, tempfile.TemporaryDirectory(prefix="zhibu-pages-") as folder:
            write_pages(Path(folder), site_pages(run, options))  # statistics → history → pages → open data
            forget_records(run)  # the engine reads the folder; it holds every page meanwhile
            try:
                engine.build(root, Path(folder), temp, run.as_of, strict=options.strict)  # MkDocs → temp
            except Exception:
                confirm()  # records with errors explain a failed build better than the failure
                raise
            confirm()  # before the swap: a site is published only from checked records
        return out

    return start_check(root, as_of=options.as_of, records=options.records).use(publish)


def site_pages(run: CheckRun, options: BuildOptions) -> SitePages:
    """statistics → history → pages → open data: the site's files, before any site engine sees them."""
    stats = compute(run.ledger, run.results, run.as_of)
    history = site_history(run.root, sorted(b.path for b in run.ledger.branches),
                           run.ledger.organization.min_cell_size, release=options.release,
                           pattern=options.release_pattern, versioned=bool(options.versioned))
    # The 党务公开目录 decides which pages, parts (render_pages → audience.restricted) and tables this audience gets.
    disclosure = Disclosure(options.audience, run.ledger.organization.disclosure)
    # The pages are rendered as write_pages asks for them: each is written before the next is made.
    return SitePages(run, render_pages(run, stats, history, disclosure),
                     functools.partial(write_open_data, run=run, stats=stats, disclosure=disclosure),
                     options.versioned, options.audience)


def pages(root: Path, out: Path, options: BuildOptions | None = None) -> Path:
    """check → statistics → history → pages → open data, written to `out` for any site engine (`zhibu pages`)."""
    options = options or BuildOptions()
    out = (root / out).resolve() if not out.is_absolute() else out
    check_target(root, out)

    def write(run: CheckRun, confirm: Callable[[], None]) -> Path:
        refuse_errors(run, confirm)
        with replacing(out) as temp:
            write_pages(temp, site_pages(run, options))
            confirm()
        return out

    return start_check(root, as_of=options.as_of, records=options.records).use(write)


def forget_records(run: CheckRun) -> None:
    """Let the ledger's branches and the results go once the pages are written: MkDocs holds every page while it
    builds, and the two of 6,000 branches (1.3 GB) would stay beside them. The run stays the same object (the
    check's guess is confirmed by identity: Speculation.use) and nothing reads its ledger or results after this."""
    run.results = []
    run.ledger = replace(run.ledger, branches=[])


def refuse_errors(run: CheckRun, confirm: Callable[[], None]) -> None:
    """Records with errors are never published (the guess is confirmed first: it may be wrong)."""
    if run.errors:
        confirm()
        raise BuildRefused(report.as_text(run))


run_check = check  # the name the tests and earlier callers know


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
    committed, commit = last_commit(root)
    return (committed or dt.date.today()), commit


def last_commit(root: Path) -> tuple[dt.date | None, str]:
    """The date of the latest commit touching records/ or standards/ (None outside Git), and HEAD's hash."""
    info = provenance(root)
    return info.commit_date, info.commit


def start_check(root: Path, paths: list[str] | None = None, since: str | None = None,
                as_of: dt.date | None = None, records: str = "records") -> Speculation[CheckRun]:
    """Start a check; `.run` is ready before the tables' check ends, `.confirm()` gives the final answer."""
    # Standards first: without them nothing can be judged (StandardsError → exit 2).
    standards = load_standards(root / "standards")
    committed, commit = last_commit(root)
    as_of = as_of or committed or dt.date.today()
    changes = changes_since(root, since, records) if since else None
    selected = _selection(paths, changes, records)

    def finish(checked: Validated) -> CheckRun:
        """ledger → integrity → evaluate, from records whose tables' check is `checked`."""
        hidden = checked.caps.hidden  # problems counted beyond the caps (see caps.py)
        listed = {(p.path, p.code) for p in checked.problems}
        checked = diagnose.explain(raw, standards, checked)  # name the cause of a pile of problems once
        gone = listed - {(p.path, p.code) for p in checked.problems}  # a pile explained away takes its count along
        hidden = {key: held for key, held in hidden.items() if key not in gone}
        ledger = build_ledger(raw, checked, standards.setting_defaults(), release=True)  # rows let go once read
        dated, counted = datebounds.out_of_bounds(raw, ledger, as_of, checked.bad_files,  # 0023-01-16, 9999-01-01
                                                  recorded=committed)
        datebounds.mark_partial(ledger, dated)  # a row dated in the future is no ground for counting against it
        declared = {r.id for r in standards.rules} | set(standards.set_aside)
        per_member = {r.id for r in standards.rules if r.member_exemptions}
        problems = standards.problems + checked.problems + check_integrity(ledger, as_of, declared, per_member,
                                                                           others, vocab=standards.vocab)
        problems += exemptionspan.partial_periods(ledger, standards)
        problems += dated
        hidden = {**hidden, **counted}  # other codes than validation's: no key is in both
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

    with records_in_bulk():  # millions of small objects without cycles: see speculation.py
        raw = load(root, records, selected, narrow_units=True,  # other units' unit.yaml: see codeowners
                   releasable=True)  # each table's rows live while they are used: memory at 6,000 branches
        others = other_rosters(root, raw) if selected is not None else []  # for member-in-two-branches
        return speculation.validate(raw, standards, then=finish)  # tables checked in other processes


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
