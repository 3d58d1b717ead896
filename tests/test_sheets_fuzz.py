"""Any cell values a spreadsheet can hold: reading a sheet never raises, never loses a filled row, and a second
import of the same sheet leaves the file it wrote byte for byte as it was."""

from __future__ import annotations

import datetime as dt

from conftest import REPO
from hypothesis import given
from hypothesis import strategies as st

from generator.records.textfile import parse_csv
from generator.sheets.layout import layouts
from generator.sheets.sheetrows import read_table
from generator.sheets.tables import rebuild
from generator.sheets.workbook import Sheet
from generator.standards.catalogue import load_standards

LAYOUTS = {layout.table: layout for layout in layouts(load_standards(REPO / "standards"))}
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
