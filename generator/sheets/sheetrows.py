"""One sheet of a filled workbook as rows of CSV text: which sheet holds the table, which column each field,
and what in the sheet would lose data (merged cells, a missing column) as problems located like 会议!C14."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.records.textfile import CsvTable
from generator.sheets.cells import cell_text, decimal_places
from generator.sheets.layout import GUIDE, LISTS, TableLayout, cell_name, field_of_header
from generator.sheets.problems import SheetProblem, sheet_problem
from generator.sheets.tables import SheetRow
from generator.sheets.workbook import Sheet, Workbook

HEADER_SEARCH = 10  # a secretary may put a title row or two above the header


@dataclass
class SheetTable:
    """A table as read from its sheet; `sheet` is None when the workbook has no sheet for it."""

    layout: TableLayout
    sheet: str | None = None
    columns: dict[str, int] = field(default_factory=dict)  # field -> column (from 0)
    rows: list[SheetRow] = field(default_factory=list)
    problems: list[SheetProblem] = field(default_factory=list)


def find_sheet(book: Workbook, layout: TableLayout, claimed: set[str]) -> tuple[Sheet | None, int]:
    """The sheet named for the table, else the one whose header names its fields (a renamed sheet); header row."""
    named = book.sheets.get(layout.sheet)
    if named is not None:
        return named, _header_row(named, layout)[0]
    best: tuple[int, Sheet | None, int] = (0, None, 0)
    for sheet in book.sheets.values():
        if sheet.name in claimed or sheet.name in (GUIDE, LISTS):
            continue
        row, found = _header_row(sheet, layout)
        if found > best[0] and found * 2 >= len([c for c in layout.columns if not c.optional]):
            best = (found, sheet, row)
    return best[1], best[2]


def _header_row(sheet: Sheet, layout: TableLayout) -> tuple[int, int]:
    """The first row naming at least two of the table's fields (or its only one), and how many it names."""
    need = min(2, len(layout.columns))
    for index, row in enumerate(sheet.rows[:HEADER_SEARCH]):
        found = len({f for f in (field_of_header(v, layout) for v in row) if f})
        if found >= need:
            return index, found
    return 0, 0


def read_table(sheet: Sheet, header_row: int, layout: TableLayout, old: CsvTable | None, path: str) -> SheetTable:
    """The sheet's filled rows as CSV text per field; empty rows are skipped, nothing else is dropped."""
    out = SheetTable(layout=layout, sheet=sheet.name)
    header = sheet.rows[header_row] if header_row < len(sheet.rows) else []
    unknown = []
    for col, value in enumerate(header):
        name = field_of_header(value, layout)
        if name is None:
            if _filled(value) or any(_filled(_at(r, col)) for r in sheet.rows[header_row + 1:]):
                unknown.append(col)
        elif name in out.columns:
            out.problems.append(sheet_problem("sheet-column-duplicate", cell_name(sheet.name, header_row, col),
                                              path=path, field=name, first=cell_name(sheet.name, header_row,
                                                                                     out.columns[name])))
        else:
            out.columns[name] = col
    for col in unknown:
        out.problems.append(sheet_problem("sheet-column-unknown", cell_name(sheet.name, header_row, col), path=path,
                                          header=str(_at(header, col) or "（空表头）")[:30]))
    _missing_columns(out, layout, old, sheet.name, header_row, path)
    _merged(out, sheet, header_row, path)
    fields = [(name, col, column, decimal_places(_old_texts(old, name)))
              for name, col in out.columns.items() if (column := layout.column(name)) is not None]
    for index in range(header_row + 1, len(sheet.rows)):
        row = sheet.rows[index]
        cells = {name: cell_text(row[col] if col < len(row) else None, column, places)
                 for name, col, column, places in fields}
        if any(cells.values()):
            out.rows.append(SheetRow(row=index, cells=cells))
    return out


def _missing_columns(out: SheetTable, layout: TableLayout, old: CsvTable | None, sheet: str, header_row: int,
                     path: str) -> None:
    for column in layout.columns:
        if column.name in out.columns:
            continue
        if column.constraints.get("required") or any(_old_texts(old, column.name)):
            out.problems.append(sheet_problem("sheet-column-missing", cell_name(sheet, header_row, 0), path=path,
                                              field=column.name, title=column.title))


def _merged(out: SheetTable, sheet: Sheet, header_row: int, path: str) -> None:
    for (top, left), (bottom, right) in sheet.merged:
        if bottom <= header_row:
            continue
        where = f"{cell_name(sheet.name, top, left)}:{cell_name(sheet.name, bottom, right).split('!')[1]}"
        out.problems.append(sheet_problem("sheet-merged-cells", where, path=path))


def _old_texts(old: CsvTable | None, name: str) -> list[str]:
    if old is None or name not in old.header:
        return []
    index = old.header.index(name)
    return [row[index] for row in old.rows if index < len(row) and row[index] != ""]


def _at(row: list[Any], col: int) -> Any:
    return row[col] if col < len(row) else None


def _filled(value: Any) -> bool:
    return value is not None and str(value).strip() != ""
