"""The CSV reader's fast path (no quoted cell: one record per line) gives the rows and lines of the careful path."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.records.textfile import parse_csv, parse_csv_by_line

# Separators, every kind of line break, blanks and text: what decides where a record starts.
pieces = st.sampled_from(["a", ",", "\n", "\r", "\r\n", " ", "1", "中", "\t", ",,", "\n\n"])


@settings(max_examples=2000)  # each example is a few microseconds
@given(st.lists(pieces, max_size=30))
def test_unquoted_csv_reads_the_same_both_ways(parts):
    text = "".join(parts)
    fast, careful = parse_csv(text, "x.csv"), parse_csv_by_line(text, "x.csv")
    assert fast[1] == careful[1]
    if careful[0] is not None:
        assert (fast[0].header, fast[0].rows, fast[0].lines) == (careful[0].header, careful[0].rows, careful[0].lines)


def test_lines_follow_blank_lines_and_carriage_returns():
    table, problems = parse_csv("id,date\r\nm1,2025-01-01\r\n\r\nm2,2025-02-01\rm3,x\n", "x.csv")
    assert not problems
    assert table.rows == [["m1", "2025-01-01"], [], ["m2", "2025-02-01"], ["m3", "x"]]
    assert table.lines == [2, 3, 4, 5]


def test_quoted_cells_spanning_lines_keep_their_starting_line():
    table, _ = parse_csv('id,topic\nm1,"two\nlines"\nm2,x\n', "x.csv")
    assert table.rows == [["m1", "two\nlines"], ["m2", "x"]] and table.lines == [2, 4]


def test_equal_cells_are_one_string_across_files():
    """Dates, kinds and ids repeat across rows and branches: each distinct cell is held once (a 1,000-branch
    college's parsed records took 742 MB with a string per cell, 284 MB so)."""
    from generator.records.textfile import parse_csv

    first, _ = parse_csv("id,date,kind\nm1,2025-03-01,党课\n", "a.csv")
    second, _ = parse_csv('id,date,kind\n"m2",2025-03-01,党课\n', "b.csv")  # the line-by-line reader too
    assert first is not None and second is not None
    assert first.rows[0][1] is second.rows[0][1] and first.rows[0][2] is second.rows[0][2]


def test_released_rows_are_read_again_as_they_were():
    """A table packed for a check lets its rows go once used; reading them again gives the same rows and lines
    (quoted cells over several lines, blank lines), and its row count is known without reading them."""
    text = 'id,topic\r\nm1,"two\nlines"\n\nm2,x\n'
    table, _ = parse_csv(text, "x.csv")
    first = (list(table.header), [list(r) for r in table.rows], list(table.lines))
    table.pack(text)
    table.release()
    assert table.count == 3
    assert (table.header, table.rows, table.lines) == first
    unpacked, _ = parse_csv(text, "y.csv")
    unpacked.release()  # a table that was not packed keeps its rows
    assert unpacked.rows == first[1] and unpacked.count == 3


def test_line_numbers_are_shared_between_tables():
    """A row's line number is one int shared by every table (it ends up in a ledger record: a million of them)."""
    one, _ = parse_csv("a\n" + "x\n" * 400, "one.csv")
    two, _ = parse_csv('a\n"y"\n' + "x\n" * 399, "two.csv")
    assert one.lines == two.lines and all(a is b for a, b in zip(one.lines, two.lines, strict=True))
