"""Large records are checked by Frictionless in other processes while the site is rendered: the site is
published only from records that check passed, and the answer is the one a step-by-step check gives."""

from __future__ import annotations

import datetime as dt
import gc
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sitehelpers import copy_project, digest
from test_broken import AS_OF as BROKEN_AS_OF
from test_broken import CASES, broken_repo

from generator.demo.college import generate
from generator.pipeline import run_check, start_check
from generator.site.build import BuildRefused, build_site

AS_OF = dt.date(2025, 6, 30)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    generate(tmp_path / "records", seed=5, branches=4, as_of=AS_OF)
    return copy_project(tmp_path / "repo", tmp_path / "records")


def _impossible_date(project: Path) -> str:
    """Line 3 of the first branch's meetings.csv gets 2025-02-30; the path of that file."""
    meetings = sorted((project / "records").glob("*/*/meetings.csv"))[0]
    lines = meetings.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[2].split(",")
    cells[1] = "2025-02-30"
    lines[2] = ",".join(cells)
    meetings.write_text("".join(lines), encoding="utf-8")
    return str(meetings.relative_to(project))


def _id_in_capitals(project: Path) -> str:
    """Line 3 of the first branch's meetings.csv gets its id in capitals; the path of that file.

    Only the tables' check sees this (the id's pattern): the row itself reads fine, so the guess made while the
    tables are checked exists and has no error. (An impossible date no longer gets that far: the ledger refuses
    to read a row it cannot read, so the guess is not made at all; see _impossible_date.)
    """
    meetings = sorted((project / "records").glob("*/*/meetings.csv"))[0]
    lines = meetings.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[2].split(",")
    cells[0] = cells[0].upper()
    assert cells[0] != cells[0].lower()
    lines[2] = ",".join(cells)
    meetings.write_text("".join(lines), encoding="utf-8")
    return str(meetings.relative_to(project))


def test_pages_rendered_beside_the_check_are_the_pages_of_a_step_by_step_build(project, monkeypatch):
    monkeypatch.setenv("ZHIBU_JOBS", "1")  # one process: check first, then render
    build_site(project, Path("site-one"), AS_OF)
    monkeypatch.setenv("ZHIBU_JOBS", "2")  # two processes check the tables while the pages are rendered
    check = start_check(project, as_of=AS_OF)
    try:
        assert check.run is not None and not check.run.errors  # the guess exists before the check ends
        assert check.confirm() is check.run  # clean tables: the guess is the answer
    finally:
        check.cancel()
    build_site(project, Path("site-two"), AS_OF)
    one, two = digest(project / "site-one"), digest(project / "site-two")
    assert len(one) > 40 and one == two


def test_a_table_error_found_while_rendering_keeps_the_old_site(project, monkeypatch):
    monkeypatch.setenv("ZHIBU_JOBS", "2")
    build_site(project, Path("site"), AS_OF)
    before = digest(project / "site")
    path = _id_in_capitals(project)

    check = start_check(project, as_of=AS_OF)
    try:  # only Frictionless sees the id's pattern: the guess has no error, the final run has
        assert check.run is not None and not check.run.errors
        final = check.confirm()
    finally:
        check.cancel()
    assert final is not check.run
    assert ("constraint-error", path, 3) in {(p.code, p.path, p.row) for p in final.errors}

    with pytest.raises(BuildRefused) as refused:
        build_site(project, Path("site"), AS_OF)
    assert path in refused.value.report and "constraint-error" in refused.value.report
    assert digest(project / "site") == before
    assert not [p.name for p in project.iterdir() if p.name.startswith(".site-")]


def test_the_final_run_is_the_step_by_step_run(project, monkeypatch):
    """With bad rows, the run is worked out again without them: problems and results equal one process's."""
    _impossible_date(project)
    answers = []
    for jobs in ("1", "2"):
        monkeypatch.setenv("ZHIBU_JOBS", jobs)
        check = start_check(project, as_of=AS_OF)
        try:
            answers.append(check.confirm())
        finally:
            check.cancel()
    one, two = answers
    assert one.errors and one.problems == two.problems
    assert one.results == two.results and len(one.results) > 100


def test_check_and_build_leave_the_garbage_collector_as_they_found_it(project, monkeypatch):
    """The collector is paused while records are made; a long process (mkdocs serve, tests) gets it back whole."""
    monkeypatch.setenv("ZHIBU_JOBS", "2")
    assert gc.isenabled()
    run_check(project, as_of=AS_OF)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    build_site(project, Path("site"), AS_OF)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    _impossible_date(project)
    with pytest.raises(BuildRefused):
        build_site(project, Path("site"), AS_OF)
    assert gc.isenabled() and gc.get_freeze_count() == 0


@pytest.mark.parametrize("case", CASES)
def test_every_broken_record_gets_the_step_by_step_answer(make_repo, monkeypatch, case):
    """Each broken fixture checked with the tables in two processes (the guess is made, then corrected)."""
    root, _ = broken_repo(make_repo, case)
    runs = []
    for jobs in ("1", "2"):
        monkeypatch.setenv("ZHIBU_JOBS", jobs)
        runs.append(run_check(root, as_of=BROKEN_AS_OF))
    one, two = runs
    assert one.problems and one.problems == two.problems
    assert one.results == two.results


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _as_from_a_terminal() -> None:
    """Start zhibu as a shell starts a foreground command: Ctrl-C neither ignored nor blocked.

    A child inherits an ignored or blocked SIGINT, and Python then never raises KeyboardInterrupt. A
    non-interactive shell starts background jobs with SIGINT and SIGQUIT ignored (POSIX): a test run
    started that way (`bash .ci/run &`) handed that on to zhibu, which ran to the end (exit 0).
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@pytest.mark.parametrize("delay", [0.0, 0.3])  # as the processes are born, and while they check
def test_ctrl_c_during_the_tables_check_stops_every_process_without_a_traceback(tmp_path, delay):
    generate(tmp_path / "records", seed=3, branches=60, as_of=AS_OF)  # about 90,000 rows: seconds of work
    project = copy_project(tmp_path / "repo", tmp_path / "records")
    zhibu = str(Path(sys.executable).parent / "zhibu")
    process = subprocess.Popen([zhibu, "--root", str(project), "check", "--as-of", str(AS_OF)],
                               env={**os.environ, "ZHIBU_JOBS": "2"}, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True,
                               preexec_fn=_as_from_a_terminal)
    deadline = time.monotonic() + 60
    while len(_children(process.pid)) < 2 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    workers = _children(process.pid)
    time.sleep(delay)
    assert len(workers) >= 2 and process.poll() is None, "the check ended before it could be interrupted"
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole foreground group
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    time.sleep(0.2)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()
                and "zombie" not in Path(f"/proc/{pid}/status").read_text()]
