"""The other branches' rosters, read lightly, for a check narrowed to some branches (PATH or --since).

A pull request that adds a transferred member to one branch is checked for that branch only; the member's
old branch, where left_on was forgotten, is not read. Its members.csv is read here, just the id and the two
dates, so that `member-in-two-branches` can still name the other roster row. A file that cannot be read is
skipped: it is that branch's own check that reports it.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import stat
from pathlib import Path
from typing import NamedTuple

from generator.records.load import RawRecords
from generator.records.textfile import MAX_BYTES, parse_csv, read_text


class RosterRow(NamedTuple):
    """One member's stay in a branch that was not checked this time."""

    branch: str
    path: str
    line: int
    id: str
    joined_on: dt.date
    left_on: dt.date | None


def other_rosters(root: Path, raw: RawRecords) -> list[RosterRow]:
    """Roster rows of listed branches that were not read (none when all were) whose id is on a roster read.

    Only those can meet a checked member (integrity._in_two_branches). Their files are found by a scan of
    the bytes for the ids, so that a check of one branch among 6,000 parses one roster, not 6,000."""
    read = {files.code for files in raw.branches}
    wanted = _read_ids(raw)
    if not wanted or len(read) == len(raw.all_branches):
        return []
    tokens = {value.encode("utf-8", "surrogatepass") for value in wanted}
    rows: list[RosterRow] = []
    base = str(root)
    for code, folder in sorted(raw.all_branches.items()):
        if code not in read and _names_any(os.path.join(base, folder, "members.csv"), tokens):
            rows += [row for row in _roster(root, code, f"{folder}/members.csv") if row.id in wanted]
    return rows


def _read_ids(raw: RawRecords) -> set[str]:
    """Every id cell of the rosters this run read (the ledger's member ids are among them)."""
    ids: set[str] = set()
    for files in raw.branches:
        table = files.tables.get("members")
        position = {name.strip(): i for i, name in enumerate(table.header)}.get("id") if table else None
        if table is not None and position is not None:
            ids.update(row[position] for row in table.rows if len(row) > position and row[position])
    return ids


_CELL_EDGES = bytes.maketrans(b'\r\n"', b",,,")  # every cell boundary (and quote) becomes a comma


def _names_any(file: str, tokens: set[bytes]) -> bool:
    """True when some cell of the file (quoted or not) is one of `tokens`; False for a file not to be read."""
    try:
        handle = os.open(file, os.O_RDONLY | os.O_NOFOLLOW)  # a symlink is never followed (load reports it)
    except OSError:
        return False
    try:
        size = os.fstat(handle).st_size
        if not stat.S_ISREG(os.fstat(handle).st_mode) or size > MAX_BYTES:
            return False
        data = b"".join(iter(functools.partial(os.read, handle, size + 1), b""))  # to the end, short reads or not
    except OSError:
        return False
    finally:
        os.close(handle)
    return not tokens.isdisjoint(data.translate(_CELL_EDGES).split(b","))


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
