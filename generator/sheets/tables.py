"""Rebuild one CSV file from a sheet's rows: canonical format, and every row the secretary left alone kept byte
for byte as it was, so the pull request's diff shows only what really changed."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from generator.records.textfile import CsvTable
from generator.sheets.cells import same_value
from generator.sheets.layout import TableLayout

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
    by_key = _keyed(layout, old)
    columns = [layout.column(name) for name in header]
    for index, row in enumerate(rows):
        match = _match(layout, old, by_key, row, index)
        cells = [row.cells.get(name, "") for name in header]
        piece = None
        if match is not None and old is not None:
            before = _padded(old.rows[match], len(header))
            cells = [b if c == b or (k is not None and same_value(k, c, b)) else c
                     for k, c, b in zip(columns, cells, before, strict=True)]
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


def _keyed(layout: TableLayout, old: CsvTable | None) -> dict[tuple[str, ...], int]:
    if old is None or not layout.primary_key:
        return {}
    where = [old.header.index(k) if k in old.header else None for k in layout.primary_key]
    keyed: dict[tuple[str, ...], int] = {}
    for index, cells in enumerate(old.rows):
        key = tuple(cells[i] if i is not None and i < len(cells) else "" for i in where)
        keyed.setdefault(key, index)
        keyed.setdefault(_loose(key), index)
    return keyed


def _loose(key: tuple[str, ...]) -> tuple[str, ...]:
    """A key as a spreadsheet program may have changed it: an id of digits stored as a number (007 → 7)."""
    return tuple(str(int(part)) if part.isdigit() else part for part in key)


def _match(layout: TableLayout, old: CsvTable | None, by_key: dict, row: SheetRow, index: int) -> int | None:
    """The old row this row continues: the same primary key, or (a table without one) the same position."""
    if old is None:
        return None
    if layout.primary_key:
        key = tuple(row.cells.get(k, "") for k in layout.primary_key)
        return by_key[key] if key in by_key else by_key.get(_loose(key))
    return index if index < len(old.rows) else None


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
