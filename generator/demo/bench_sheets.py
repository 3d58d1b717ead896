"""`make bench`, workbooks: zhibu template and zhibu import for the largest demo branch and a 1,000-member branch."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
import time
from pathlib import Path

AS_OF = dt.date(2026, 11, 20)
BIG_MEMBERS = 1000


def report(root: Path) -> None:
    """Print seconds and bytes; `root` is a scratch copy of the demo project (one branch is enlarged)."""
    from generator.sheets.branchfiles import branch_codes

    folders = branch_codes(root)
    largest = max(folders, key=lambda code: sum(f.stat().st_size for f in (root / folders[code]).glob("*.csv")))
    _figures(root, largest, f"largest demo branch ({largest})")
    _enlarge(root / folders[largest])
    _figures(root, largest, f"{BIG_MEMBERS:,}-member synthetic branch (+{BIG_MEMBERS * 12:,} dues rows)")


def _figures(root: Path, code: str, label: str) -> None:
    from generator.sheets import importer
    from generator.sheets.branchfiles import read_branch
    from generator.sheets.layout import layouts
    from generator.sheets.template import branch_template
    from generator.sheets.workbook import read_workbook
    from generator.standards.catalogue import load_standards

    (made, made_cpu), data = _timed(branch_template, root, code, AS_OF)
    rows = sum(len(t.rows) for t in read_branch(root, code).tables.values())
    standards = load_standards(root / "standards")
    with tempfile.TemporaryDirectory(prefix="zhibu-bench-sheets-") as tmp:
        path = Path(tmp) / f"{code}.xlsx"
        path.write_bytes(data)
        (mapped, mapped_cpu), _ = _timed(lambda: importer.rebuild_tables(read_workbook(path), layouts(standards),
                                                                   read_branch(root, code), False))
        (whole, whole_cpu), result = _timed(importer.import_workbook, root, path, None, AS_OF)
    changed = sum(t.changed for t in result.tables)
    print(f"workbook, {label}, {rows:,} rows: template {made:.2f} s ({made_cpu:.2f} s CPU), {len(data) / 1024:.0f} kB; "
          f"import {whole:.2f} s ({whole_cpu:.2f} s CPU) with the full check, of which reading the workbook and "
          f"rebuilding the CSV {mapped:.2f} s ({mapped_cpu:.2f} s CPU); files changed by the round trip: {changed}")


def _timed(function, *args):
    """Wall-clock and CPU seconds (the machine may be shared: CPU time shows the cost itself)."""
    wall, cpu = time.perf_counter(), time.process_time()
    value = function(*args)
    return (time.perf_counter() - wall, time.process_time() - cpu), value


def _enlarge(folder: Path) -> None:
    """Add 1,000 members joined on 2025-01-01 and a year of their dues (they pay on the 10th)."""
    ids = [f"pz{i:06d}" for i in range(BIG_MEMBERS)]
    with (folder / "members.csv").open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        for i, member in enumerate(ids):
            category = "学生" if i % 3 else "教职工"
            writer.writerow([member, category, "", "2024-01-01", "2025-01-01", "2025-01-01", "", ""])
    with (folder / "dues.csv").open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        for month in range(1, 13):
            for i, member in enumerate(ids):
                due = "0.20" if i % 3 else "35.50"
                writer.writerow([f"2025-{month:02d}", member, due, due, f"2025-{month:02d}-10"])
