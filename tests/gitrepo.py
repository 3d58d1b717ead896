"""Real temporary Git repositories for history, changes and release tests: commits and tags with fixed dates."""

from __future__ import annotations

import subprocess
from pathlib import Path

import git

BRANCH = "records/gongcheng/gongcheng-js1"
TEST_USER = ["-c", "user.name=测试", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"]


def run_git(root: Path, *args: str) -> str:
    """`git ARGS` in root as the test user (never signing); its output without the last newline."""
    done = subprocess.run(["git", *TEST_USER, *args], cwd=root, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def commit_all(root: Path, message: str) -> str:
    """Commit everything in the working tree as the test user; the new commit's hash."""
    run_git(root, "add", "-A")
    run_git(root, "commit", "-q", "-m", message)
    return run_git(root, "rev-parse", "HEAD")


def commit_isolated(root: Path, message: str, date: str, author: str = "t", paths: tuple[str, ...] = (".",)) -> str:
    """Commit `paths` at `date` (ISO date-time) as `author`, with no system or personal Git configuration."""
    env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "PATH": "/usr/bin:/bin", "HOME": str(root),
           "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "add", "-A", *paths], cwd=root, check=True, env=env, capture_output=True)
    subprocess.run(["git", "-c", f"user.name={author}", "-c", "user.email=t@example.invalid", "commit", "-q", "-m",
                    message], cwd=root, check=True, env=env, capture_output=True)
    return run_git(root, "rev-parse", "HEAD")


def init(root: Path) -> git.Repo:
    repo = git.Repo.init(root, initial_branch="main")
    with repo.config_writer() as config:
        config.set_value("gc", "auto", "0")
        config.set_value("commit", "gpgsign", "false")
        config.set_value("tag", "gpgsign", "false")
        config.set_value("user", "name", "测试")
        config.set_value("user", "email", "test@example.org")
    return repo


def commit(repo: git.Repo, message: str, author: str, when: str) -> str:
    """Commit everything in the working tree as `author` at `when` (ISO date-time with offset)."""
    repo.git.add("--all")
    with repo.git.custom_environment(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when, GIT_COMMITTER_NAME=author,
                                     GIT_COMMITTER_EMAIL="c@example.org"):
        repo.git.commit("-q", "--allow-empty", "-m", message, f"--author={author} <a@example.org>")
    return repo.head.commit.hexsha


def tag(repo: git.Repo, name: str, when: str, message: str | None) -> None:
    """An annotated tag dated `when` (tagger date), or a lightweight tag when message is None."""
    with repo.git.custom_environment(GIT_COMMITTER_DATE=when):
        if message is None:
            repo.git.tag(name)
        else:
            repo.git.tag("-a", name, "-m", message)


def append(path: Path, *lines: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        for line in lines:
            handle.write(line + "\n")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} not found once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def second_release_edits(root: Path) -> None:
    """The edits between the two releases of the tests, each with a known plain-language description.

    Ordinary: two April meetings, one member becomes full, the committee is re-elected.
    Amendments to March and earlier (published by the first release, as of 2025-03-31): a March party
    lecture recorded late, and a January attendance figure corrected.
    """
    folder = root / BRANCH
    append(folder / "meetings.csv", "2025-04-08-zwh,2025-04-08,支委会,研究第二季度工作,4,4,",
           "2025-04-15-ztdr,2025-04-15,主题党日,清明祭扫,9,9,", "2025-03-28-dk2,2025-03-28,党课,补录的专题党课,9,8,")
    replace(folder / "meetings.csv", "2025-01-15-ztdr,2025-01-15,主题党日,学习党的二十届三中全会精神,8,8,",
            "2025-01-15-ztdr,2025-01-15,主题党日,学习党的二十届三中全会精神,8,7,")
    replace(folder / "members.csv", "pa000009,教职工,g1,2024-04-10,,2024-04-10,,",
            "pa000009,教职工,g1,2024-04-10,2025-04-10,2024-04-10,,")
    replace(folder / "branch.yaml", "elected_on: 2024-05-10", "elected_on: 2025-04-20")


def first_release_records(root: Path) -> None:
    """The valid fixture plus a probationary member admitted 2024-04-10 (becomes full in the second release)."""
    append(root / BRANCH / "members.csv", "pa000009,教职工,g1,2024-04-10,,2024-04-10,,")


def first_release_committed(root: Path) -> tuple[git.Repo, str]:
    """first_release_records committed on main by 甲 on 2025-03-31: the repository and the commit's hash."""
    first_release_records(root)
    repo = init(root)
    return repo, commit(repo, "first", "甲", "2025-03-31T18:00:00+08:00")
