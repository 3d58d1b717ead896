"""Where the records repository is, and which branches the PATHs on a command line name.

Found as git finds its repository: from the current folder (or --root) upward, so a secretary can run
`zhibu check` inside her branch folder. A PATH that names nothing is a usage error (exit 2), never a
silent check of nothing or of everything.
"""

from __future__ import annotations

import os
from pathlib import Path

RECORDS = "records"
STANDARDS = "standards"


class UsageError(Exception):
    """The command line asks for something that cannot be done as asked (exit 2)."""


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` holding records/ and standards/."""
    chain = _chain(start)
    for folder in chain:
        if (folder / RECORDS).is_dir() and (folder / STANDARDS).is_dir():
            return folder
    for folder in chain:  # half a repository: say which half is missing
        if (folder / STANDARDS).is_dir():
            raise UsageError(f"{folder} 中没有 records/ 文件夹（党支部记录），无法检查。"
                             "请在记录仓库中运行，或先按 README 建立 records/（至少含 organization.yaml）。")
        if (folder / RECORDS).is_dir():
            raise UsageError(f"{folder} 中没有 standards/ 文件夹（表结构和规则），无法检查。"
                             "请从项目仓库复制 standards/，或在完整的记录仓库中运行。")
    raise UsageError(f"{start} 及其上级文件夹都不是记录仓库（找不到 records/ 和 standards/）。"
                     "请进入记录仓库的文件夹再运行，或用 --root 指定。")


def find_records_root(start: Path) -> Path:
    """The nearest folder at or above `start` holding records/: enough for commands that read only the records'
    history (audit-history), which must work in a clone that lacks standards/ too."""
    for folder in _chain(start):
        if (folder / RECORDS).is_dir():
            return folder
    raise UsageError(f"{start} 及其上级文件夹中都没有 records/ 文件夹（党支部记录）。"
                     "请进入记录仓库的文件夹再运行，或用 --root 指定。")


def _chain(start: Path) -> list[Path]:
    start = start.resolve()
    if not start.is_dir():
        raise UsageError(f"文件夹 {start} 不存在。请用 --root 指定记录仓库的文件夹。")
    return [start, *start.parents]


def require_site_config(root: Path) -> None:
    """`build` and `serve` need the site configuration at the repository root."""
    if not (root / "mkdocs.yml").is_file():
        raise UsageError(f"{root} 中没有 mkdocs.yml（站点配置），无法生成站点。请从项目仓库复制 mkdocs.yml。")


def select(root: Path, start: Path, paths: list[str]) -> list[str] | None:
    """Repository-relative unit or branch folders named by PATHs (relative to `start`); None means all."""
    chosen: list[str] = []
    for given in paths:
        prefix = _folder(root, start, given)
        if prefix is None:
            return None
        if prefix not in chosen:
            chosen.append(prefix)
    return chosen


def _folder(root: Path, start: Path, given: str) -> str | None:
    path = Path(given)
    full = Path(os.path.normpath(path if path.is_absolute() else start / path))
    parts = _inside(root, full) or _inside(root, full.resolve())  # the second: a path through a linked folder
    if parts is None:
        raise UsageError(f"路径“{given}”不在记录仓库 {root} 中。请指定 records/ 中的单位或支部文件夹。")
    if not (full.exists() or full.is_symlink()):
        raise UsageError(f"路径“{given}”不存在。请指定 records/ 中已有的单位或支部文件夹（可用 Tab 键补全）。")
    if not parts or parts == (RECORDS,) or parts == (RECORDS, "organization.yaml"):
        return None  # the whole repository, all records, or the file every branch depends on
    if parts[0] != RECORDS:
        raise UsageError(f"路径“{given}”不在 records/ 中：只能指定 records/ 中的单位或支部文件夹"
                         "（standards/ 的改动影响全部支部，请不带路径运行 zhibu check）。")
    unit = root / RECORDS / parts[1]
    if not unit.is_dir():
        raise UsageError(f"路径“{given}”不是单位或支部文件夹，不对应任何支部。"
                         "请指定 records/<单位>/ 或 records/<单位>/<支部>/。")
    if len(parts) >= 3 and (unit / parts[2]).is_dir():
        return f"{RECORDS}/{parts[1]}/{parts[2]}"
    if not any(entry.is_dir() for entry in unit.iterdir()):
        raise UsageError(f"单位文件夹“{given}”中还没有支部文件夹，不对应任何支部。")
    return f"{RECORDS}/{parts[1]}"


def _inside(root: Path, full: Path) -> tuple[str, ...] | None:
    try:
        return full.relative_to(root).parts
    except ValueError:
        return None
