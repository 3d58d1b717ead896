"""`zhibu import`: a filled workbook back to the branch's CSV files, then the full check on the result.

Nothing is written here until the caller asks (write_tables): the check runs on a copy of the records with
the new files in place, and its problems on those files are located back in the workbook (会议!C14).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from generator.problems.catalogue import ERROR
from generator.records.textfile import CsvTable
from generator.sheets.branchfiles import BranchRecords, branch_codes, read_branch
from generator.sheets.layout import GUIDE, LISTS, TableLayout, layouts
from generator.sheets.problems import SheetProblem, sheet_problem
from generator.sheets.recheck import change_summary, check_tables
from generator.sheets.sheetrows import SheetTable, find_sheet, read_table
from generator.sheets.tables import SheetRow, rebuild
from generator.sheets.whose import appends, branch_of, named_branch
from generator.sheets.workbook import Workbook, WorkbookError, read_workbook
from generator.standards.catalogue import load_standards


@dataclass
class TableImport:
    table: str
    path: str  # the CSV file, relative to the repository root
    read: SheetTable
    old: str | None  # the file's text now (None: no such file)
    new: str | None  # the file's text after the import (None: no sheet for it, the file stays as it is)
    lines: dict[int, int] = field(default_factory=dict)  # new file's line -> sheet row (from 0)

    @property
    def changed(self) -> bool:
        return self.new is not None and self.new != self.old


@dataclass
class ImportResult:
    branch: BranchRecords
    as_of: dt.date
    tables: list[TableImport]
    problems: list[SheetProblem]
    changes: list[str]  # the change summary the pull request will show
    severities: dict[str, str]  # each problem severity's name (vocabulary.yaml problem_severities)

    @property
    def errors(self) -> list[SheetProblem]:
        return [p for p in self.problems if p.severity == ERROR]


def import_workbook(root: Path, path: Path, code: str | None = None, as_of: dt.date | None = None) -> ImportResult:
    """Read the workbook, rebuild the branch's CSV texts and check them; WorkbookError when it cannot be read."""
    book = read_workbook(path)
    standards = load_standards(root / "standards")
    branch = read_branch(root, branch_of(book, code, branch_codes(root), path.name))
    if as_of is None:
        from generator.pipeline import default_as_of

        as_of = default_as_of(root)[0]
    tables, problems = rebuild_tables(book, layouts(standards), branch, appends(book))
    if not any(t.read.sheet for t in tables):
        raise WorkbookError("workbook-no-records", f"{path.name} 中没有记录工作表（名册、会议、党费……）。"
                            f"请用 zhibu template {branch.code} 生成的工作簿填写。")
    if named_branch(book) is None and not appends(book):
        _same_roster(tables, branch, path.name)
    for t in tables:
        problems += t.read.problems
    problems += _stray_sheets(book, tables)
    problems += check_tables(root, branch, tables, as_of)
    return ImportResult(branch=branch, as_of=as_of, tables=tables, problems=problems,
                        changes=change_summary(tables, standards.vocab),
                        severities=standards.vocab.labels("problem_severities"))


def write_tables(root: Path, result: ImportResult) -> list[str]:
    """Write the changed CSV files into the records; the paths written."""
    written = []
    for t in result.tables:
        if t.changed and t.new is not None:
            (root / t.path).write_text(t.new, encoding="utf-8", newline="")
            written.append(t.path)
    return written


def rebuild_tables(book: Workbook, tables: list[TableLayout], branch: BranchRecords,
            append: bool) -> tuple[list[TableImport], list[SheetProblem]]:
    """Each table's new text; with `append` (a blank workbook) the sheet's rows follow the records' own rows."""
    out, problems, claimed = [], [], {GUIDE}
    for layout in tables:
        path = f"{branch.folder}/{layout.table}.csv"
        old_table, old_text = branch.tables.get(layout.table), branch.texts.get(layout.table)
        if layout.table in branch.unreadable:  # never replaced by a sheet: what the file holds is unknown
            problems.append(sheet_problem("record-file-unreadable", None, path=path, file=f"{layout.table}.csv",
                                          folder=branch.folder))
            out.append(TableImport(layout.table, path, SheetTable(layout=layout), None, None))
            continue
        sheet, header_row = find_sheet(book, layout, claimed)
        if sheet is None:
            if old_table is not None and old_table.rows and not append:
                problems.append(sheet_problem("sheet-missing", None, path=path, sheet=layout.sheet,
                                              file=f"{layout.table}.csv", rows=len(old_table.rows)))
            out.append(TableImport(layout.table, path, SheetTable(layout=layout), old_text, None))
            continue
        claimed.add(sheet.name)
        if sheet.name != layout.sheet:
            problems.append(sheet_problem("sheet-renamed", sheet.name, path=path, sheet=layout.sheet, name=sheet.name,
                                          file=f"{layout.table}.csv"))
        read = read_table(sheet, header_row, layout, None if append else old_table, path)
        if (old_table is None or append) and not read.rows:  # nothing to add, or an optional table left empty
            out.append(TableImport(layout.table, path, read, old_text, None))
            continue
        rows = _kept(old_table) + read.rows if append else read.rows
        rebuilt = rebuild(layout, old_text, old_table, rows)
        out.append(TableImport(layout.table, path, read, old_text, rebuilt.text, rebuilt.rows))
    return out, problems


def _same_roster(tables: list[TableImport], branch: BranchRecords, filename: str) -> None:
    """A whole-table workbook without its guide whose roster shares no member with the branch's is another
    branch's workbook (--branch named the wrong one): refused before anything could be replaced."""
    members = next((t for t in tables if t.table == "members"), None)
    old = branch.tables.get("members")
    if members is None or old is None or "id" not in old.header:
        return
    theirs = {row.cells.get("id", "") for row in members.read.rows} - {""}
    ours = {cells[old.header.index("id")] for cells in old.rows if len(cells) > old.header.index("id")} - {""}
    if theirs and ours and not theirs & ours:
        raise WorkbookError("workbook-other-branch", f"{filename} 的名册中没有一名党员是支部 {branch.code} 的党员，"
                            "看来是另一个支部的工作簿。请确认选对了文件和 --branch。")


def _stray_sheets(book: Workbook, tables: list[TableImport]) -> list[SheetProblem]:
    """Sheets that hold no record table but have content: said once each, since nothing in them is imported."""
    used = {t.read.sheet for t in tables} | {GUIDE, LISTS}
    return [sheet_problem("sheet-unknown", sheet.name, name=sheet.name) for sheet in book.sheets.values()
            if sheet.name not in used and any(v not in (None, "") for row in sheet.rows for v in row)]


def _kept(old: CsvTable | None) -> list[SheetRow]:
    """The records' own rows, first in an appended table (row -1: they are in no sheet)."""
    if old is None:
        return []
    return [SheetRow(row=-1, cells=dict(zip(old.header, cells, strict=False))) for cells in old.rows if cells]
