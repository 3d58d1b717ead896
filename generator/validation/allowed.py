"""Enum values and foreign keys, checked before Frictionless so that a file of wrong values costs what its size does.

Frictionless builds an error object (with a copy of its row) for every cell outside its field's list of
values and every row whose reference is missing, before the caps (problems/caps.py) can say that the file
lists enough already, and it still parsed every such row: 199,000 meetings of an unknown kind took 86 s on
the shared machine, 199,000 dues of members not on the roster 111 s (now 8.5 s and 7.6 s, make bench). Both
are checked here instead, on the cells exactly as Frictionless reads them; a problem is made only when the
caps list it, and a row found unusable is not handed to Frictionless unless another table names its keys
(tables.py), like a row with a wrong date. The Frictionless schemas leave both checks out (compiled.py). The
problems are those Frictionless's errors became (table_problems.add_problem makes both).
"""

from __future__ import annotations

from generator.validation.compiled import EnumField, Reference
from generator.validation.merged import Origin
from generator.validation.table_problems import Found, add_problem
from generator.validation.validated import Validated


def wrong_enums(cells: list, enums: list[EnumField]) -> list[EnumField]:
    """The fields whose cell (cells as given to Frictionless: branch first) is not empty and not in its list."""
    return [e for e in enums if e.position + 1 < len(cells) and cells[e.position + 1]
            and cells[e.position + 1] not in e.values]


def report_enums(cells: list, wrong: list[EnumField], origin: Origin, descriptor: dict, out: Validated) -> None:
    """A problem for each cell outside its list (the caps permitting), unless its cell was reported already."""
    path = origin.table.path
    for enum in wrong:
        if (origin.line, enum.name) in origin.skip:
            continue  # stray spaces: said already
        if out.keeps(path, enum.code(path), origin.line, origin.branch):
            add_problem(Found("constraint-error", enum.name, enum.position + 2, cells[enum.position + 1], enum.note),
                        origin, None, descriptor, out, set())
        out.bad_rows.setdefault(path, set()).add(origin.line)


def missing_references(cells: list, references: list[Reference], keys: dict[tuple, set[tuple]]) -> list[Reference]:
    """The foreign keys whose values name no row of the branch's target table (dues.member → members.id).

    `keys` holds the target tables' keys of this branch, (target, fields) → keys, as Frictionless looks them up.
    """
    return [r for r in references if row_key(cells, r.positions) not in keys.get((r.target, r.target_positions), ())]


def report_references(missing: list[Reference], origin: Origin, descriptor: dict, out: Validated) -> None:
    """A problem for each missing reference (the caps permitting); an empty one is the required check's business."""
    for reference in missing:
        if not any(origin.values[p] if p < len(origin.values) else "" for p in reference.positions):
            continue
        if out.keeps(origin.table.path, "foreign-key", origin.line, origin.branch):
            add_problem(Found("foreign-key", None, None, "", "", reference.descriptor), origin, None, descriptor,
                        out, set())
        out.bad_rows.setdefault(origin.table.path, set()).add(origin.line)


def row_key(row: list, positions: tuple[int, ...]) -> tuple:
    """The branch and the key cells of a merged row as Frictionless compares them: an empty cell is None."""
    return (row[0], *((row[p + 1] if p + 1 < len(row) else None) or None for p in positions))
