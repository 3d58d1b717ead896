"""Record tables against their Table Schemas with Frictionless: all branches' tables of one kind as one resource."""

from __future__ import annotations

import functools
import sys
from typing import Any

from frictionless import Checklist, Dialect, Resource
from frictionless.errors import Error as FrictionlessError

from generator.problems.catalogue import make
from generator.records.load import TABLES
from generator.records.textfile import CsvTable
from generator.standards.catalogue import Standards
from generator.validation.allowed import missing_references, report_enums, report_references, row_key, wrong_enums
from generator.validation.cells import header_order, screen_cells, strict_cell
from generator.validation.compiled import BRANCH
from generator.validation.merged import Merged, Origin, Rows, Segment, reordered
from generator.validation.optional import cells_needed, filled, optional_columns
from generator.validation.table_problems import from_frictionless, problem_code
from generator.validation.validated import Validated


class Batch:
    """All branches' tables of one kind validated as one Frictionless resource.

    Opening a resource costs Frictionless milliseconds of metadata work whatever its size, so one
    resource per kind (not one per file) keeps a 1,000-branch check cheaper than validating the files
    one by one. Each row carries its branch in a first column, and the schema's keys are qualified with
    it: primary keys stay unique within a branch and foreign keys (dues.member → members.id) resolve
    within the branch only, exactly as a per-branch package would. A branch that lacks a key's target
    table is validated without that foreign key. Branches are independent, so batches of different
    branches can be validated in parallel.
    """

    def __init__(self, standards: Standards) -> None:
        self.standards = standards
        self.merged: dict[tuple[str, bool], Merged] = {}
        references = [(name, r) for name in TABLES for r in standards.compiled.references(name)]
        self.targets = {r.target for _name, r in references}  # members: its ids must all be there
        self.referrers: dict[str, set[str]] = {}  # target table -> the tables naming its keys
        for name, reference in references:
            self.referrers.setdefault(reference.target, set()).add(name)
        self.key_fields: dict[str, set[tuple[str, tuple[int, ...]]]] = {}  # table -> (itself, fields others name)
        for _name, reference in references:
            self.key_fields.setdefault(reference.target, set()).add((reference.target, reference.target_positions))

    def add(self, tables: dict[str, CsvTable], out: Validated, branch: str) -> None:
        usable = []
        for name in TABLES:
            table = tables.get(name)
            if table is None:
                continue
            descriptor = self.standards.table_schemas[name]
            order = header_order(table, descriptor, out, branch)
            if order is None:
                out.bad_files.add(table.path)
                continue
            usable.append((name, table, order, screen_cells(table, descriptor, order, out, branch)))
        present = {name for name, *_ in usable}
        targets = {t for t, names in self.referrers.items() if names & present}  # keys another file here names
        keys: dict[tuple, set[tuple]] = {}  # (table, key fields) -> this branch's keys, as Frictionless reads them
        for name, table, order, skip in sorted(usable, key=lambda item: item[0] not in self.targets):  # targets first
            with_fk = _fk_targets_present(self.standards.table_schemas[name], present)
            merged = self.merged.setdefault((name, with_fk), Merged())
            segment = Segment(len(merged.rows), table, branch, order, skip, [])
            rows = self._rows(name, segment, merged, keys if with_fk else None, out, name in targets)
            merged.segments.append(segment)
            merged.starts.append(segment.start)
            for target, positions in self.key_fields.get(name, ()):
                keys[target, positions] = {row_key(row, positions) for row in rows}

    def _rows(self, name: str, segment: Segment, merged: Merged, keys: dict[tuple, set[tuple]] | None,
              out: Validated, target: bool) -> list[list]:
        """One file's rows into the merged table, each checked first for what costs Frictionless an error object.

        Returns the rows Frictionless would read (their keys are what other files' foreign keys may name);
        of those, the rows it would accept without a word are left out of the merged table (accepted.py)."""
        table, branch, order, skip = segment.table, segment.branch, segment.order, segment.skip
        acceptance = self.standards.compiled.acceptance(name)
        rows: list[list] = []
        indices: list[int] = []
        reads: list[tuple[bool, tuple]] = []
        descriptor = self.standards.table_schemas[name]
        typed, enums = self.standards.compiled.formats(name), self.standards.compiled.enums(name)
        references = self.standards.compiled.references(name) if keys is not None else []
        width, needed = len(table.header), cells_needed(table.header, optional_columns(descriptor))
        identity = order == list(range(len(order)))
        for index, row in enumerate(table.rows):
            if needed <= len(row) < width:
                row = filled(row, width, needed)  # only optional cells left off the end: they read as empty
            if len(row) > width or not any(row):
                _whole(row, width, table, table.lines[index], branch, out)  # its problem
                continue
            values = row if identity else reordered(row, order)
            cells: list[Any] = [branch, *values]
            found = out.found
            for position, cell_format in typed:
                if position + 1 < len(cells) and (cell := cells[position + 1]):
                    value = cell_format.good.get(cell)  # a good cell read before: what cell_format.read gives
                    cells[position + 1] = value if value is not None else strict_cell(
                        cell, cell_format, descriptor, position, table, index, order, skip, out, branch)
            if out.found == found or target:
                wrong = wrong_enums(cells, enums) if enums else []
                missing = missing_references(cells, references, keys or {}) if references else []
                if wrong or missing:
                    origin = Origin(table, table.lines[index], branch, values, skip)
                    report_enums(cells, wrong, origin, descriptor, out)
                    report_references(missing, origin, descriptor, out)
            if out.found > found and not target:
                continue  # unusable already; no other table refers to its keys: Frictionless need not see it
            good, key = acceptance.read(cells)
            reads.append((good and out.found == found, key))
            rows.append(cells)
            indices.append(index)
        for cells, index, read in zip(rows, indices, acceptance.read_by_frictionless(reads), strict=True):
            if read:
                merged.rows.append(cells)
                segment.indices.append(index)
        return rows

    def validate(self, out: Validated) -> None:
        """Run Frictionless over the merged tables; problems on the files and lines a person sees.

        Each resource is validated with a checklist whose `match` asks the caps first: Frictionless keeps
        an error only while its file lists fewer than the caps allow, so a file with 200,000 wrong rows
        holds 20 errors, not 200,000 (each with a copy of its row), whatever the records.
        """
        reported: set[tuple] = set()
        for (name, with_fk), merged in sorted(self.merged.items()):
            header = [BRANCH] + [f["name"] for f in self.standards.table_schemas[name]["fields"]]
            # The header is the first row, always: left to guess, Frictionless takes the first row whose width
            # is near the sample's average, and a table of mostly short rows had one of them read as its header.
            resource = Resource(name=name if with_fk else f"{name}-without-foreign-keys",
                                data=Rows([header, *merged.rows]), schema=self.standards.compiled.table(name),
                                dialect=Dialect(header_rows=[1]))
            checklist = Checklist()
            checklist.match = functools.partial(_admit, merged=merged, out=out)  # type: ignore[method-assign]  # Frictionless's own hook
            for error in resource.validate(checklist, limit_errors=sys.maxsize).tasks[0].errors:
                origin = merged.origin((getattr(error, "row_number", None) or 0) - 2)
                if origin is not None:  # the merged header comes from the schema: no header errors arise
                    from_frictionless(error, origin, merged, self.standards.table_schemas[name], out, reported)


def _admit(error: FrictionlessError, merged: Merged, out: Validated) -> bool:
    """Checklist.match for one merged resource: keep a Frictionless error only while its file's caps allow.

    An error that is only counted still makes its row unusable (the ledger must not read it).
    """
    row_number = getattr(error, "row_number", None)
    origin = merged.origin(row_number - 2) if row_number else None
    if origin is None:
        return True
    name = getattr(error, "field_name", None) or None
    if (origin.line, name) in origin.skip:
        return False  # reported already (strict cells, stray spaces): from_frictionless would drop it anyway
    if out.caps.admit(origin.table.path, problem_code(error, name, origin), origin.line, "error", origin.branch):
        return True
    out.found += 1
    out.bad_rows.setdefault(origin.table.path, set()).add(origin.line)
    return False


def _whole(row: list[str], width: int, table: CsvTable, line: int, branch: str, out: Validated) -> bool:
    """False, with its problem, for a blank row or a row wider than the header (never a problem per extra cell)."""
    if not any(row):  # Frictionless would see the branch cell and miss a blank row
        if out.keeps(table.path, "blank-row", line, branch):
            out.problems.append(make("blank-row", table.path, line, branch=branch))
    elif len(row) > width:
        if out.keeps(table.path, "extra-cell", line, branch):
            out.problems.append(make("extra-cell", table.path, line, column=width + 1, branch=branch,
                                     more=f"（多出 {len(row) - width:,} 个）", more_en=f" ({len(row) - width:,} more)"))
    else:
        return True
    out.bad_rows.setdefault(table.path, set()).add(line)
    return False


def _fk_targets_present(descriptor: dict, present: set[str]) -> bool:
    return all(fk.get("reference", {}).get("resource") in present for fk in descriptor.get("foreignKeys", []))
