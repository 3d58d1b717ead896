"""One table kind's rows from many branches as one table, and the way back to the file and line of each row."""

from __future__ import annotations

import bisect
import sys
from dataclasses import dataclass, field

from generator.records.textfile import CsvTable

ABSENT = sys.maxsize  # the position of an optional column the file leaves out: every row reads "" there


@dataclass
class Segment:
    """One file's rows inside a merged table: they start at `start`; `indices` are rows of the file."""

    start: int
    table: CsvTable
    branch: str
    order: list[int]
    skip: set[tuple]
    indices: list[int]


@dataclass
class Origin:
    """Where a row of a merged table came from."""

    table: CsvTable
    line: int
    branch: str
    values: list[str]  # the row in schema order, without the branch column
    skip: set[tuple]


@dataclass
class Merged:
    """The rows of one table kind from many branches, each prefixed with its branch code."""

    rows: list[list] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)

    def origin(self, position: int) -> Origin | None:
        """The file row behind merged data row `position` (0-based)."""
        if not 0 <= position < len(self.rows):
            return None
        segment = self.segments[bisect.bisect_right(self.starts, position) - 1]
        index = segment.indices[position - segment.start]
        values = reordered(segment.table.rows[index], segment.order)
        return Origin(segment.table, segment.table.lines[index], segment.branch, values, segment.skip)


class Rows:
    """Inline rows that Frictionless reads but does not deep-copy into descriptors (it copies plain lists)."""

    def __init__(self, rows: list[list[str]]) -> None:
        self.rows = rows

    def __call__(self):
        return iter(self.rows)


def reordered(row: list[str], order: list[int]) -> list[str]:
    """Put cells in schema order; a file in schema order passes through untouched (short rows stay short)."""
    if order == list(range(len(order))):
        return row
    width = len(order) - order.count(ABSENT)  # the file's own columns: cells beyond them are extra cells
    cells = [row[i] if i < len(row) else "" for i in order]
    if len(row) < width and order[:len(row)] == list(range(len(row))):
        return cells[:len(row)]  # a short row stays short, so Frictionless reports its missing cells
    return cells + row[width:]
