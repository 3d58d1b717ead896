"""Edits of the valid fixture's records that several test modules make: one place each."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

BRANCH = "records/gongcheng/gongcheng-js1"
SECOND = "records/gongcheng/gongcheng-js2"


def add_second_branch(root: Path) -> None:
    """A copy of the fixture branch as gongcheng-js2, with its own member and applicant ids."""
    shutil.copytree(root / BRANCH, root / SECOND)
    for file in (root / SECOND).iterdir():
        text = file.read_text(encoding="utf-8")
        text = text.replace("gongcheng-js1", "gongcheng-js2").replace("pa0000", "pc0000").replace("pb0000", "pd0000")
        file.write_text(text, encoding="utf-8")


def set_cell(root: Path, table: str, line: int, column: str, value: str) -> None:
    """One cell of the fixture branch's table (line 1 is the header), the file rewritten as CSV."""
    path = root / BRANCH / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[line - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def write_exemption(root: Path, start: str, expires_on: str, approved_on: str) -> None:
    """exemptions.yaml of the fixture branch: MT-07 set aside over the summer, the dates written as given."""
    (root / BRANCH / "exemptions.yaml").write_text(
        f"exemptions:\n  - rule: MT-07\n    from: {start}\n    expires_on: {expires_on}\n"
        f"    reason: 暑假期间学生离校，经院党委批准暂停\n    approver: 工程学院党委\n    approved_on: {approved_on}\n",
        encoding="utf-8")


def with_also_kind(root: Path) -> tuple[Path, str]:
    """meetings.csv's text with the optional column also_kind added (every row left empty in it)."""
    meetings = root / BRANCH / "meetings.csv"
    text = meetings.read_text(encoding="utf-8").replace("group\n", "group,also_kind\n", 1)
    return meetings, "\n".join(line + "," if i and line else line for i, line in enumerate(text.split("\n")))
