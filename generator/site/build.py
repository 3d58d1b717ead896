"""Build the site atomically: check, build into a temporary folder beside the target, then swap."""

from __future__ import annotations

import calendar
import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

from generator.pipeline import CheckRun, Speculation, release_records, start_check
from generator.records.repository import require_site_config
from generator.report import formats as report
from generator.site.write import _swap as _swap  # re-exported: generator.site.releases swaps a versions tree
from generator.site.write import check_target, replacing


class BuildRefused(Exception):
    """The records have errors; the existing site was left untouched."""

    def __init__(self, text: str) -> None:
        super().__init__("records have errors")
        self.report = text


def build_site(root: Path, out: Path, as_of: dt.date | None = None, release: str | None = None,
               versioned: str | None = None, on_wait: Callable[[], None] | None = None, strict: bool = False) -> Path:
    """Check the records, build the site into a temporary folder, then replace `out` in one step.

    `release` names the release tag being built (its changes page compares with the release before it; "" means
    not a release even if HEAD is tagged); `versioned` names this site's folder in a versions tree and switches on
    Material's version selector. Large records are checked by Frictionless in other processes while the
    pages are built (pipeline.start_check); the site replaces `out` only once that check has passed."""
    out = (root / out).resolve() if not out.is_absolute() else out
    check_target(root, out)  # never replace the repository or a folder that is not a site
    check: Speculation | None = None
    try:
        check = start_check(root, as_of=as_of)
        run = check.run
        while True:
            if run is None or run.errors:
                run = check.confirm()
            if run.errors:
                raise BuildRefused(report.as_text(run))
            require_site_config(root)  # after the check: a refusal for bad records says more than a missing file
            try:
                _build(root, out, run, release, versioned, on_wait, strict, check)
                return out
            except _Outdated as outdated:  # Frictionless found problems while the pages were built
                run = outdated.run
    finally:
        if check is not None:
            check.cancel()
        release_records()


class _Outdated(Exception):
    """The pages were built from a guess that the tables' check contradicted; nothing was replaced."""

    def __init__(self, run: CheckRun) -> None:
        super().__init__("the check found problems while the site was built")
        self.run = run


def _build(root: Path, out: Path, run: CheckRun, release: str | None, versioned: str | None,
           on_wait: Callable[[], None] | None, strict: bool, check: Speculation) -> None:
    """Build the site of `run` into a temporary folder and swap it in, if the check confirms `run`."""
    from generator.site import mkdocs_plugin

    # Same commit and as-of date → same bytes: MkDocs dates the sitemap from SOURCE_DATE_EPOCH.
    saved = {k: os.environ.get(k) for k in ("SOURCE_DATE_EPOCH", "ZHIBU_AS_OF", "ZHIBU_RELEASE", "ZHIBU_VERSIONED")}
    os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(run.as_of.timetuple()))
    os.environ["ZHIBU_AS_OF"] = run.as_of.isoformat()
    for key, value in (("ZHIBU_RELEASE", release), ("ZHIBU_VERSIONED", versioned)):
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    try:
        with replacing(out, on_wait) as temp:  # locked, atomic swap; OSError → BuildFailed (Chinese message)
            cwd = os.getcwd()
            os.chdir(root)  # the search plugin's jieba dictionary path is relative to the repository root
            try:
                mkdocs_plugin.build(root / "mkdocs.yml", temp, run, strict=strict)  # strict: warnings fail
            except Exception:
                _confirmed(check, run)  # records with errors explain a failed build better than the failure
                raise
            finally:
                os.chdir(cwd)
            _confirmed(check, run)  # before the swap: a site is published only from checked records
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _confirmed(check: Speculation, run: CheckRun) -> None:
    final = check.confirm()
    if final is not run:
        raise _Outdated(final)


def serve(root: Path, dev_addr: str) -> None:
    from generator.site import mkdocs_plugin

    os.chdir(root)
    mkdocs_plugin.serve(root / "mkdocs.yml", dev_addr)
