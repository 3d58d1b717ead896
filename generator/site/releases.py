"""Rebuild every released version of the site locally: one folder per release tag, `latest`, versions.json.

The layout is the one mike deploys and Material's version selector reads (`../versions.json`, newest first),
but it is written to a folder instead of a `gh-pages` branch: nothing is committed or pushed, and the same
folder can be uploaded as a GitHub Pages artifact. `latest` is a copy, not a symlink (Pages branch deploys
reject symlinks). Each release is built from its own tag, checked out in a temporary `git worktree`, as of
the release's as-of date, through the ordinary `zhibu build` path.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml
from mike.versions import Versions

from generator.history.git import GitError, Repository
from generator.history.releasetags import SAFE_NAME, SCHEME, Release, list_releases
from generator.options import BuildOptions
from generator.pipeline import site
from generator.site.audience import PUBLIC, publishes
from generator.site.write import BuildRefused, _swap

LATEST = "latest"
REDIRECT = """<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<title>正在跳转到最新版本</title>
<meta http-equiv="refresh" content="0; url={target}/">
<link rel="canonical" href="{target}/">
</head>
<body><p>正在跳转到<a href="{target}/">最新发布版本</a>。</p></body>
</html>
"""


@dataclass
class VersionsSite:
    out: Path
    releases: list[Release]  # oldest first
    head: str | None = None  # folder of the unreleased working tree, if built

    @property
    def latest(self) -> Release | None:
        return self.releases[-1] if self.releases else None


def audience_out(out: Path, audience: str) -> Path:
    """Where an audience's versions tree goes: the public one at `out` (what the Pages workflows upload), the
    Party one beside it as `<out>-party` (for a server with access control, never a public host)."""
    return out if audience == PUBLIC else out.with_name(f"{out.name}-{audience}")


def published_audiences(root: Path, records: str = "records") -> list[str]:
    """The audiences the organisation's 党务公开目录 (organization.yaml at the working tree) publishes a site for."""
    from generator.ledger.build import DISCLOSURE
    from generator.standards.catalogue import load_standards

    defaults = {name.removeprefix(DISCLOSURE): value for name, value in
                load_standards(root / "standards").setting_defaults().items() if name.startswith(DISCLOSURE)}
    try:
        given = yaml.safe_load((root / records / "organization.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        given = {}  # the check of each release reports it; the catalogue's defaults decide meanwhile
    chosen = given.get("disclosure") if isinstance(given, dict) else None
    return publishes({**defaults, **(chosen if isinstance(chosen, dict) else {})})


def build_releases(root: Path, out: Path, pattern: str = SCHEME, head: str | None = None,
                   audience: str = PUBLIC) -> VersionsSite:
    """Build all release tags into `out` for one audience (replaced in one step when every version built); `head`
    also builds the working tree, unreleased, as a version of that name (e.g. main: what has been merged since
    the last release)."""
    root = root.resolve()
    out = (root / out).resolve() if not out.is_absolute() else out
    releases = list_releases(root, pattern)
    if head is not None and (not SAFE_NAME.fullmatch(head) or head in {LATEST, *(r.name for r in releases)}):
        raise GitError(f"--head 的版本名 {head!r} 不可用：只能含字母、数字、点、横线和下划线，"
                       "且不能与发布标签或 latest 重名")
    if not releases and head is None:
        raise GitError("没有找到发布标签：发布标签的名称应为 YYYY.MM（如 2025.12）。请先打标签（git tag -a 2025.12），"
                       "或加 --head main 只生成当前记录；见 docs/releases.md")
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
    try:
        for release in releases:  # the changes pages compare with releases of the same pattern
            build_release(root, release, temp / release.name, pattern, audience)
            (temp / f".{release.name}.lock").unlink(missing_ok=True)  # build_site's swap lock: not for publishing
        if head is not None:
            site(root, temp / head,
                 BuildOptions(release="", versioned=head, release_pattern=pattern, audience=audience))
            (temp / f".{head}.lock").unlink(missing_ok=True)
        if releases:
            shutil.copytree(temp / releases[-1].name, temp / LATEST)
        (temp / "versions.json").write_text(versions_json(releases, head), encoding="utf-8")
        (temp / "index.html").write_text(REDIRECT.format(target=LATEST if releases else head), encoding="utf-8")
        for folder in (temp, *(p for p in temp.iterdir() if p.is_dir())):
            folder.chmod(0o755)  # temporary folders are created private; a published site is world-readable
        _swap(temp, out)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return VersionsSite(out, releases, head)


def build_release(root: Path, release: Release, target: Path, pattern: str = SCHEME, audience: str = PUBLIC) -> Path:
    """Build one release from its tag alone (a detached worktree of the tagged commit), for one audience."""
    options = BuildOptions(as_of=release.as_of, release=release.name, versioned=release.name, release_pattern=pattern,
                           audience=audience)
    with Repository.open(root).worktree(release.commit) as tree:
        try:
            return site(tree, target, options)
        except BuildRefused as exc:
            where = f"发布 {release.name}（提交 {release.commit[:12]}）"
            raise BuildRefused(f"{where}的记录有错误：\n{exc.report}") from None


def versions_json(releases: list[Release], head: str | None = None) -> str:
    """mike's versions.json: newest first, `latest` an alias of the newest release; `head` (unreleased) on top."""
    versions = Versions()
    for release in releases:
        versions.add(release.name, release.name, [LATEST] if release is releases[-1] else [])
    if head is not None:
        versions.add(head, f"{head}（未发布）", [])
    return versions.dumps() + "\n"

