"""Any cell values a spreadsheet can hold: reading a sheet never raises, never loses a filled row, and a second
import of the same sheet leaves the file it wrote byte for byte as it was."""

from __future__ import annotations

import datetime as dt

from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.records.textfile import parse_csv
from generator.sheets.layout import layouts
from generator.sheets.sheetrows import read_table
from generator.sheets.tables import rebuild
from generator.sheets.workbook import Sheet
from generator.standards.catalogue import load_standards

STANDARDS = load_standards(REPO / "standards")
LAYOUTS = {layout.table: layout for layout in layouts(STANDARDS)}
PATH = "records/u/b/meetings.csv"

values = st.one_of(
    st.none(), st.just(""), st.text(max_size=30),
    st.sampled_from(["  g1 ", "２０２５-０３-０１", "2025/3/1", "007", "=1+1", 'a,"b"\nc', "2025年3月1日", "50.0",
                     "1e3", "x\ry", "\u2028"]),
    st.integers(min_value=-10**12, max_value=10**12), st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1900, 1, 1)), st.datetimes(min_value=dt.datetime(1900, 1, 1)), st.booleans(),
)


@given(table=st.sampled_from(sorted(LAYOUTS)), body=st.lists(st.lists(values, max_size=12), max_size=12),
       shuffle=st.randoms(use_true_random=False))
def test_any_sheet_reads_without_loss_and_a_second_import_changes_nothing(table, body, shuffle):
    layout = LAYOUTS[table]
    header = [c.header for c in layout.columns]
    shuffle.shuffle(header)  # a secretary may reorder the columns
    sheet = Sheet(name=layout.sheet, rows=[header, *body])
    read = read_table(sheet, 0, layout, None, PATH)
    filled = [i + 1 for i, row in enumerate(body)
              if any(v not in (None, "") and str(v).strip() for v in row[:len(header)])]
    assert [r.row for r in read.rows] == filled  # every row with a value in a column of the table, in order
    first = rebuild(layout, None, None, read.rows)
    parsed, problems = parse_csv(first.text, PATH)
    assert not problems and parsed is not None
    assert [dict(zip(parsed.header, cells, strict=True)) for cells in parsed.rows] == [
        {name: row.cells.get(name, "") for name in parsed.header} for row in read.rows]
    assert sorted(first.rows.values()) == filled  # each CSV line points back at its sheet row
    again = rebuild(layout, first.text, parsed, read_table(sheet, 0, layout, parsed, PATH).rows)
    assert again.text == first.text


texts = st.text(st.characters(categories=("L", "N", "P", "S", "Zs")), max_size=20)
numbers = st.one_of(st.integers(0, 10**6).map(str), st.decimals(0, 10**5, places=2).map(str), st.just("007"),
                    st.just("1.50"), st.just("-3"), texts)
days = st.one_of(st.dates(dt.date(1900, 3, 1), dt.date(2099, 12, 31)).map(dt.date.isoformat), st.just("2025-02-30"),
                 st.just("2025/3/1"), texts)
years = st.one_of(st.integers(1900, 2099).map(str), st.just("2025年"), texts)
CELLS = {"string": texts, "integer": numbers, "number": numbers, "date": days, "year": years}


@settings(deadline=None)  # a workbook is written and read for each example
@given(table=st.sampled_from(sorted(LAYOUTS)), data=st.data())
def test_any_records_go_through_a_workbook_and_back_byte_for_byte(tmp_path_factory, table, data):
    """Template, then import of the untouched workbook: whatever the CSV holds, the file comes back unchanged."""
    import csv
    import io

    from generator.sheets.branchfiles import BranchRecords
    from generator.sheets.template import write_workbook
    from generator.sheets.workbook import read_workbook

    layout = LAYOUTS[table]
    width = data.draw(st.integers(len([c for c in layout.columns if not c.optional]), len(layout.columns)))
    columns = layout.columns[:width]
    cells = st.tuples(*(st.one_of(st.just(""), CELLS[c.type]) for c in columns))
    # A row of nothing but blanks and spaces is dropped by the import (cells are read trimmed): the check never
    # accepts such a row (its required cells are empty, its spaces stray), so only rows with content must return
    rows = data.draw(st.lists(cells.filter(lambda row: any(c.strip() for c in row)), max_size=8))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([[c.name for c in columns], *rows])
    text = out.getvalue()
    old, problems = parse_csv(text, PATH)
    assert old is not None and not problems
    branch = BranchRecords(code="b", folder="records/u/b", name="支部", groups=["g1"], tables={table: old},
                           texts={table: text})
    path = tmp_path_factory.mktemp("fuzz") / "b.xlsx"
    path.write_bytes(write_workbook(STANDARDS, branch, dt.date(2025, 3, 31)))
    sheet = read_workbook(path).sheets[layout.sheet]
    read = read_table(sheet, 0, layout, old, PATH)
    assert rebuild(layout, text, old, read.rows).text == text
