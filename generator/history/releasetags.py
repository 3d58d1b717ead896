"""Releases are Git tags named YYYY.MM (zero-padded, so name order is date order); each has an as-of date."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import git

from generator.history.git import GitError
from generator.history.snapshots import open_repo

SCHEME = r"\d{4}\.(0[1-9]|1[0-2])"  # 2025.12; documented in docs/releases.md
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")  # a release name becomes a folder of the site
AS_OF = re.compile(r"^\s*as-of:\s*(\S+)\s*$", re.MULTILINE | re.IGNORECASE)


@dataclass(frozen=True)
class Release:
    name: str  # the tag, e.g. 2025.12
    commit: str  # full hash of the tagged commit
    as_of: dt.date  # the date the release is built as of
    source: str  # where as_of came from: 标签说明 | 标签日期 | 提交日期


def list_releases(root: Path, pattern: str = SCHEME) -> list[Release]:
    """Release tags matching the pattern (whole name), oldest first; GitError if a tag's as-of is malformed."""
    repo = open_repo(root)
    matcher = re.compile(pattern)
    out = []
    for ref in repo.tags:
        if not matcher.fullmatch(ref.name) or not SAFE_NAME.fullmatch(ref.name) or ref.name == "latest":
            continue  # a custom --ref-pattern must not turn "a/b" or "latest" into a version folder
        try:
            commit = ref.commit
        except (ValueError, git.BadName):
            continue  # a tag of something that is not a commit
        out.append(Release(ref.name, commit.hexsha, *_as_of(ref, commit)))
    return sorted(out, key=lambda r: r.name)


def _as_of(ref: git.TagReference, commit: git.Commit) -> tuple[dt.date, str]:
    tag = ref.tag  # None for a lightweight tag
    if tag is not None:
        found = AS_OF.search(tag.message or "")
        if found:
            try:
                return dt.date.fromisoformat(found.group(1)), "标签说明"
            except ValueError as exc:
                raise GitError(f"发布标签 {ref.name} 的说明中 as-of 日期无效：{found.group(1)}"
                               "（应为 YYYY-MM-DD）") from exc
        offset = dt.timezone(dt.timedelta(seconds=-tag.tagger_tz_offset))
        return dt.datetime.fromtimestamp(tag.tagged_date, offset).date(), "标签日期"
    return commit.committed_datetime.date(), "提交日期"


def release_at_head(root: Path, releases: list[Release]) -> Release | None:
    """The newest release whose tag points at HEAD, when the records in the working tree are unchanged."""
    repo = open_repo(root)
    try:
        head = repo.head.commit.hexsha
    except ValueError:
        return None
    if repo.is_dirty(path="records") or repo.is_dirty(path="standards"):
        return None
    return next((r for r in reversed(releases) if r.commit == head), None)


def previous_release(root: Path, releases: list[Release], current: Release | None) -> Release | None:
    """For a release: the one before it by name. Otherwise: the newest release contained in HEAD's history."""
    if current is not None:
        earlier = [r for r in releases if r.name < current.name]
        return earlier[-1] if earlier else None
    repo = open_repo(root)
    for release in reversed(releases):
        try:
            if repo.is_ancestor(release.commit, "HEAD"):  # type: ignore[arg-type]  # stub says Commit; any revision works
                return release
        except git.GitCommandError:
            continue
    return None
