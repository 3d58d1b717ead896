"""`make releases-demo` without the site builds: the demo repository's tags, their records and their changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import git
import pytest

from generator.demo.releases import make_demo_repository
from generator.history.changes import describe_changes
from generator.history.git import Repository
from generator.history.releasetags import list_releases
from generator.pipeline import run_check

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow  # three checks of the 24-branch demo
def test_demo_repository_has_three_valid_releases_with_the_promised_changes(tmp_path):
    root = tmp_path / "demo"
    make_demo_repository(REPO, root)
    releases = list_releases(root)
    assert [(r.name, r.as_of, r.source) for r in releases] == [
        ("2026.04", dt.date(2026, 4, 30), "标签说明"), ("2026.08", dt.date(2026, 8, 31), "标签日期"),
        ("2026.11", dt.date(2026, 11, 20), "标签说明")]
    for release in releases:
        with Repository.open(root).worktree(release.commit) as tree:
            assert not run_check(tree, as_of=release.as_of).errors, release.name
    middle = describe_changes(root, "2026.04", "2026.08", dt.date(2026, 4, 30))
    assert any(c.kind == "members-full" and c.count >= 2 for c in middle)
    assert any(c.kind == "meetings-added" for c in middle)
    assert not [c for c in middle if c.amendment]
    last = describe_changes(root, "2026.08", "2026.11", dt.date(2026, 8, 31))
    assert "经济管理学院教工党支部：支部委员会换届（2026-10-15 选举）" in [c.text for c in last]
    assert [c.text for c in last if c.amendment] == [
        "机电工程学院教工第一党支部：补录 1 次已发布时段内的会议（党课 1 次；2026-06）",
        "机电工程学院教工第一党支部：更正 1 次已发布会议的记录（2026-07）"]
    authors = {c.author.name for c in git.Repo(root).iter_commits("main")}
    assert "jidian-zuzhi" in authors
