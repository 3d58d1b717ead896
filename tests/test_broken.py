"""Every broken fixture (tests/data/broken/<case>/) yields its problem, at the right place, with a Chinese message."""

from __future__ import annotations

import datetime as dt
import re
import resource
import shutil
import time
from pathlib import Path

import pytest
import yaml
from conftest import BROKEN, FULL_RECORDS, VALID_RECORDS

from generator.cli import main
from generator.pipeline import run_check
from generator.problems.catalogue import CATALOG, ERROR
from generator.records.textfile import MAX_BYTES

AS_OF = dt.date(2025, 3, 31)
BRANCH = "records/gongcheng/gongcheng-js1"
CASES = sorted(p.name for p in BROKEN.iterdir() if (p / "expected.yaml").is_file())
_HAN = re.compile(r"[\u4e00-\u9fff]")
_PERSONAL_VALUES = ("11010519491231002X", "13812345678", "zhangsan.1990@example.com")


def broken_repo(make_repo, case: str, records: Path = VALID_RECORDS) -> tuple[Path, dict]:
    """Copy the valid fixture, apply the case's overlay and deletions; return the root and expectations."""
    folder = BROKEN / case
    expected = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    root = make_repo(records)
    for rel in expected.get("delete") or []:
        (root / rel).unlink()
    for part in ("records", "standards"):  # a standards case replaces files of the real standards/
        overlay = folder / part
        if overlay.is_dir():
            shutil.copytree(overlay, root / part, dirs_exist_ok=True)
    return root, expected


# Problem codes without a fixture here, each with the reason and the test that produces it instead. Every
# other code of the catalogue must have a folder tests/data/broken/<code>[-suffix]/.
NO_FIXTURE = {
    "unsafe-path": "a symbolic link does not survive in a fixture folder: tests/test_safe_paths.py makes them",
    "missing-cell": "a row one cell short is csv-missing-trailing-comma (a fixture); a shorter row names each "
                    "missing cell, more than one problem: tests/test_diagnose.py",
    "codeowners-stale": "about .github/CODEOWNERS, which a records copy lacks: tests/test_codeowners.py",
    "branch-deleted": "only with --since against a Git ref: tests/test_since.py",
    "branch-renamed": "only with --since against a Git ref: tests/test_since.py",
    "branch-moved": "only with --since against a Git ref: tests/test_since.py",
    "more-problems": "needs more problems of one kind than a cap allows: tests/test_caps.py",
    "case-invalid": "about standards/cases/, which zhibu check does not read: tests/test_cases.py",
    "registry-unreadable": "about a federation registry, not records: tests/test_federate_registry.py",
    "registry-invalid": "about a federation registry, not records: tests/test_federate_registry.py",
    "registry-duplicate-code": "about a federation registry, not records: tests/test_federate_registry.py",
}


def test_every_problem_code_has_a_fixture_or_a_reason():
    codes = {yaml.safe_load((BROKEN / c / "expected.yaml").read_text(encoding="utf-8"))["code"] for c in CASES}
    assert set(NO_FIXTURE) <= set(CATALOG), set(NO_FIXTURE) - set(CATALOG)
    assert not codes & set(NO_FIXTURE), codes & set(NO_FIXTURE)  # a fixture came: drop the reason
    assert set(CATALOG) - set(NO_FIXTURE) <= codes, set(CATALOG) - set(NO_FIXTURE) - codes
    assert codes <= set(CATALOG), codes - set(CATALOG)


def test_fixture_folders_are_named_after_their_code():
    for case in CASES:  # the folder is named after its code, optionally with a suffix
        code = yaml.safe_load((BROKEN / case / "expected.yaml").read_text(encoding="utf-8"))["code"]
        assert case == code or case.startswith(code + "-")


def test_valid_fixture_passes(make_repo):
    run = run_check(make_repo(), as_of=AS_OF)
    assert run.problems == []


# The full fixture holds every optional table too (absences name meetings, appraisal counts the roster): one broken
# row of meetings.csv or members.csv must still be one problem, not also a count that fails with it. A reference
# to a row whose id could not be read is still named (its row is not read), and says to fix that file first.
@pytest.mark.parametrize("records", ["valid", "full"])
@pytest.mark.parametrize("case", CASES)
def test_broken_case(make_repo, case, records):
    root, expected = broken_repo(make_repo, case, FULL_RECORDS if records == "full" else VALID_RECORDS)
    run = run_check(root, as_of=AS_OF)
    waiting = [p for p in run.problems if p.code == "foreign-key" and "读不出编号的行" in p.message]
    found = [(p.code, p.path, p.row, p.field) for p in run.problems if p not in waiting]
    wanted = (expected["code"], expected["path"], expected["row"], expected["field"])
    assert wanted in found, f"{wanted} not in {found}"
    assert len(found) == 1, f"one broken thing should give one problem, got {found}"
    target = expected["path"].rsplit("/", 1)[1]
    assert all(f"请先改正 {target}" in p.message for p in waiting), waiting
    for problem in run.problems:
        assert problem.message and _HAN.search(problem.message), problem
        assert "{" not in problem.message, problem
    if expected["code"] == "personal-data":
        for problem in run.problems:
            for value in _PERSONAL_VALUES:
                assert value not in problem.message and value not in problem.message_en


@pytest.mark.parametrize("case", CASES)
def test_broken_case_cli(make_repo, capsys, case):
    root, expected = broken_repo(make_repo, case)
    code = main(["--root", str(root), "check", "--as-of", "2025-03-31"])
    captured = capsys.readouterr()
    assert code == (1 if CATALOG[expected["code"]][0] == ERROR else 0), captured.err  # warnings do not block
    assert f"[{expected['code']}]" in captured.out
    assert "Traceback" not in captured.err
    assert "错误：" not in captured.err  # the catch-all handler did not fire


def test_crlf_and_bom_are_accepted(make_repo):
    root = make_repo()
    for file in (root / BRANCH).glob("*.csv"):
        content = file.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        file.write_bytes(b"\xef\xbb\xbf" + content)
    for file in (root / "records").rglob("*.yaml"):
        file.write_bytes(b"\xef\xbb\xbf" + file.read_bytes().replace(b"\n", b"\r\n"))
    run = run_check(root, as_of=AS_OF)
    assert run.problems == []
    assert run.ledger.branches[0].meetings  # the rows were read, not skipped


def test_file_too_large(make_repo):
    root = make_repo()
    target = root / BRANCH / "meetings.csv"
    line = "2025-01-08-zwh,2025-01-08,支委会,研究年度工作计划研究年度工作计划研究年度工作计划,4,4,\n".encode()
    chunk = line * 1000
    with target.open("wb") as handle:
        handle.write(b"id,date,kind,topic,expected,present,group\n")
        while handle.tell() < 50 * 1024 * 1024:
            handle.write(chunk)
    assert target.stat().st_size > MAX_BYTES
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    start = time.monotonic()
    run = run_check(root, as_of=AS_OF)
    elapsed = time.monotonic() - start
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    found = [(p.code, p.path, p.row, p.field) for p in run.problems]
    assert ("file-too-large", f"{BRANCH}/meetings.csv", None, None) in found
    assert grown_mb < 200
    assert elapsed < 10
