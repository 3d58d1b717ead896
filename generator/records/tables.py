"""Record tables against their Table Schemas with Frictionless: all branches' tables of one kind as one resource."""

from __future__ import annotations

import functools
import sys
from typing import Any

from frictionless import Checklist, Package, Resource

from generator.problems.catalogue import make
from generator.records.cells import header_order, optional_tail, screen_cells, strict_cell
from generator.records.compiled import BRANCH
from generator.records.load import TABLES
from generator.records.merged import Merged, Rows, Segment, reordered
from generator.records.table_problems import from_frictionless, problem_code
from generator.records.textfile import CsvTable
from generator.records.validated import Validated
from generator.standards.catalogue import Standards


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
        targets = {fk.get("reference", {}).get("resource") for descriptor in self.standards.table_schemas.values()
                   for fk in descriptor.get("foreignKeys", [])}  # members: its ids must all be there
        for name, table, order, skip in usable:
            descriptor = self.standards.table_schemas[name]
            merged = self.merged.setdefault((name, _fk_targets_present(descriptor, present)), Merged())
            typed = self.standards.compiled.formats(name)
            width = len(table.header)
            short = optional_tail(table.header, descriptor)
            identity = order == list(range(len(order)))
            segment = Segment(len(merged.rows), table, branch, order, skip, [])
            for index, row in enumerate(table.rows):
                if short <= len(row) < width:  # only optional cells left off the end: they read as empty
                    row = row + [""] * (width - len(row))
                if not any(row):  # Frictionless would see the branch cell and miss a blank row
                    line = table.lines[index]
                    if out.keeps(table.path, "blank-row", line, branch):
                        out.problems.append(make("blank-row", table.path, line, branch=branch))
                    out.bad_rows.setdefault(table.path, set()).add(line)
                    continue
                if len(row) > width:  # one problem for the row, however wide: never a problem per extra cell
                    line = table.lines[index]
                    if out.keeps(table.path, "extra-cell", line, branch):
                        out.problems.append(make("extra-cell", table.path, line, column=width + 1, branch=branch,
                                                 more=f"（多出 {len(row) - width:,} 个）",
                                                 more_en=f" ({len(row) - width:,} more)"))
                    out.bad_rows.setdefault(table.path, set()).add(line)
                    continue
                cells: list[Any] = [branch, *(row if identity else reordered(row, order))]
                found = out.found
                for position, cell_format in typed:
                    if position + 1 < len(cells) and cells[position + 1]:
                        cells[position + 1] = strict_cell(cells[position + 1], cell_format, descriptor, position,
                                                          table, index, order, skip, out, branch)
                if out.found > found and name not in targets:
                    continue  # unusable already; no other table refers to its keys: Frictionless need not see it
                merged.rows.append(cells)
                segment.indices.append(index)
            merged.segments.append(segment)
            merged.starts.append(segment.start)

    def validate(self, out: Validated) -> None:
        """Run Frictionless over the merged tables; problems on the files and lines a person sees.

        Each resource is validated with a checklist whose `match` asks the caps first: Frictionless keeps
        an error only while its file lists fewer than the caps allow, so a file with 200,000 wrong rows
        holds 20 errors, not 200,000 (each with a copy of its row), whatever the records.
        """
        if not self.merged:
            return
        resources, merged_of = [], {}
        for (name, with_fk), merged in sorted(self.merged.items()):
            header = [BRANCH] + [f["name"] for f in self.standards.table_schemas[name]["fields"]]
            resource_name = name if with_fk or name == "members" else f"{name}-without-foreign-keys"
            merged_of[resource_name] = (name, merged)
            resources.append(Resource(name=resource_name, data=Rows([header, *merged.rows]),
                                      schema=self.standards.compiled.table(name, with_fk)))
        Package(resources=resources)  # foreign keys find their target resource through the package
        reported: set[tuple] = set()
        for resource in resources:
            name, merged = merged_of[resource.name]
            checklist = Checklist()
            checklist.match = functools.partial(_admit, merged=merged, out=out)  # type: ignore[method-assign]  # Frictionless's own hook
            for error in resource.validate(checklist, limit_errors=sys.maxsize).tasks[0].errors:
                origin = merged.origin((getattr(error, "row_number", None) or 0) - 2)
                if origin is not None:  # the merged header comes from the schema: no header errors arise
                    from_frictionless(error, origin, merged, self.standards.table_schemas[name], out, reported)


def _admit(error, merged: Merged, out: Validated) -> bool:
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


def _fk_targets_present(descriptor: dict, present: set[str]) -> bool:
    return all(fk.get("reference", {}).get("resource") in present for fk in descriptor.get("foreignKeys", []))
