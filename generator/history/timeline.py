"""History from Git for the site: when each branch's records last changed, and what changed since the last release."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from generator.history.changes import Change, describe_changes, overview, suppress_small
from generator.history.git import GitError, Repository
from generator.history.releasetags import SCHEME, Release, list_releases, previous_release, release_at_head


@dataclass(frozen=True)
class LastChange:
    date: dt.date  # committer date of the newest commit touching the folder
    author: str  # the contributor's name as Git records it (mailmap applied), never a member id
    commit: str  # short hash


@dataclass
class SiteHistory:
    """What the pages need from Git; empty outside a repository."""

    in_git: bool = False
    last: dict[str, LastChange] = field(default_factory=dict)  # branch folder -> last change
    release: Release | None = None  # the release being built, if any
    previous: Release | None = None  # the release compared with
    changes: list[Change] = field(default_factory=list)
    versioned: bool = False  # the site is one folder of a versions tree: earlier versions are ../<name>/
    previous_branches: frozenset[str] = frozenset()  # branch codes that have a page in the previous release
    min_cell_size: int = 0  # the organization's small-count threshold (development changes below it: no numbers)
    releases: list[Release] = field(default_factory=list)  # every release up to this one, newest first

    @property
    def overview(self) -> str | None:
        return overview(self.changes, self.min_cell_size)


def last_changes(root: Path, folders: list[str], ref: str = "HEAD") -> dict[str, LastChange]:
    """The newest commit touching each folder, found in one pass over the history of records/."""
    repo = Repository.find(root)
    if repo is None:
        return {}
    try:
        repo.resolve(ref)
    except GitError:
        return {}
    wanted = {f.rstrip("/") for f in folders}
    depth = {f.count("/") + 1 for f in wanted}
    tops = sorted({f.split("/")[0] for f in wanted})
    found: dict[str, LastChange] = {}
    if not wanted:
        return found
    # In a shallow clone the oldest fetched commit seems to add every file: it cannot say who changed what.
    shallow = repo.shallow()
    # --name-only lists the files of each commit after a NUL-led header line; stop reading once all are found.
    current: LastChange | None = None
    with repo.lines("log", ref, "--format=%x00%H %cs %aN", "--name-only", "--no-renames", "--", *tops) as lines:
        for line in lines:
            if line.startswith("\x00"):
                sha, date, author = (line[1:].split(" ", 2) + ["", ""])[:3]
                current = None if sha in shallow else LastChange(dt.date.fromisoformat(date), author.strip(), sha[:8])
                continue
            if not line or current is None:
                continue
            parts = line.split("/")
            for n in depth:
                folder = "/".join(parts[:n])
                if folder in wanted and folder not in found and len(parts) > n:
                    found[folder] = current
            if len(found) == len(wanted):
                break
    return found


def site_history(root: Path, folders: list[str], min_cell_size: int = 0, release: str | None = None,
                 pattern: str = SCHEME, versioned: bool = False) -> SiteHistory:
    """Last change per branch folder and the changes since the previous release.

    `release` names the release being built (without it a release tag at a clean HEAD counts as the one being
    built), `pattern` the tag names that count as releases; `versioned`: the site is one folder of a versions
    tree (see BuildOptions)."""
    last = last_changes(root, folders)
    try:
        releases = list_releases(root, pattern)
    except GitError:
        return SiteHistory(in_git=False, last=last)
    if release is not None:  # "" builds the working tree as unreleased even when HEAD carries a release tag
        current = next((r for r in releases if r.name == release), None)
    else:
        current = release_at_head(root, releases)
    previous = previous_release(root, releases, current)
    changes: list[Change] = []
    if previous is not None:
        changes = describe_changes(root, previous.commit, current.commit if current else None, previous.as_of)
        changes = suppress_small(changes, min_cell_size)
    shown = [r for r in reversed(releases) if current is None or r.name <= current.name]
    return SiteHistory(in_git=True, last=last, release=current, previous=previous, changes=changes,
                       min_cell_size=min_cell_size, releases=shown,
                       versioned=versioned,
                       previous_branches=_branch_codes(root, previous.commit) if previous else frozenset())


def _branch_codes(root: Path, commit: str) -> frozenset[str]:
    """Codes of the branch folders (records/<unit>/<branch>/branch.yaml) at a commit."""
    repo = Repository.find(root)
    if repo is None:
        return frozenset()
    try:
        units = [name for name, kind in repo.listing(commit, "records").items() if kind == "tree"]
        return frozenset(branch for unit in units
                         for branch, kind in repo.listing(commit, f"records/{unit}").items()
                         if kind == "tree" and repo.kind(commit, f"records/{unit}/{branch}/branch.yaml") == "blob")
    except GitError:
        return frozenset()
