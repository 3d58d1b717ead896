"""The other branches' rosters, read lightly, for a check narrowed to some branches (PATH or --since).

A pull request that adds a transferred member to one branch is checked for that branch only; the member's
old branch, where left_on was forgotten, is not read. Its members.csv is read here, just the id and the two
dates, so that `member-in-two-branches` can still name the other roster row. A file that cannot be read is
skipped: it is that branch's own check that reports it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

from generator.records.load import RawRecords
from generator.records.textfile import parse_csv, read_text


class RosterRow(NamedTuple):
    """One member's stay in a branch that was not checked this time."""

    branch: str
    path: str
    line: int
    id: str
    joined_on: dt.date
    left_on: dt.date | None


def other_rosters(root: Path, raw: RawRecords) -> list[RosterRow]:
    """Roster rows of every listed branch that was not read (none when all were)."""
    read = {files.code for files in raw.branches}
    rows: list[RosterRow] = []
    for code, folder in sorted(raw.all_branches.items()):
        if code not in read:
            rows += _roster(root, code, f"{folder}/members.csv")
    return rows


def _roster(root: Path, code: str, rel: str) -> list[RosterRow]:
    file = root / rel
    if file.is_symlink() or not file.is_file():
        return []
    text, problems = read_text(file, rel)
    table, problems = parse_csv(text, rel) if text is not None else (None, problems)
    if table is None or problems:
        return []
    position = {name.strip(): i for i, name in enumerate(table.header)}
    if not {"id", "joined_on", "left_on"} <= position.keys():
        return []
    found = []
    for cells, line in zip(table.rows, table.lines, strict=False):
        try:
            joined = dt.date.fromisoformat(cells[position["joined_on"]])
            left = cells[position["left_on"]]
            found.append(RosterRow(code, rel, line, cells[position["id"]], joined,
                                   dt.date.fromisoformat(left) if left else None))
        except (IndexError, ValueError):
            continue  # a row its own branch's check reports
    return found
