"""Releases are Git tags named YYYY.MM (zero-padded, so name order is date order); each has an as-of date."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from generator.history.git import GitError, Repository, Tag

SCHEME = r"\d{4}\.(0[1-9]|1[0-2])"  # 2025.12; documented in docs/releases.md
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")  # a release name becomes a folder of the site
AS_OF = re.compile(r"^\s*as-of:\s*(\S+)\s*$", re.MULTILINE | re.IGNORECASE)
# 党务公开条例（试行）names a procedure before anything is published (proposal, review incl. confidentiality
# review, approval); the tag message records who reviewed and who approved, as organisation roles, e.g.
#   审核：组织委员    批准：党委
REVIEW = re.compile(r"^\s*(?:审核|review)\s*[:：]\s*(.+?)\s*$", re.MULTILINE | re.IGNORECASE)
APPROVAL = re.compile(r"^\s*(?:批准|approval|approved)\s*[:：]\s*(.+?)\s*$", re.MULTILINE | re.IGNORECASE)


@dataclass(frozen=True)
class Release:
    name: str  # the tag, e.g. 2025.12
    commit: str  # full hash of the tagged commit
    as_of: dt.date  # the date the release is built as of
    source: str  # where as_of came from: 标签说明 | 标签日期 | 提交日期
    review: str = ""  # who reviewed it (审核：…), an organisation role; "" when the tag message does not say
    approval: str = ""  # who approved it (批准：…), an organisation role


def list_releases(root: Path, pattern: str = SCHEME) -> list[Release]:
    """Release tags matching the pattern (whole name), oldest first; GitError if a tag's as-of is malformed."""
    matcher = re.compile(pattern)
    out = []
    for tag in Repository.open(root).tags():
        if not matcher.fullmatch(tag.name) or not SAFE_NAME.fullmatch(tag.name) or tag.name == "latest":
            continue  # a custom --ref-pattern must not turn "a/b" or "latest" into a version folder
        if tag.commit is None:
            continue  # a tag of something that is not a commit
        out.append(Release(tag.name, tag.commit, *_as_of(tag), *_procedure(tag.message or "")))
    return sorted(out, key=lambda r: r.name)


def _procedure(message: str) -> tuple[str, str]:
    """The review and approval a release's tag message records (roles, e.g. 组织委员 and 党委)."""
    review, approval = REVIEW.search(message), APPROVAL.search(message)
    return (review.group(1) if review else ""), (approval.group(1) if approval else "")


def _as_of(tag: Tag) -> tuple[dt.date, str]:
    if tag.message is not None:  # an annotated tag
        found = AS_OF.search(tag.message)
        if found:
            try:
                return dt.date.fromisoformat(found.group(1)), "标签说明"
            except ValueError as exc:
                raise GitError(f"发布标签 {tag.name} 的说明中 as-of 日期无效：{found.group(1)}（应为 YYYY-MM-DD，"
                               "如 as-of: 2025-12-31）。请用 git tag -f -a 重写该标签的说明") from exc
    if tag.tagged is not None:
        return tag.tagged, "标签日期"
    assert tag.committed is not None  # set whenever the tag points at a commit
    return tag.committed, "提交日期"


def release_at_head(root: Path, releases: list[Release]) -> Release | None:
    """The newest release whose tag points at HEAD, when the records in the working tree are unchanged."""
    repo = Repository.open(root)
    head = repo.head()
    if head is None or repo.is_dirty("records", "standards"):
        return None
    return next((r for r in reversed(releases) if r.commit == head), None)


def previous_release(root: Path, releases: list[Release], current: Release | None) -> Release | None:
    """For a release: the one before it by name. Otherwise: the newest release contained in HEAD's history."""
    if current is not None:
        earlier = [r for r in releases if r.name < current.name]
        return earlier[-1] if earlier else None
    repo = Repository.open(root)
    return next((r for r in reversed(releases) if repo.is_ancestor(r.commit, "HEAD")), None)
