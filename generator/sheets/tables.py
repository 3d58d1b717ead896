"""Rebuild one CSV file from a sheet's rows: canonical format, and every row the secretary left alone kept byte
for byte as it was, so the pull request's diff shows only what really changed."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from generator.records.textfile import CsvTable
from generator.sheets.cells import same_value
from generator.sheets.layout import Column, TableLayout

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


@dataclass
class SheetRow:
    """One filled row of a sheet: where it is (row from 0) and its CSV text per field."""

    row: int
    cells: dict[str, str]


@dataclass
class Rebuilt:
    text: str
    rows: dict[int, int] = field(default_factory=dict)  # CSV line (header = 1) -> sheet row (from 0)


def rebuild(layout: TableLayout, old_text: str | None, old: CsvTable | None, rows: list[SheetRow]) -> Rebuilt:
    """The new file's text; untouched rows and the unchanged header are copied from old_text as they were."""
    header = _header(layout, old, rows)
    pieces = _Pieces(old_text, old)
    first = pieces.header() if old is not None and header == old.header else _csv_line(header)
    out = [first]
    result = Rebuilt(text="")
    line = first.count("\n") + 1
    olds = _OldRows(layout, old)
    columns = [layout.column(name) for name in header]
    for index, row in enumerate(rows):
        match = olds.match(row, index) if old is not None else None
        cells = [row.cells.get(name, "") for name in header]
        piece = None
        if match is not None and old is not None:
            before = _padded(old.rows[match], len(header))
            cells = [b if _same(k, c, b) else c for k, c, b in zip(columns, cells, before, strict=True)]
            piece = pieces.row(match) if cells == before else None
        piece = piece or _csv_line(cells)
        out.append(piece)
        if row.row >= 0:  # a row of the sheet (an appended table's own rows are in none)
            result.rows[line] = row.row
        line += piece.count("\n")
    result.text = "".join(out)
    return result


def _csv_line(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()


def _header(layout: TableLayout, old: CsvTable | None, rows: list[SheetRow]) -> list[str]:
    """The old header when it holds every filled column; else the schema's order of the columns needed."""
    filled = {name for row in rows for name, text in row.cells.items() if text != ""}
    if old is not None and filled <= set(old.header):
        return list(old.header)
    kept = set(old.header) if old is not None else set()
    return [c.name for c in layout.columns if not c.optional or c.name in filled or c.name in kept]


class _OldRows:
    """Finds the old row a sheet row continues: the row at the same place when its key reads the same (so a
    repeated or oddly written key finds its own row), else the row with that key; by place in a table without one."""

    def __init__(self, layout: TableLayout, old: CsvTable | None) -> None:
        self.layout, self.count = layout, len(old.rows) if old is not None else 0
        self.keys: list[tuple[str, ...]] = []
        self.by_key: dict[tuple[str, ...], int] = {}
        if old is None or not layout.primary_key:
            return
        where = [old.header.index(k) if k in old.header else None for k in layout.primary_key]
        for index, cells in enumerate(old.rows):
            key = tuple(cells[i] if i is not None and i < len(cells) else "" for i in where)
            self.keys.append(key)
            self.by_key.setdefault(key, index)
            self.by_key.setdefault(_loose(key), index)

    def match(self, row: SheetRow, index: int) -> int | None:
        if not self.layout.primary_key:
            return index if index < self.count else None
        key = tuple(row.cells.get(k, "") for k in self.layout.primary_key)
        if index < len(self.keys) and all(_same(self.layout.column(name), new, old) for name, new, old
                                          in zip(self.layout.primary_key, key, self.keys[index], strict=True)):
            return index
        return self.by_key[key] if key in self.by_key else self.by_key.get(_loose(key))


def _same(column: Column | None, new: str, old: str) -> bool:
    return new == old or (column is not None and same_value(column, new, old))


def _loose(key: tuple[str, ...]) -> tuple[str, ...]:
    """A key as a spreadsheet program may have changed it: an id of digits stored as a number (007 → 7)."""
    return tuple(str(int(part)) if part.isascii() and part.isdigit() else part for part in key)


def _padded(cells: list[str], width: int) -> list[str]:
    return (cells + [""] * width)[:width]


class _Pieces:
    """The old file's text cut into its header and its records (a quoted cell may span lines)."""

    def __init__(self, text: str | None, table: CsvTable | None) -> None:
        self.lines = csv_lines(text or "")
        self.starts = list(table.lines) if table is not None else []

    def header(self) -> str:
        end = self.starts[0] - 1 if self.starts else len(self.lines)
        return _ended("".join(self.lines[:end]))

    def row(self, index: int) -> str:
        start = self.starts[index] - 1
        end = self.starts[index + 1] - 1 if index + 1 < len(self.starts) else len(self.lines)
        return _ended("".join(self.lines[start:end]))


def csv_lines(text: str) -> list[str]:
    """The text's lines as the csv module counts them (CR, LF, CRLF), ends kept; str.splitlines would also split
    at characters such as \x1e or \u2028 inside a cell."""
    return _LINE.findall(text)


def _ended(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"
