"""Optional columns: those a table schema marks `"optionalColumn": true`, which a file may leave out.

A file may lack such a column in its header, and a row may leave off the optional cells at the end of its
header (a secretary copies a row written before the column was added, or from a branch whose file has
none): both read as empty cells, not as a broken row. Validation, the ledger, the diagnosis of broken rows
and the demo ask here.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence


def optional_columns(descriptor: dict) -> frozenset[str]:
    """The columns of a table schema that a file may leave out."""
    return frozenset(item["name"] for item in descriptor["fields"] if item.get("optionalColumn"))


def cells_needed(header: Sequence[str], optional: Collection[str]) -> int:
    """How many cells a row needs at least: the optional columns at the end of the header may be left off."""
    need = len(header)
    while need and header[need - 1].strip() in optional:
        need -= 1
    return need


def filled(row: list[str], width: int, needed: int = 0) -> list[str]:
    """The row with the cells left off its end read as empty, up to `width`, when it has at least `needed` cells.

    needed=0 pads any row: the ledger reads only rows validation accepted, whose short ends are optional cells.
    """
    return row + [""] * (width - len(row)) if needed <= len(row) < width else row
