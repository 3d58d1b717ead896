"""Rows Frictionless would pass without a word, found with its own cell readers, so it need not read them.

Frictionless costs most per row (a Row object, each cell read again, the primary key looked up), and in
records that passed review nearly every row is good. A merged row (branch cell first, cells as tables.py
hands them over) is *accepted* when each of its cells passes the very reader Frictionless builds for that
field (`Field.create_cell_reader`: the missing values, the type, every constraint), it has exactly one
cell per field, and no other row of its file that Frictionless would read has the same primary key as
Frictionless compares it (typed cells). Such a row gives Frictionless no error of any kind: the cell
errors come from those readers, missing and extra cells from the row's width, primary-key errors from a
key another row shares, and a blank row is never accepted (its branch cell is not blank). So leaving it
out changes no problem Frictionless reports on the other rows, nor their rows and columns. Rows that are
not accepted, and both rows of a repeated key, are read by Frictionless as before.

A schema with a `unique` field outside its primary key (Frictionless compares such cells across the
whole table) accepts no row: every row goes to Frictionless, as before.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from frictionless import Schema

_REMEMBERED = 100_000  # cells remembered per field: ids, months, days and amounts recur on a million rows


class Acceptance:
    """Which merged rows of one table kind Frictionless would pass (see the module's text)."""

    def __init__(self, schema: Schema) -> None:
        self.width = len(schema.fields)
        names = [f.name for f in schema.fields]
        self.key = [names.index(name) for name in schema.primary_key]
        # per field: its Frictionless cell reader, and the cells it read: cell -> (read without a note, the
        # value read: None if not of the type)
        self.fields: list[tuple[dict[Any, tuple[bool, Any]], Callable]] = [
            ({}, f.create_cell_reader()) for f in schema.fields]
        self.never = any(f.constraints.get("unique") and f.name not in schema.primary_key for f in schema.fields)

    def read(self, cells: list[Any]) -> tuple[bool, tuple]:
        """(whether every cell passes and the row has one cell per field, its primary key as Frictionless
        compares it: the typed cells, None for an empty, missing or unreadable one)."""
        if self.never:
            return False, ()
        good = len(cells) == self.width
        if good:
            for (seen, reader), cell in zip(self.fields, cells, strict=True):
                known = seen.get(cell)
                if known is None:
                    known = _learn(seen, reader, cell)
                if not known[0]:
                    good = False
                    break
        width = len(cells)
        key = tuple([self._value(i, cells[i]) if i < width else None for i in self.key])
        return good and None not in key, key

    def _value(self, position: int, cell: Any) -> Any:
        seen, reader = self.fields[position]
        return (seen.get(cell) or _learn(seen, reader, cell))[1]

    def read_by_frictionless(self, rows: list[tuple[bool, tuple]]) -> list[bool]:
        """For the rows of one file Frictionless would read (their `read`, in order): True for each it must
        still read, False for an accepted row whose key no other of these rows shares."""
        if not self.key:
            return [not good for good, _ in rows]
        counts = Counter(key for _, key in rows)
        return [not good or counts[key] > 1 for good, key in rows]


def _learn(seen: dict[Any, tuple[bool, Any]], reader: Callable, cell: Any) -> tuple[bool, Any]:
    value, notes = reader(cell)
    known = (not notes, value)
    if len(seen) < _REMEMBERED:
        seen[cell] = known
    return known
