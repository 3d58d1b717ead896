"""Find one branch by its code and read its files as they are (the template's rows, the import's old text)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.records.load import TABLES, load
from generator.records.repository import RECORDS, UsageError
from generator.records.textfile import CsvTable


class UnknownBranch(UsageError):
    """No branch has that code (exit 2)."""


@dataclass
class BranchRecords:
    """A branch's folder and its tables as read from disk; a file that could not be read is not in `tables`."""

    code: str
    folder: str  # relative to the repository root, e.g. records/jidian/jidian-js1
    name: str
    groups: list[str]
    tables: dict[str, CsvTable] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # table -> the CSV file's text as it is on disk
    unreadable: list[str] = field(default_factory=list)  # tables whose file is there but cannot be read


def branch_codes(root: Path) -> dict[str, str]:
    """Every branch code in the records, with its folder (no file is read)."""
    return load(root, RECORDS, select=[]).all_branches


def read_branch(root: Path, code: str) -> BranchRecords:
    """The branch's identity and tables; UnknownBranch when no branch has that code."""
    folders = branch_codes(root)
    if code not in folders:
        known = "、".join(sorted(folders)[:12]) + ("……" if len(folders) > 12 else "")
        raise UnknownBranch(f"没有代码为“{code[:40]}”的支部。请检查支部代码（branch.yaml 中的 code），"
                            f"已有的支部：{known or '（无）'}。")
    folder = folders[code]
    raw = load(root, RECORDS, select=[f"{folder}/"])
    files = next(b for b in raw.branches if b.code == code)
    data: Any = files.branch.data if files.branch is not None else {}
    data = data if isinstance(data, dict) else {}
    groups = [str(g["code"]) for g in data.get("groups") or [] if isinstance(g, dict) and g.get("code")]
    texts = {}
    for table in files.tables:
        raw_bytes = (root / folder / f"{table}.csv").read_bytes()
        texts[table] = raw_bytes.decode("utf-8")  # a BOM stays: an untouched header line is kept as it is
    unreadable = [t for t in TABLES if t not in files.tables and (root / folder / f"{t}.csv").exists()]
    return BranchRecords(code=code, folder=folder, name=str(data.get("name") or code), groups=groups,
                         tables=files.tables, texts=texts, unreadable=unreadable)
