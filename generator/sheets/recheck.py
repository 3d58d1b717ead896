"""The check on an import's result, its problems located back in the workbook, and the change summary."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from generator.problems.catalogue import Problem
from generator.sheets.branchfiles import BranchRecords
from generator.sheets.layout import SHEETS, cell_name
from generator.sheets.problems import SheetProblem
from generator.sheets.tables import csv_lines
from generator.standards.vocabulary import Vocabulary

if TYPE_CHECKING:
    from generator.sheets.importer import TableImport


def check_tables(root: Path, branch: BranchRecords, tables: list[TableImport], as_of: dt.date) -> list[SheetProblem]:
    """The full check on a copy of the records with the new files in place; this branch's problems, located."""
    from generator.pipeline import run_check

    with tempfile.TemporaryDirectory(prefix="zhibu-import-") as tmp:
        copy = Path(tmp)
        shutil.copytree(root / "records", copy / "records", symlinks=True, ignore=_read_by_the_check(root, branch))
        shutil.copytree(root / "standards", copy / "standards", symlinks=True)
        for t in tables:
            if t.new is not None:
                (copy / t.path).write_text(t.new, encoding="utf-8", newline="")
        run = run_check(copy, [branch.folder], as_of=as_of)
    by_path = {t.path: t for t in tables}
    mine = [p for p in run.problems if p.path.startswith(f"{branch.folder}/") or p.branch == branch.code]
    return [_located(p, by_path.get(p.path)) for p in mine]


def _read_by_the_check(root: Path, branch: BranchRecords) -> Callable[[str, list[str]], set[str]]:
    """What a check of one branch reads of the others is their roster (member-in-two-branches): copy only that,
    not 1.6 million rows of a large college's other tables."""
    mine = (root / branch.folder).resolve()
    records = (root / "records").resolve()

    def ignored(folder: str, names: list[str]) -> set[str]:
        here = Path(folder).resolve()
        if here == mine or len(here.relative_to(records).parts) != 2:
            return set()
        return {name for name in names if name != "members.csv"}
    return ignored


def _located(problem: Problem, table: TableImport | None) -> SheetProblem:
    cell = None
    if table is not None and table.read.sheet is not None and problem.row is not None:
        sheet, row = table.read.sheet, table.lines.get(problem.row)
        column = table.read.columns.get(problem.field or "")
        if row is not None:
            cell = cell_name(sheet, row, column) if column is not None else f"{sheet} 第 {row + 1} 行"
        elif problem.row == 1 and column is not None:
            cell = cell_name(sheet, 0, column)
    return SheetProblem(code=problem.code, severity=problem.severity, message=problem.message, cell=cell,
                        path=problem.path, line=problem.row, field=problem.field)


def change_summary(tables: list[TableImport], vocab: Vocabulary) -> list[str]:
    """The pull request's summary of each changed file, in the words of the changes page."""
    from generator.history.changes_tables import compare_table, read_csv

    lines = []
    for t in tables:
        if not t.changed or t.new is None:
            continue
        old_lines = Counter(csv_lines(t.old or ""))
        new_lines = Counter(csv_lines(t.new))
        kept = sum((old_lines & new_lines).values())
        name = f"{SHEETS.get(t.table, t.table)}（{t.path.rsplit('/', 1)[1]}）"
        try:
            found = compare_table(t.table, read_csv((t.old or "").encode() or None), read_csv(t.new.encode()), None,
                                  vocab)
            words = "；".join(f.text for f in found) or "格式或行序调整"
        except KeyError:  # a table the changes page does not describe yet
            words = "内容有改动"
        added, removed = sum((new_lines - old_lines).values()), sum((old_lines - new_lines).values())
        lines.append(f"{name}：{words}（文件 +{added} −{removed} 行，{kept} 行不变）")
    return lines
