"""Last change per branch folder, from a real Git history: one pass, newest commit wins, shallow clones honest."""

from __future__ import annotations

import datetime as dt

import git
from gitrepo import BRANCH, append, commit, init

from generator.history.timeline import LastChange, last_changes

OTHER = "records/gongcheng"  # unit folder: unit.yaml only


def test_newest_commit_touching_each_folder(make_repo):
    root = make_repo()
    repo = init(root)
    first = commit(repo, "first", "甲", "2025-03-01T10:00:00+08:00")
    append(root / BRANCH / "meetings.csv", "2025-03-20-zwh,2025-03-20,支委会,研究工作,4,4,")
    second = commit(repo, "second", "乙", "2025-03-20T10:00:00+08:00")
    append(root / OTHER / "unit.yaml", "# 备注")
    commit(repo, "third", "丙", "2025-03-25T23:30:00-05:00")  # outside the branch folder
    assert last_changes(root, [BRANCH, "records/gongcheng/missing"]) == {
        BRANCH: LastChange(dt.date(2025, 3, 20), "乙", second[:8])}
    assert last_changes(root, [BRANCH], ref=first) == {BRANCH: LastChange(dt.date(2025, 3, 1), "甲", first[:8])}


def test_shallow_clone_does_not_invent_an_author(make_repo, tmp_path):
    root = make_repo()
    repo = init(root)
    commit(repo, "first", "甲", "2025-03-01T10:00:00+08:00")
    append(root / BRANCH / "meetings.csv", "2025-03-20-zwh,2025-03-20,支委会,研究工作,4,4,")
    second = commit(repo, "second", "乙", "2025-03-20T10:00:00+08:00")
    append(root / OTHER / "unit.yaml", "# 备注")
    commit(repo, "third", "丙", "2025-03-25T10:00:00+08:00")
    for depth, expected in ((1, {}), (2, {}), (3, {BRANCH: LastChange(dt.date(2025, 3, 20), "乙", second[:8])})):
        clone = tmp_path / f"depth{depth}"
        git.Repo.clone_from(f"file://{root}", clone, depth=depth)
        assert last_changes(clone, [BRANCH]) == expected, depth


def test_outside_git_there_is_no_history(make_repo):
    assert last_changes(make_repo(), [BRANCH]) == {}
