"""Read record files as they were at a Git ref (or as they are in the working tree), without checking out."""

from __future__ import annotations

from pathlib import Path

import git

from generator.history.git import GitError


def open_repo(root: Path) -> git.Repo:
    try:
        return git.Repo(root, search_parent_directories=False)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise GitError(f"{root} 不是 Git 仓库") from exc


def resolve(repo: git.Repo, ref: str) -> git.Commit:
    """The commit a ref (branch, tag, sha, HEAD~1 …) points to; GitError with Git's words otherwise."""
    try:
        return repo.commit(ref)
    except (git.BadName, git.GitCommandError, ValueError) as exc:
        raise GitError(f"无法读取 Git 引用 {ref!r}：{getattr(exc, 'stderr', '') or exc}".strip()) from exc


class Snapshot:
    """The files of a repository at one commit, or in the working tree when `ref` is None."""

    def __init__(self, repo: git.Repo, ref: str | None) -> None:
        self.repo = repo
        self.root = Path(repo.working_tree_dir or ".")
        self.commit = resolve(repo, ref) if ref is not None else None

    def read(self, path: str) -> bytes | None:
        """The bytes of a file (repository-relative, forward slashes), or None when it does not exist."""
        if self.commit is None:
            file = self.root / path
            return file.read_bytes() if file.is_file() else None
        try:
            item = self.commit.tree / path
        except KeyError:
            return None
        return item.data_stream.read() if item.type == "blob" else None

    def exists(self, path: str) -> bool:
        if self.commit is None:
            return (self.root / path).exists()
        try:
            self.commit.tree / path
        except KeyError:
            return False
        return True


def changed_paths(repo: git.Repo, old: str, new: str | None) -> list[str]:
    """Files that differ between two refs (or between `old` and the working tree), renames as delete + add."""
    resolve(repo, old)
    try:
        if new is None:
            names = repo.git.diff("--name-only", "--no-renames", old, "--").splitlines()
            names += repo.untracked_files
        else:
            resolve(repo, new)
            names = repo.git.diff("--name-only", "--no-renames", old, new, "--").splitlines()
    except git.GitCommandError as exc:
        raise GitError(f"git diff 失败：{exc.stderr or exc}".strip()) from exc
    return sorted(set(names))
