"""Write a built site safely: one build at a time per folder, atomic replacement, clear errors on disk faults.

A build writes into a temporary folder beside the target while holding a lock; only a complete build is
swapped in, with one atomic exchange (renameat2 RENAME_EXCHANGE on Linux). Killing a build at any point
leaves the previous site complete; the next build removes what a killed build left behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

_NO_SPACE = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}
_NOT_ALLOWED = {errno.EACCES, errno.EPERM, errno.EROFS}
_SITE_MARKERS = ("index.html", "sitemap.xml", ".zhibu-pages.json")  # the last: a folder `zhibu pages` wrote


class BuildRefused(Exception):
    """The records have errors; the existing site was left untouched. `report` lists the errors."""

    def __init__(self, text: str) -> None:
        super().__init__("records have errors")
        self.report = text


class BuildFailed(Exception):
    """The site could not be written; `message` says why in Chinese. The previous site is untouched."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_target(root: Path, out: Path) -> None:
    """Refuse output folders whose replacement would destroy something other than a previous site."""
    root = root.resolve()
    if root == out or root.is_relative_to(out):
        raise BuildFailed(f"输出目录 {out} 是仓库本身或其上级目录，生成站点会覆盖整个仓库。"
                          "请使用 --out site 之类的子目录。")
    for name in ("records", "standards", "docs", "generator", ".git", ".github"):
        if out.is_relative_to(root / name):
            raise BuildFailed(f"输出目录 {out} 位于仓库的 {name}/ 中。请把站点生成到 site/ 等单独的目录。")
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise BuildFailed(f"输出路径 {out} 已存在，但不是文件夹。请删除它或换一个 --out 目录。")
    if out.is_dir() and any(out.iterdir()) and not any((out / m).is_file() for m in _SITE_MARKERS):
        raise BuildFailed(f"输出目录 {out} 不是空目录，也不像是本工具生成的站点；为防止误删，没有覆盖它。"
                          "请换一个空目录，或先自行清空该目录。")


@contextlib.contextmanager
def replacing(out: Path, on_wait: Callable[[], None] | None = None) -> Iterator[Path]:
    """Yield an empty folder to build into; when the block succeeds it replaces `out` atomically.

    Any failure (an exception, Ctrl-C) removes the folder and leaves `out` as it was; operating-system
    errors become BuildFailed with a message saying what to do. `on_wait` is called once if another
    build of the same folder is running (this one then waits for it).
    """
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with _locked(out, on_wait):
            _remove_leftovers(out)
            temp = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
            try:
                temp.chmod(0o777 & ~_umask())  # mkdtemp makes 0700; a published site must be readable
                yield temp
                _swap(temp, out)
            except BaseException:
                shutil.rmtree(temp, ignore_errors=True)
                raise
    except OSError as exc:
        raise BuildFailed(os_message(exc, out)) from exc


def os_message(exc: OSError, out: Path) -> str:
    """A Chinese explanation of an operating-system error met while writing the site."""
    kept = f"原有的 {out.name}/ 保持不变。" if out.exists() else ""
    if exc.errno in _NO_SPACE:  # the site is written into a folder beside `out`: name the folder, not a temp file
        return (f"磁盘空间不足（或超出文件大小限制），无法在 {out.parent} 中写入站点，站点未生成；{kept}"
                "请清理磁盘空间后重新运行。")
    if exc.errno in _NOT_ALLOWED:
        return (f"没有写入 {out.parent} 的权限（文件夹只读或属于其他用户），站点未生成；{kept}"
                "请换一个可写的 --out 目录，或检查该文件夹的权限。")
    where = exc.filename2 or exc.filename or out.parent  # copying a file: filename2 is the file being written
    return f"写入站点时出错（{where}：{exc.strerror or exc}），站点未生成；{kept}请检查输出目录后重新运行。"


@contextlib.contextmanager
def _locked(out: Path, on_wait: Callable[[], None] | None) -> Iterator[None]:
    """An exclusive lock per output folder, held for the whole build; the kernel drops it if we are killed."""
    fd = os.open(out.parent / f".{out.name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait()
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _remove_leftovers(out: Path) -> None:
    """Under the lock, temporary folders of `out` belong to builds that were killed: restore or remove them."""
    leftovers = sorted(p for p in out.parent.glob(f".{out.name}-*-*") if p.is_dir() and not p.is_symlink())
    if not out.exists():  # killed between the two renames of the fallback swap: put the previous site back
        for old in leftovers:
            if old.name.startswith(f".{out.name}-old-") and (old / "site").is_dir():
                os.rename(old / "site", out)
                break
    for folder in leftovers:
        if folder.name.startswith((f".{out.name}-new-", f".{out.name}-old-")):
            shutil.rmtree(folder, ignore_errors=True)


def _swap(new: Path, out: Path) -> None:
    """Put `new` in place of `out` so that a reader (or a kill) sees either the old or the new site, whole."""
    if not os.path.lexists(out):
        os.rename(new, out)
        return
    if _exchange(new, out):
        shutil.rmtree(new, ignore_errors=True)  # `new` now holds the previous site
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
    os.rename(out, old / "site")
    os.rename(new, out)
    shutil.rmtree(old, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
