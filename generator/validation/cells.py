"""Checks made on a table before Frictionless sees it: header, strict cell formats, stray spaces, personal data."""

from __future__ import annotations

import re

from generator.problems.catalogue import Problem, make
from generator.records import personal
from generator.records.textfile import CsvTable
from generator.validation import cellformat
from generator.validation.merged import ABSENT
from generator.validation.optional import optional_columns
from generator.validation.table_problems import TYPE_ZH, type_hint
from generator.validation.validated import Validated, report_personal

_FULLWIDTH = re.compile(r"[\uff01-\uff5e\u3000]")
# A cell that starts or ends with whitespace, in cells joined by NUL (textfile rejects NUL in records).
_STRAY = re.compile(r"(?:^|\x00)\s|\s(?:\x00|$)")
_SPACE = re.compile(r"\s")


def header_order(table: CsvTable, descriptor: dict, out: Validated, branch: str) -> list[int] | None:
    """Map schema fields to file columns; None when the header cannot be used."""
    expected = [f["name"] for f in descriptor["fields"]]
    shown = ",".join(expected)
    header = [h.strip() for h in table.header]
    before = out.found
    for number, name in enumerate(table.header, start=1):
        report_personal(name, table.path, 1, None, branch, out, column=number)
    seen: set[str] = set()
    for number, name in enumerate(header, start=1):
        code = ("blank-label" if not name else "duplicate-label" if name in seen
                else "extra-label" if name not in expected else None)
        seen.add(name)
        if code and out.keeps(table.path, code, 1, branch):  # a 40,000-column header: 20 problems made, not 40,000
            out.problems.append(make(code, table.path, 1, name or None, column=number, branch=branch, number=number,
                                     name=name, expected=shown))
    optional = optional_columns(descriptor)
    for name in expected:
        if name not in header and name not in optional:
            out.add(make("missing-label", table.path, 1, name, branch=branch, name=name, expected=shown))
    if out.found > before:
        return None
    return [header.index(name) if name in header else ABSENT for name in expected]


def screen_cells(table: CsvTable, descriptor: dict, order: list[int], out: Validated, branch: str) -> set[tuple]:
    """Checks Frictionless does not make: stray spaces, full-width digits, personal data."""
    skip: set[tuple] = set()
    # One scan of the whole table decides which checks can find anything; most tables are clean.
    blob = "\x00\x00".join("\x00".join(row) for row in table.rows)
    spaces = _SPACE.search(blob) is not None and _STRAY.search(blob) is not None  # most tables have no space
    fullwidth = not blob.isascii() and _FULLWIDTH.search(blob) is not None
    private = personal.in_cells(blob)
    if not (spaces or fullwidth or private):
        return skip
    types = {f["name"]: f.get("type", "string") for f in descriptor["fields"]}
    names = [f["name"] for f in descriptor["fields"]]
    for row, line in zip(table.rows, table.lines, strict=True):
        for name, index in zip(names, order, strict=True) if spaces or fullwidth else ():
            value = row[index] if index < len(row) else ""
            if not value:
                continue
            code = None
            if value != value.strip():
                code = "stray-whitespace"
            elif types[name] != "string" and _FULLWIDTH.search(value):
                code = "fullwidth-digits"
            if code:
                if out.keeps(table.path, code, line, branch):  # made only when listed
                    out.problems.append(make(code, table.path, line, name, column=index + 1, branch=branch,
                                             value=personal.quote(value)))
                skip.add((line, name))
                out.bad_rows.setdefault(table.path, set()).add(line)
        if private and personal.contains("\x00".join(row)):
            for index, value in enumerate(row):
                name = table.header[index] if index < len(table.header) else None
                report_personal(value, table.path, line, name, branch, out, column=index + 1)
    return skip


def strict_cell(cell: str, cell_format: cellformat.CellFormat, descriptor: dict, position: int, table: CsvTable,
                index: int, order: list[int], skip: set[tuple], out: Validated, branch: str) -> object:
    """The cell as Frictionless should read it (a date object for a good date), or "" with a problem when it
    does not fully match its format (see cellformat); Frictionless then skips the cell (it is in `skip`)."""
    value, wrong = cell_format.read(cell)
    if wrong is None:
        return value
    line, name = table.lines[index], cell_format.name
    if (line, name) not in skip:  # stray spaces or full-width digits were reported already
        code = "type-error" if wrong == "type" else "constraint-error"
        if out.keeps(table.path, code, line, branch):  # made only when listed: 199,000 bad dates cost little
            column = order[position] + 1 if position < len(order) else None
            out.problems.append(_format_problem(code, cell, cell_format, descriptor["fields"][position], table.path,
                                                line, column, branch))
        skip.add((line, name))
        out.bad_rows.setdefault(table.path, set()).add(line)
    return ""


def _format_problem(code: str, cell: str, cell_format: cellformat.CellFormat, field_desc: dict, path: str, line: int,
                    column: int | None, branch: str) -> Problem:
    """The type-error or constraint-error of a cell that does not fully match its format (never the regex)."""
    shown, name = personal.quote(cell), cell_format.name
    if code == "type-error":
        kind = field_desc.get("type", "")
        return make("type-error", path, line, name, column=column, branch=branch, value=shown,
                    type=kind, type_zh=TYPE_ZH.get(kind, "取值"), hint=type_hint(cell, field_desc), hint_en="")
    pattern = cell_format.pattern.pattern if cell_format.pattern else ""
    return make("constraint-error", path, line, name, column=column, branch=branch, value=shown,
                detail=f"格式不对。{field_desc.get('description', '')}".strip().rstrip("。"),
                detail_en=f'constraint "pattern" is "{pattern}"')
