"""Plausibility across files (issue 11, class 7): one member in two branches at once, meetings before founding.

Warnings (they do not block a merge), each naming the other place: the other branch's roster row, or the
founded_on line of branch.yaml.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from recordedits import BRANCH, SECOND, add_second_branch

from generator.pipeline import run_check

AS_OF = dt.date(2025, 3, 31)
HEADER = "id,category,group,admitted_on,full_on,joined_on,left_on,left_reason"


def _edit(file: Path, change) -> None:
    file.write_text(change(file.read_text(encoding="utf-8")), encoding="utf-8")


def _append(file: Path, line: str) -> int:
    """Append a row; return its line number as a person counts it."""
    text = file.read_text(encoding="utf-8").rstrip("\n") + "\n" + line + "\n"
    file.write_text(text, encoding="utf-8")
    return text.count("\n")


def _found(run, code: str) -> list[tuple[str, int | None, str | None]]:
    return [(p.path, p.row, p.field) for p in run.problems if p.code == code]


@pytest.fixture
def two(make_repo) -> Path:
    root = make_repo()
    add_second_branch(root)
    assert run_check(root, as_of=AS_OF).problems == []
    return root


# pa000003 is on line 4 of the first branch's members.csv: joined 2012-09-01, never left.
@pytest.mark.parametrize(("old_left", "new_joined", "overlap"), [
    ("", "2024-09-01", ("2024-09-01", "今")),  # moved without leaving the old branch
    ("2024-09-10,转出", "2024-09-01", ("2024-09-01", "2024-09-09")),  # arrived before leaving
    ("2024-09-01,转出", "2024-09-01", None),  # a clean transfer: left and joined the same day
    ("2024-08-31,转出", "2024-09-01", None),  # left the day before
    ("2020-01-01,转出", "2019-12-31", ("2019-12-31", "2019-12-31")),  # one day of overlap
])
def test_member_in_two_branches(two, old_left, new_joined, overlap):
    if old_left:
        _edit(two / BRANCH / "members.csv", lambda t: t.replace("2012-09-01,,", f"2012-09-01,{old_left}"))
    row = _append(two / SECOND / "members.csv", f"pa000003,教职工,g1,2010-06-01,2011-06-01,{new_joined},,")
    run = run_check(two, as_of=AS_OF)
    assert not run.errors, run.errors
    found = _found(run, "member-in-two-branches")
    if overlap is None:
        assert found == []
        return
    assert found == [(f"{SECOND}/members.csv", row, "joined_on")]  # once, where the later arrival is
    problem = next(p for p in run.problems if p.code == "member-in-two-branches")
    assert problem.severity == "warning" and problem.branch == "gongcheng-js2"
    assert f"{BRANCH}/members.csv 第 4 行" in problem.message and "gongcheng-js1" in problem.message
    assert f"从 {overlap[0]} 至 {overlap[1]}" in problem.message
    assert "pa000003" not in problem.message  # the row is named, not the id
    assert not run.errors


def test_member_in_three_branches_names_each_other_row(two):
    third = "records/gongcheng/gongcheng-js3"
    (two / third).mkdir()
    for file in (two / SECOND).iterdir():
        (two / third / file.name).write_text(file.read_text(encoding="utf-8").replace("gongcheng-js2", "gongcheng-js3")
                                             .replace("pc0000", "pe0000").replace("pd0000", "pf0000"), encoding="utf-8")
    second = _append(two / SECOND / "members.csv", "pa000001,教职工,g1,2005-06-01,2006-06-01,2023-01-01,,")
    third_row = _append(two / third / "members.csv", "pa000001,教职工,g1,2005-06-01,2006-06-01,2024-01-01,,")
    run = run_check(two, as_of=AS_OF)
    found = _found(run, "member-in-two-branches")
    assert sorted(found) == sorted([(f"{SECOND}/members.csv", second, "joined_on"),
                                    (f"{third}/members.csv", third_row, "joined_on"),
                                    (f"{third}/members.csv", third_row, "joined_on")])
    messages = [p.message for p in run.problems if p.code == "member-in-two-branches"]
    assert any(f"{BRANCH}/members.csv 第 2 行" in m for m in messages)
    assert any(f"{SECOND}/members.csv 第 {second} 行" in m for m in messages)


@pytest.mark.parametrize(("founded", "dates", "flagged"), [
    ("2025-01-16", ["2025-01-08", "2025-01-15", "2025-01-20"], ["2025-01-08", "2025-01-15"]),
    ("2025-01-08", ["2025-01-08"], []),  # the founding meeting itself
    ("2018-09-01", ["2017-06-20", "2018-08-31", "2018-09-01"], ["2017-06-20", "2018-08-31"]),
])
def test_meeting_before_founding(make_repo, founded, dates, flagged):
    root = make_repo()
    _edit(root / BRANCH / "branch.yaml", lambda t: t.replace("founded_on: 2018-09-01", f"founded_on: {founded}"))
    meetings = root / BRANCH / "meetings.csv"
    rows = {}
    for day in dates:
        if f",{day}," not in meetings.read_text(encoding="utf-8"):
            rows[day] = _append(meetings, f"{day}-zwh,{day},支委会,研究工作,4,4,")
    lines = meetings.read_text(encoding="utf-8").split("\n")
    where = {day: next(i + 1 for i, line in enumerate(lines) if f",{day}," in line) for day in dates}
    run = run_check(root, as_of=AS_OF)
    assert sorted(_found(run, "meeting-before-founding")) == sorted(
        (f"{BRANCH}/meetings.csv", where[day], "date") for day in flagged)
    for problem in (p for p in run.problems if p.code == "meeting-before-founding"):
        assert problem.severity == "warning"
        assert f"{BRANCH}/branch.yaml 第 4 行" in problem.message and founded in problem.message
    assert not run.errors


@pytest.mark.parametrize(("checked", "at", "names"), [
    (SECOND, SECOND, f"{BRANCH}/members.csv 第 4 行"),  # the arrival's branch: the old roster is read lightly
    (BRANCH, BRANCH, f"{SECOND}/members.csv 第 10 行"),  # the old branch: told at its own row, naming the new
])
def test_a_narrowed_check_still_sees_the_other_roster(two, checked, at, names):
    row = _append(two / SECOND / "members.csv", "pa000003,教职工,g1,2010-06-01,2011-06-01,2024-09-01,,")
    assert row == 10
    run = run_check(two, [checked], as_of=AS_OF)
    assert [b.code for b in run.ledger.branches] == [checked.rsplit("/", 1)[1]]
    problems = [p for p in run.problems if p.code == "member-in-two-branches"]
    assert [(p.path, p.row) for p in problems] == [(f"{at}/members.csv", row if at == SECOND else 4)]
    assert names in problems[0].message


def test_the_pull_request_check_since_a_commit_warns(two):
    from gitrepo import commit_all, run_git

    run_git(two, "init", "-q", "-b", "main")
    commit_all(two, "records")
    row = _append(two / SECOND / "members.csv", "pa000003,教职工,g1,2010-06-01,2011-06-01,2024-09-01,,")
    run_git(two, "commit", "-q", "-am", "transfer in, but the old branch not told")
    run = run_check(two, since="HEAD~1", as_of=AS_OF)
    assert [b.code for b in run.ledger.branches] == ["gongcheng-js2"]
    assert _found(run, "member-in-two-branches") == [(f"{SECOND}/members.csv", row, "joined_on")]


def test_a_narrowed_check_finds_the_other_roster_row_with_its_id_quoted(two):
    """The other rosters are picked by a scan of their bytes for the checked ids (rosters.py): a quoted cell counts."""
    _edit(two / BRANCH / "members.csv", lambda text: text.replace("\npa000003,", '\n"pa000003",', 1))
    row = _append(two / SECOND / "members.csv", "pa000003,教职工,g1,2010-06-01,2011-06-01,2024-09-01,,")
    run = run_check(two, [SECOND], as_of=AS_OF)
    problems = [p for p in run.problems if p.code == "member-in-two-branches"]
    assert [(p.path, p.row) for p in problems] == [(f"{SECOND}/members.csv", row)]
    assert f"{BRANCH}/members.csv 第 4 行" in problems[0].message
