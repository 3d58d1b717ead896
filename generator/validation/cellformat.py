"""Strict cell formats: a typed cell fully matches the contract's format, or it is a coded problem.

Frictionless reads more than the contract allows: `2023-1-16` or `2020-9-8` as dates, `NaN`, `Infinity`,
`sNaN`, `1e5`, `1_000` and Arabic-Indic digits as numbers, a pattern followed by a line break. The ledger
reads exactly the contract (ISO dates, plain decimals), so a cell Frictionless let through could be dropped
later without a word. Every typed cell is read here first, before Frictionless: what passes is what the
ledger reads, and everything else is a type or constraint problem on its row.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SHAPES = {"date": _DATE, "integer": re.compile(r"-?[0-9]{1,15}"),
           "number": re.compile(r"-?[0-9]{1,15}(?:\.[0-9]{1,15})?"), "year": re.compile(r"[0-9]{4}")}
_CACHED = 100_000  # good values remembered per format: ids, months and days recur on a million rows


@dataclass
class CellFormat:
    """How one field's cells must look: its schema type (date, integer, number, year) and its pattern."""

    name: str
    kind: str  # a schema type with a strict shape, or "string"
    pattern: re.Pattern | None = None
    good: dict[str, object] = field(default_factory=dict)

    def read(self, cell: str) -> tuple[object, str | None]:
        """(the value to validate, None) when the cell is good; (cell, "type" or "pattern") when it is not."""
        known = self.good.get(cell)
        if known is not None:
            return known, None
        shape = _SHAPES.get(self.kind)
        if shape is not None and not shape.fullmatch(cell):
            return cell, "type"
        value: object = cell
        if self.kind == "date":
            try:
                value = dt.date.fromisoformat(cell)
            except ValueError:
                return cell, "type"
        if self.pattern is not None and not self.pattern.fullmatch(cell):
            return cell, "pattern"
        if len(self.good) < _CACHED:
            self.good[cell] = value
        return value, None


def formats(descriptor: dict) -> list[tuple[int, CellFormat]]:
    """(position in schema order, format) for each field whose cells have a strict shape or a pattern.

    Compiled once per standards version (Standards.compiled): each format remembers the good cells it read.
    """
    found = []
    for position, item in enumerate(descriptor["fields"]):
        kind = item.get("type", "string")
        pattern = (item.get("constraints") or {}).get("pattern")
        if kind in _SHAPES or pattern:
            # ASCII: \d must not accept other scripts' digits; fullmatch: no line break after a `$`
            compiled = re.compile(pattern, re.ASCII) if pattern else None
            found.append((position, CellFormat(item["name"], kind, compiled)))
    return found


def is_iso_date(text: str) -> bool:
    """True for a real calendar day written YYYY-MM-DD (the contract's only date format)."""
    if not _DATE.fullmatch(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True
