"""Git access (GitPython): the commit a run is built from, its as-of date, and what changed since a ref."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import git


class GitError(Exception):
    """Git could not answer; carries Git's own message."""


@dataclass
class Provenance:
    commit: str  # full hash, or "" outside a repository
    commit_date: dt.date | None  # date of the latest commit touching records/ or standards/
    dirty: bool = False


@dataclass
class Changes:
    everything: bool = False  # standards/ or organization.yaml changed: every branch is touched
    prefixes: list[str] = field(default_factory=list)  # records/<unit>/ or records/<unit>/<branch>/
    deleted: list[str] = field(default_factory=list)  # branch folders that no longer exist


def _repo(root: Path) -> git.Repo | None:
    try:
        return git.Repo(root, search_parent_directories=False)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None


def provenance(root: Path, paths: tuple[str, ...] = ("records", "standards")) -> Provenance:
    """Commit and as-of date of the working tree; empty when not a Git repository or no commit yet."""
    repo = _repo(root)
    if repo is None:
        return Provenance(commit="", commit_date=None)
    try:
        head = repo.head.commit
    except ValueError:
        return Provenance(commit="", commit_date=None)
    latest = next(repo.iter_commits(paths=list(paths), max_count=1), head)
    dirty = repo.is_dirty(path="records") or repo.is_dirty(path="standards")
    return Provenance(commit=head.hexsha, commit_date=latest.committed_datetime.date(), dirty=dirty)


def changes_since(root: Path, ref: str, records: str = "records") -> Changes:
    """Branch folders touched between `ref` and the working tree (committed, staged or untracked)."""
    repo = _repo(root)
    if repo is None:
        raise GitError(f"{root} 不是 Git 仓库，无法使用 --since")
    try:
        repo.commit(ref)
        names = repo.git.diff("--name-only", "--no-renames", ref, "--").splitlines()
        deleted = repo.git.diff("--name-only", "--no-renames", "--diff-filter=D", ref, "--").splitlines()
    except (git.GitCommandError, git.BadName, ValueError) as exc:
        raise GitError(f"无法读取 {ref!r}：{getattr(exc, 'stderr', '') or exc}".strip()) from exc
    names += repo.untracked_files
    out = Changes()
    for name in sorted(set(names)):
        parts = name.split("/")
        if parts[0] == "standards" or name == f"{records}/organization.yaml":
            out.everything = True
        elif parts[0] == records and len(parts) == 3:
            out.prefixes.append(f"{records}/{parts[1]}/")  # unit.yaml or a file directly in the unit
        elif parts[0] == records and len(parts) >= 4:
            out.prefixes.append(f"{records}/{parts[1]}/{parts[2]}/")
    for name in deleted:
        parts = name.split("/")
        folder = "/".join(parts[:3])
        if parts[0] == records and len(parts) >= 4 and not (root / folder).exists() and folder not in out.deleted:
            out.deleted.append(folder)
    out.prefixes = sorted(set(out.prefixes))
    return out
