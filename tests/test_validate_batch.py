"""Merged validation (one Frictionless resource per table kind) gives per-file answers, in any number of processes."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from conftest import REPO

from generator.demo.college import generate
from generator.records.load import load
from generator.standards.catalogue import load_standards
from generator.validation.validate import validate


def _demo(tmp_path: Path, branches: int) -> Path:
    root = tmp_path / "repo"
    generate(root / "records", seed=11, branches=branches, as_of=dt.date(2025, 6, 30))
    shutil.copytree(REPO / "standards", root / "standards")
    return root


def _rewrite(path: Path, edit) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    edit(lines)
    path.write_text("".join(lines), encoding="utf-8")


def _faults(root: Path) -> dict[str, set[tuple[str, int]]]:
    """Put one fault in each of three branches; return (code, line) expected per file."""
    branches = sorted(p.parent for p in (root / "records").glob("*/*/branch.yaml"))
    first, second, third = branches[0], branches[len(branches) // 2], branches[-1]
    expected: dict[str, set[tuple[str, int]]] = {}

    def meeting_date(lines):  # line 3 of meetings.csv: an impossible date
        cells = lines[2].split(",")
        cells[1] = "2025-02-30"
        lines[2] = ",".join(cells)

    _rewrite(first / "meetings.csv", meeting_date)
    expected[str((first / "meetings.csv").relative_to(root))] = {("type-error", 3)}

    def duplicate_meeting(lines):  # the row of line 2 repeated at the end: same id
        lines.append(lines[1] if lines[-1].endswith("\n") else "\n" + lines[1])

    meetings = second / "meetings.csv"
    count = len(meetings.read_text(encoding="utf-8").splitlines())
    _rewrite(meetings, duplicate_meeting)
    expected[str(meetings.relative_to(root))] = {("primary-key", count + 1)}

    def unknown_member(lines):  # dues row for a member id that is not in this branch's roster
        cells = lines[1].split(",")
        cells[1] = "pzzzzzzz"
        lines[1] = ",".join(cells)

    _rewrite(third / "dues.csv", unknown_member)
    expected[str((third / "dues.csv").relative_to(root))] = {("foreign-key", 2)}
    return expected


def _found(problems, paths) -> dict[str, set[tuple[str, int]]]:
    out: dict[str, set[tuple[str, int]]] = {path: set() for path in paths}
    for p in problems:
        if p.path in out:
            out[p.path].add((p.code, p.row))
    return out


def test_faults_found_on_their_lines_in_one_and_in_several_processes(tmp_path):
    root = _demo(tmp_path, branches=6)
    expected = _faults(root)
    standards = load_standards(root / "standards")
    raw = load(root, "records", None)
    single = validate(raw, standards, jobs=1)
    assert _found(single.problems, expected) == expected
    for jobs in (2, 3):
        parallel = validate(raw, standards, jobs=jobs)
        ordered = sorted(parallel.problems, key=lambda p: p.sort_key())
        assert ordered == sorted(single.problems, key=lambda p: p.sort_key())
        assert parallel.bad_rows == single.bad_rows


def test_batches_of_a_few_branches_give_the_answer_of_one_batch(tmp_path, monkeypatch):
    """A process checks its branches a batch at a time (their rows are held only meanwhile): the same problems
    and bad rows as one batch of all, from tables loaded as a check loads them (rows let go and read again)."""
    from generator.validation import parallel

    root = _demo(tmp_path, branches=6)
    expected = _faults(root)
    standards = load_standards(root / "standards")
    whole = validate(load(root, "records", None), standards, jobs=1)
    monkeypatch.setattr(parallel, "BATCH_BRANCHES", 2)
    raw = load(root, "records", None, releasable=True)
    batched = validate(raw, standards, jobs=1)
    assert _found(batched.problems, expected) == expected
    assert batched.problems == whole.problems and batched.bad_rows == whole.bad_rows
    assert all(table.packed and table.count for files in raw.branches for table in files.tables.values())


def _errors(root: Path):
    raw = load(root, "records", None)
    return [p for p in validate(raw, load_standards(root / "standards"), jobs=1).problems if p.severity == "error"]


def test_member_ids_are_keys_within_a_branch_only(tmp_path):
    """The same member id in two branches (a transfer) is no duplicate; dues cannot point to another branch's roster."""
    root = _demo(tmp_path, branches=2)
    one, two = sorted(p.parent for p in (root / "records").glob("*/*/branch.yaml"))
    shared = (one / "members.csv").read_text(encoding="utf-8").splitlines()[1]
    _rewrite(two / "members.csv", lambda lines: lines.append(shared + "\n"))
    assert not [p for p in _errors(root) if p.code == "primary-key"]

    elsewhere = (two / "members.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[0]
    assert elsewhere not in (one / "members.csv").read_text(encoding="utf-8")

    def borrow(lines):
        cells = lines[1].split(",")
        cells[1] = elsewhere
        lines[1] = ",".join(cells)

    _rewrite(one / "dues.csv", borrow)
    dues = str((one / "dues.csv").relative_to(root))
    assert ("foreign-key", dues, 2) in {(p.code, p.path, p.row) for p in _errors(root)}
