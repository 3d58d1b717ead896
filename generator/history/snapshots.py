"""Read record files as they were at a Git ref (or as they are in the working tree), without checking out."""

from __future__ import annotations

from generator.history.git import Repository


class Snapshot:
    """The files of a repository at one commit, or in the working tree when `ref` is None."""

    def __init__(self, repo: Repository, ref: str | None) -> None:
        self.repo = repo
        self.root = repo.root
        self.commit = repo.resolve(ref) if ref is not None else None

    def read(self, path: str) -> bytes | None:
        """The bytes of a file (repository-relative, forward slashes), or None when it does not exist."""
        if self.commit is None:
            file = self.root / path
            return file.read_bytes() if file.is_file() else None
        return self.repo.read(self.commit, path)

    def exists(self, path: str) -> bool:
        if self.commit is None:
            return (self.root / path).exists()
        return self.repo.kind(self.commit, path) is not None


def changed_paths(repo: Repository, old: str, new: str | None) -> list[str]:
    """Files that differ between two refs (or between `old` and the working tree), renames as delete + add."""
    repo.resolve(old)
    if new is None:
        names = repo.run("diff", "--name-only", "--no-renames", old, "--").splitlines()
        names += repo.untracked()
    else:
        repo.resolve(new)
        names = repo.run("diff", "--name-only", "--no-renames", old, new, "--").splitlines()
    return sorted(set(names))
