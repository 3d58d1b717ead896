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
