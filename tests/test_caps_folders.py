"""Issue 11 class 3: problems about a file or folder as a whole are capped per folder that lists them.

A stray file, a stray folder, a name that is no code or that holds personal data: each such problem's path
is the offender itself, so a per-file cap never bites. At most caps.PER_KIND of one kind are listed per
folder; the rest are counted in one `more-problems` on the folder ("本文件夹另有 N 处同类问题"), in the text,
JSON and GitHub outputs and the job summary, and the check still fails.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cli import main
from generator.pipeline import run_check
from generator.problems.caps import PER_KIND

UNIT = "records/gongcheng"
BRANCH = f"{UNIT}/gongcheng-js1"
PHONE = 13900000000  # + i: a mobile number in each file name, never shown in full


def _stray_files(root: Path) -> None:
    for i in range(3000):
        (root / BRANCH / f"扫描件{i:04d}.jpg").write_bytes(b"x")


def _stray_folders(root: Path) -> None:
    for i in range(500):
        (root / BRANCH / f"照片{i:03d}").mkdir()


def _phone_names(root: Path) -> None:
    for i in range(300):
        (root / BRANCH / f"张{PHONE + i}.csv").write_text("a\n", encoding="utf-8")


def _invalid_codes(root: Path) -> None:  # folders in a unit folder whose names are no code
    for i in range(60):
        (root / UNIT / f"Branch_{i:02d}").mkdir()


def _empty_branches(root: Path) -> None:  # issue 11: 1,000 empty branch folders gave 3,000 problems
    for i in range(1000):
        (root / UNIT / f"kong-{i:04d}").mkdir()


def _empty_units(root: Path) -> None:  # with .gitkeep, as Git keeps an empty folder
    for i in range(60):
        (root / "records" / f"danwei-{i:02d}").mkdir()
        (root / "records" / f"danwei-{i:02d}" / ".gitkeep").write_bytes(b"")


def _branches_without_branch_yaml(root: Path) -> None:  # each started with an empty roster only
    for i in range(1000):
        (root / UNIT / f"xin-{i:04d}").mkdir()
        (root / UNIT / f"xin-{i:04d}" / "members.csv").write_text(
            "id,category,group,admitted_on,full_on,joined_on,left_on,left_reason\n", encoding="utf-8")


# name -> (writer, folder capped, code, how many)
CASES: dict[str, tuple[Callable[[Path], None], str, str, int]] = {
    "3,000 stray files": (_stray_files, BRANCH, "stray-file", 3000),
    "500 stray folders": (_stray_folders, BRANCH, "stray-folder", 500),
    "300 file names holding a phone number": (_phone_names, BRANCH, "personal-data", 300),
    "60 folder names that are no code": (_invalid_codes, UNIT, "invalid-code", 60),
    "1,000 empty branch folders": (_empty_branches, UNIT, "empty-folder", 1000),
    "60 empty unit folders": (_empty_units, "records", "empty-folder", 60),
    "1,000 branch folders without branch.yaml": (_branches_without_branch_yaml, UNIT, "branch-yaml-missing", 1000),
}


def _in_folder(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder + "/")


@pytest.mark.parametrize("case", list(CASES))
def test_offending_names_are_capped_per_folder_and_counted(make_repo, capsys, monkeypatch, tmp_path, case):
    write, folder, code, total = CASES[case]
    root = make_repo()
    write(root)
    run = run_check(root)
    listed = [p for p in run.problems if p.code == code and _in_folder(p.path, folder)]
    more = [p for p in run.problems if p.code == "more-problems" and p.path == folder and f"（{code}）" in p.message]
    assert len(listed) == PER_KIND, len(listed)
    hidden = f"{total - PER_KIND:,}"
    assert len(more) == 1 and f"本文件夹另有 {hidden} 处同类问题（{code}）" in more[0].message, more
    assert more[0].severity == "error" and more[0].row is None
    assert len(run.problems) < 60, [(p.code, p.path) for p in run.problems]

    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert main(["--root", str(root), "check"]) == 1
    text = capsys.readouterr().out
    assert f"本文件夹另有 {hidden} 处同类问题" in text
    assert main(["--root", str(root), "check", "--format", "json"]) == 1
    out = capsys.readouterr().out
    problems = json.loads(out)["problems"]
    assert [p["code"] for p in problems].count(code) == PER_KIND
    assert any(p["code"] == "more-problems" and p["path"] == folder and f"本文件夹另有 {hidden} 处" in p["message"]
               for p in problems)
    assert len(out.encode()) < 40_000, len(out.encode())
    assert main(["--root", str(root), "check", "--format", "github"]) == 1
    annotations = [line for line in capsys.readouterr().out.splitlines() if line.startswith("::")]
    assert len([a for a in annotations if f"title={code}" in a]) <= PER_KIND
    assert any(f"file={folder},title=more-problems" in a and f"本文件夹另有 {hidden} 处" in a for a in annotations)
    assert f"本文件夹另有 {hidden} 处同类问题" in summary.read_text(encoding="utf-8")
    assert main(["--root", str(root), "check", "--lang", "en"]) == 1
    assert f"Not listed: {hidden} more problems of this kind ({code}) in this folder." in capsys.readouterr().out


def test_phone_numbers_in_names_stay_masked_when_counted(make_repo, capsys, monkeypatch, tmp_path):
    root = make_repo()
    _phone_names(root)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    outputs = []
    for args in (["--format", "text"], ["--format", "json"], ["--format", "github"], ["--lang", "en"]):
        assert main(["--root", str(root), "check", *args]) == 1
        outputs.append(capsys.readouterr().out)
    outputs.append(summary.read_text(encoding="utf-8"))
    for out in outputs:
        digits = re.sub(r"[^0-9]", "", out)
        assert not any(str(PHONE + i) in digits for i in range(300))
    assert "本文件夹另有 280 处同类问题（personal-data）" in outputs[0]


def test_a_few_offenders_are_all_listed_and_files_keep_their_own_count(make_repo):
    """Up to the cap nothing is folded; the per-folder cap does not fold problems inside files."""
    root = make_repo()
    for i in range(PER_KIND):
        (root / BRANCH / f"扫描件{i}.jpg").write_bytes(b"x")
    meetings = root / BRANCH / "meetings.csv"
    head = meetings.read_text(encoding="utf-8").splitlines()[0]
    meetings.write_text(head + "\n" + "".join(f"m{i},2025-01-08,座谈,t,4,4,\n" for i in range(30)), encoding="utf-8")
    run = run_check(root)
    assert sum(p.code == "stray-file" for p in run.problems) == PER_KIND
    more = [p for p in run.problems if p.code == "more-problems"]
    assert [(p.path, "本文件另有 10 处同类问题（meeting-kind-unknown）" in p.message) for p in more] == [
        (f"{BRANCH}/meetings.csv", True)]


@pytest.mark.parametrize(("folder", "files", "level"), [
    (f"{UNIT}/kong", [], "支部"), (f"{UNIT}/kong", [".gitkeep"], "支部"), ("records/kong", [], "单位"),
    ("records/kong", [".gitkeep"], "单位"),
])
def test_an_empty_folder_is_one_problem_on_the_folder(make_repo, capsys, folder, files, level):
    root = make_repo()
    (root / folder).mkdir()
    for name in files:
        (root / folder / name).write_bytes(b"")
    run = run_check(root)
    assert [(p.code, p.path, p.row) for p in run.problems] == [("empty-folder", folder, None)]
    assert f"{level}文件夹“kong”是空的" in run.problems[0].message
    assert main(["--root", str(root), "check"]) == 1
    assert f"{folder}\n  整个文件夹  错误 [empty-folder]" in capsys.readouterr().out


def test_a_folder_with_one_file_is_not_empty(make_repo):
    """A started branch is told what it still lacks, file by file."""
    root = make_repo()
    (root / UNIT / "kong").mkdir()
    (root / UNIT / "kong" / "members.csv").write_text((root / BRANCH / "members.csv").read_text(encoding="utf-8"),
                                                      encoding="utf-8")
    run = run_check(root)
    assert "empty-folder" not in {p.code for p in run.problems}
    assert {(p.code, p.path) for p in run.problems} >= {("branch-yaml-missing", f"{UNIT}/kong/branch.yaml"),
                                                        ("missing-file", f"{UNIT}/kong/meetings.csv")}
