"""`zhibu deploy SITE DEST`: publish a build to any static web server atomically, with rsync alone.

The destination holds `releases/<id>/` (one folder per upload) and `current`, a symbolic link to one of
them; the web server's root is `DEST/current` (README: 在校园部署). A deploy

1. uploads the build into a new `releases/<id>/` (files whose content is unchanged since the previous
   release are hard links to it: --link-dest with --checksum, so an upload costs what changed);
2. only when that upload is complete, replaces `current` with a link to it: rsync writes a new link under a
   temporary name and renames it over the old one (its atomic_create), one rename(2) on the server, so a
   reader resolves either the old release or the new one, never a missing or half-written site;
3. removes the oldest releases beyond the last N (never the one `current` names).

The same three rsync calls work for a folder on this machine and for `user@host:/path` over SSH: nothing
is run on the server but rsync itself.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.records.repository import UsageError

RELEASE = re.compile(r"^\d{8}-\d{6}-\d{6}$")  # 20261126-151012-123456: sorts as it was made
_LIST_LINE = re.compile(r"^(?P<mode>\S+)\s+[\d,.]+\s+\S+\s+\S+\s+(?P<name>.+)$")


class DeployFailed(Exception):
    """An rsync step failed; the site that was being served is still served."""


@dataclass(frozen=True)
class Deployed:
    release: str
    removed: list[str]
    kept: list[str]


def _rsync(*args: str) -> subprocess.CompletedProcess:
    program = shutil.which("rsync")
    if program is None:
        raise UsageError("找不到 rsync 程序。请先安装（Debian/Ubuntu：apt-get install rsync），服务器上也需要安装。")
    return subprocess.run([program, *args], capture_output=True, text=True, env={**os.environ, "LC_ALL": "C"})


def _failed(step: str, done: subprocess.CompletedProcess) -> DeployFailed:
    detail = " ".join(done.stderr.strip().splitlines()[-3:]) or f"exit {done.returncode}"
    return DeployFailed(f"{step}失败（rsync：{detail}）。网站仍是上一次发布的版本，没有改动。")


def _listing(target: str) -> dict[str, str]:
    """name -> mode string (d…, l…, -…) of the entries of a folder, here or remote; {} when it is missing."""
    done = _rsync("--list-only", "--links", target.rstrip("/") + "/")
    if done.returncode != 0:
        return {}
    entries = {}
    for line in done.stdout.splitlines():
        match = _LIST_LINE.match(line)
        if match and match["name"] != ".":
            entries[match["name"]] = match["mode"]
    return entries


def current_release(dest: str) -> str | None:
    """The release `current` names (from `current -> releases/<id>` in rsync's listing)."""
    for name, _ in _listing(dest).items():
        if name.startswith("current -> "):
            target = name.split(" -> ", 1)[1].rstrip("/")
            return target.removeprefix("releases/") if target.startswith("releases/") else None
    return None


def releases(dest: str) -> list[str]:
    """The release folders at the destination, oldest first."""
    return sorted(n for n, mode in _listing(dest.rstrip("/") + "/releases").items() if mode.startswith("d")
                  and RELEASE.match(n))


def _check_destination(dest: str) -> None:
    entries = _listing(dest)
    current = next((mode for name, mode in entries.items() if name == "current" or name.startswith("current ->")),
                   None)
    if current is not None and not current.startswith("l"):
        raise UsageError(f"{dest}/current 已存在但不是符号链接（大概是以前手工上传的网站）。请先把它改名或移走，"
                         "再发布；之后网站根目录应指向 current。")


def deploy(site: Path, dest: str, keep: int, now: dt.datetime | None = None) -> Deployed:
    """Upload, switch, prune (module docstring). Raises DeployFailed with rsync's words if a step fails."""
    if not (site / "index.html").is_file():
        raise UsageError(f"{site} 中没有 index.html：请先用 zhibu build 生成站点，再发布它的输出文件夹。")
    dest = dest.rstrip("/") or "/"
    _check_destination(dest)
    release = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%d-%H%M%S-%f")
    before = releases(dest)
    previous = current_release(dest)
    with tempfile.TemporaryDirectory(prefix="zhibu-deploy-") as scratch:
        skeleton = Path(scratch) / "skeleton"
        (skeleton / "releases").mkdir(parents=True)
        done = _rsync("-r", "--include=/releases/", "--exclude=*", f"{skeleton}/", f"{dest}/")
        if done.returncode != 0:
            raise _failed("创建发布文件夹", done)
        link_dest = [f"--link-dest=../{previous}"] if previous in before else []
        # -r without -l: a symbolic link in a build (pointing anywhere) is not uploaded; modes readable by the
        # web server whatever this machine's umask; a half-done upload never becomes `current`. --checksum
        # and no -t: a file is linked to the previous release when its content is the same (every build
        # writes every file anew, so times never match), and never by size and time alone (a changed page
        # of the same length written in the same second). A file's time on the server is then when its
        # content last changed there: Last-Modified and ETag stay the same across releases that keep it.
        done = _rsync("-r", "--checksum", "--chmod=D755,F644", *link_dest, f"{site}/",
                      f"{dest}/releases/{release}/")
        if done.returncode != 0:
            _remove(dest, [release])
            raise _failed("上传", done)
        link = Path(scratch) / "link"
        link.mkdir()
        (link / "current").symlink_to(f"releases/{release}")
        done = _rsync("-rl", "--include=/current", "--exclude=*", f"{link}/", f"{dest}/")
        if done.returncode != 0:
            raise _failed("切换 current 链接", done)
    kept = [*before, release][-keep:]
    removed = [r for r in before if r not in kept and r != release]
    _remove(dest, removed)
    return Deployed(release, removed, kept)


def _remove(dest: str, names: list[str]) -> None:
    """Delete these release folders with rsync --delete from an empty folder (works remotely too)."""
    if not names:
        return
    with tempfile.TemporaryDirectory(prefix="zhibu-deploy-") as empty:
        rules = [f"--include=/{name}/***" for name in names]
        _rsync("-r", "--delete", *rules, "--exclude=*", f"{empty}/", f"{dest}/releases/")
