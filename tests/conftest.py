"""Shared fixtures: a fresh copy of the valid test repository (records + the real standards)."""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

# Fuzzing volume: `ci` (default, bounded for `make test`) or `fuzz` (`make fuzz`, HYPOTHESIS_PROFILE=fuzz).
# No deadline: Hypothesis's default 200 ms per example is a timed test, and a busy runner fails it (seen on
# test_textfile under load 12); speed is measured in `make bench`, never asserted.
settings.register_profile("ci", max_examples=25, print_blob=True, derandomize=True, deadline=None)  # repeatable
settings.register_profile("fuzz", max_examples=500, print_blob=True, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
# The validation cache (generator/validation/cache.py) stays off: tests compare runs of the same records (one
# process against two, a guess against the final answer), which a cached answer would make trivially equal,
# and nothing is written to the user's ~/.cache. tests/test_validation_cache.py turns it on where it is tested.
os.environ.setdefault("ZHIBU_CACHE", "off")

REPO = Path(__file__).parents[1]
VALID_RECORDS = REPO / "tests" / "data" / "valid" / "records"
BROKEN = REPO / "tests" / "data" / "broken"
FULL_OVERLAY = REPO / "tests" / "data" / "full" / "records"


def _full_records() -> Path:
    """The valid fixture with every optional table and column filled in (tests/data/full/ overlays its branch).

    Fuzzing mutates this one, so that each schema is reached; the plain valid fixture stays small for the tests
    that edit it by hand. Made once per session in a temporary folder.
    """
    folder = Path(tempfile.mkdtemp(prefix="zhibu-full-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    shutil.copytree(VALID_RECORDS, folder / "records")
    shutil.copytree(FULL_OVERLAY, folder / "records", dirs_exist_ok=True)
    return folder / "records"


FULL_RECORDS = _full_records()


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[..., Path]:
    """Return a function that builds a fresh repository folder (records/ + standards/) and returns its root.

    `make_repo()` copies the valid fixture; `make_repo(records=path)` copies another records folder.
    Each call gives a new folder under tmp_path, so one test may build several.
    """
    counter = itertools.count(1)

    def make(records: Path = VALID_RECORDS, name: str | None = None) -> Path:
        root = tmp_path / (name or f"repo{next(counter)}")
        shutil.copytree(records, root / "records")
        shutil.copytree(REPO / "standards", root / "standards")
        return root

    return make


@pytest.fixture
def git_records(make_repo) -> Path:
    """The valid fixture plus a second branch (gongcheng-js2), committed on main."""
    from gitrepo import commit_all, run_git
    from recordedits import add_second_branch

    root = make_repo()
    add_second_branch(root)
    run_git(root, "init", "-q", "-b", "main")
    commit_all(root, "records")
    return root


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The demo college's site as of 2026-11-20, built once for every test that only reads it."""
    import datetime as dt

    from sitehelpers import copy_project

    from generator.site.build import build_site

    project = copy_project(tmp_path_factory.mktemp("demo"))
    build_site(project, Path("site"), dt.date(2026, 11, 20))
    return project / "site"


@pytest.fixture(scope="session")
def demo_party_site(tmp_path_factory) -> Path:
    """The demo college's Party-internal site (zhibu build --audience party) as of 2026-11-20, built once."""
    import datetime as dt

    from sitehelpers import copy_project

    from generator.site.build import build_site

    project = copy_project(tmp_path_factory.mktemp("demo-party"))
    return build_site(project, Path("site"), dt.date(2026, 11, 20), audience="party")


@pytest.fixture(scope="session")
def demo_site_url(demo_site):
    """The demo site served on loopback (browser tests)."""
    from sitehelpers import serve

    with serve(demo_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (the Debian package) for one test module's browser tests."""
    from sitehelpers import chromium

    with chromium() as instance:
        yield instance
