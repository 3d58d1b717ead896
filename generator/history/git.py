"""Git access (GitPython): the commit a run is built from, its as-of date, and what changed since a ref."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
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
    everything: bool = False  # standards/, generator/ or organization.yaml changed: every branch is touched
    prefixes: list[str] = field(default_factory=list)  # records/<unit>/ or records/<unit>/<branch>/
    deleted: list[str] = field(default_factory=list)  # branch folders that no longer exist
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (old folder, new folder) of moved branches
    files: list[str] = field(default_factory=list)  # every path added, changed or deleted (repository-relative)


# A change under these touches every branch: the rules (standards/) or their implementation (generator/).
EVERYTHING = ("standards", "generator")


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
    """Branch folders touched between `ref` and the working tree (committed, staged or untracked).

    A unit.yaml change touches the unit's branches (the prefix records/<unit>/ selects them all); a branch
    folder that is gone is reported as renamed when its roster moved to another folder, else as deleted.
    """
    repo = _repo(root)
    if repo is None:
        raise GitError(f"{root} 不是 Git 仓库，无法使用 --since")
    try:
        repo.commit(ref)
        entries = _diff_entries(repo.git.diff("--raw", "-z", "-M", "--no-abbrev", ref, "--"))
        untracked = repo.untracked_files
    except (git.GitCommandError, git.BadName, ValueError) as exc:
        raise GitError(f"无法读取 {ref!r}：{getattr(exc, 'stderr', '') or exc}".strip()) from exc
    names = {path for entry in entries for path in entry[2:] if path} | set(untracked)
    out = Changes(files=sorted(names))
    for name in out.files:
        parts = name.split("/")
        if parts[0] in EVERYTHING or name == f"{records}/organization.yaml":
            out.everything = True
        elif parts[0] == records and len(parts) == 3:
            out.prefixes.append(f"{records}/{parts[1]}/")  # unit.yaml or a file directly in the unit
        elif parts[0] == records and len(parts) >= 4:
            out.prefixes.append(f"{records}/{parts[1]}/{parts[2]}/")
    out.prefixes = sorted(set(out.prefixes))
    out.renamed, out.deleted = _gone_folders(repo, records, entries, untracked, lambda f: (root / f).is_dir())
    return out


def branch_moves(root: Path, old_ref: str, new_ref: str | None = None,
                 records: str = "records") -> tuple[list[tuple[str, str]], list[str]]:
    """Branch folders gone between two refs (new_ref None: the working tree): (renamed old → new, deleted)."""
    repo = _repo(root)
    if repo is None:
        raise GitError(f"{root} 不是 Git 仓库")
    try:
        refs = [old_ref] if new_ref is None else [old_ref, new_ref]
        entries = _diff_entries(repo.git.diff("--raw", "-z", "-M", "--no-abbrev", *refs, "--"))
        tree = None if new_ref is None else repo.commit(new_ref).tree
        untracked = repo.untracked_files if new_ref is None else []
    except (git.GitCommandError, git.BadName, ValueError) as exc:
        raise GitError(f"无法读取 {old_ref!r} 或 {new_ref!r}：{getattr(exc, 'stderr', '') or exc}".strip()) from exc

    def exists(folder: str) -> bool:
        if tree is None:
            return (root / folder).is_dir()
        try:
            return (tree / folder).type == "tree"
        except KeyError:
            return False

    return _gone_folders(repo, records, entries, untracked, exists)


def _diff_entries(text: str) -> list[tuple[str, str, str, str | None]]:
    """Parse `git diff --raw -z`: (status letter, old blob, old path, new path or None)."""
    tokens = text.split("\0")
    out: list[tuple[str, str, str, str | None]] = []
    i = 0
    while i < len(tokens) and tokens[i].startswith(":"):
        meta = tokens[i].split()
        status, old_blob = meta[-1][0], meta[2]
        if status in "RC":
            out.append((status, old_blob, tokens[i + 1], tokens[i + 2]))
            i += 3
        else:
            out.append((status, old_blob, tokens[i + 1], None))
            i += 2
    return out


def _branch_folder(path: str | None, records: str) -> str | None:
    parts = (path or "").split("/")
    return "/".join(parts[:3]) if parts[0] == records and len(parts) >= 4 else None


def _gone_folders(repo: git.Repo, records: str, entries: list, untracked: list[str],
                  exists: Callable[[str], bool]) -> tuple[list[tuple[str, str]], list[str]]:
    """Sort branch folders that no longer exist into renamed (the roster went elsewhere) and deleted."""
    gone: dict[str, dict[str, str]] = {}  # folder -> file name -> old blob
    for status, blob, old, _new in entries:
        folder = _branch_folder(old, records)
        if status in "DR" and folder and not exists(folder):
            gone.setdefault(folder, {})[old.rsplit("/", 1)[1]] = blob
    renamed: list[tuple[str, str]] = []
    deleted: list[str] = []
    if not gone:
        return renamed, deleted
    # The roster identifies a branch (pseudonymous ids are never shared); branch.yaml when there is none.
    moved = {old: new for status, _blob, old, new in entries if status == "R"}
    untracked_blobs = _blobs(repo, [p for p in untracked if _branch_folder(p, records)
                                    and p.rsplit("/", 1)[1] in ("members.csv", "branch.yaml")])
    for folder, files in sorted(gone.items()):
        key = "members.csv" if "members.csv" in files else "branch.yaml"
        new = moved.get(f"{folder}/{key}") or untracked_blobs.get((key, files.get(key, "")))
        target = _branch_folder(new, records)
        if target and target != folder and exists(target):
            renamed.append((folder, target))
        else:
            deleted.append(folder)
    return renamed, deleted


def _blobs(repo: git.Repo, paths: list[str]) -> dict[tuple[str, str], str]:
    """(file name, blob hash) -> path for untracked files (nothing is written to the repository)."""
    found = {}
    for start in range(0, len(paths), 200):  # bounded command lines
        chunk = paths[start:start + 200]
        hashes = repo.git.hash_object("--", *chunk).split()
        found.update({(path.rsplit("/", 1)[1], blob): path for path, blob in zip(chunk, hashes, strict=True)})
    return found
