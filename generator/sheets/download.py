"""The open data's tables as .xlsx beside their CSV files: Chinese Excel opens them without garbling UTF-8.

Every text is written as a text cell (formula conversion off, write_string), so a value such as =1+1 or
@SUM(1) is shown as it is and never run; numbers are numbers, dates are dates shown as yyyy-mm-dd. Unlike the
CSV files no apostrophe is needed in front of a formula start: a text cell of an .xlsx is never a formula.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from itertools import chain, islice
from pathlib import Path

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from generator.sheets.layout import display_width

# Rows go to a temporary file as they are written (constant_memory): compliance.xlsx of 6,000 branches is 1.8
# million rows, which an in-memory workbook held as cell objects (gigabytes).
OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
           "strings_to_urls": False}
EXCEL_TEXT_LIMIT = 32_767  # characters in one cell
SHEET_ROWS = 1_048_576 - 1  # data rows on one sheet: Excel's 1,048,576 rows less the header
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def write_table_workbook(target: Path, title: str, header: list[str], rows: Iterable[Sequence[object]],
                         types: dict[str, str], as_of: dt.date) -> None:
    """The table on sheet "data", and where it has more rows than a sheet holds, on "data (2)", "data (3)" …,
    each with the header (XlsxWriter would silently drop the rows beyond the last one). The same rows and as-of
    date give the same bytes."""
    book = xlsxwriter.Workbook(str(target), OPTIONS)
    book.set_properties({"title": title, "author": "zhibu", "created": dt.datetime(as_of.year, as_of.month, as_of.day)})
    bold = book.add_format({"bold": True, "bottom": 1})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    rows = iter(rows)
    first = list(islice(rows, 500))  # the columns' widths follow the first rows
    widths = [min(max([display_width(name), *(display_width(_text(r[col])[:60]) for r in first)]) + 2, 60)
              for col, name in enumerate(header)]
    sheet, number = None, SHEET_ROWS
    for row in chain(first, rows):
        if number == SHEET_ROWS:  # a new sheet: the first, or the next when this one is full
            sheet, number = _sheet(book, header, widths, bold), 0
        number += 1
        for col, (name, value) in enumerate(zip(header, row, strict=True)):
            _write(sheet, number, col, types.get(name, "string"), value, day)
    if sheet is None:
        _sheet(book, header, widths, bold)
    book.close()


def _sheet(book: xlsxwriter.Workbook, header: list[str], widths: list[int], bold: Format) -> Worksheet:
    count = len(book.worksheets())
    sheet = book.add_worksheet("data" if not count else f"data ({count + 1})")
    sheet.freeze_panes(1, 0)
    for col, name in enumerate(header):
        sheet.set_column(col, col, widths[col])
        sheet.write_string(0, col, name, bold)
    return sheet


def _write(sheet: Worksheet, row: int, col: int, kind: str, value: object, day: Format) -> None:
    if value is None or value == "":
        return
    if kind in ("integer", "number") and isinstance(value, int | float) and not isinstance(value, bool):
        sheet.write_number(row, col, value)
    elif kind in ("integer", "number") and isinstance(value, str) and _NUMBER.match(value):
        sheet.write_number(row, col, float(value) if "." in value else int(value))
    elif kind == "date" and isinstance(value, dt.date):
        sheet.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), day)
    else:
        sheet.write_string(row, col, _text(value)[:EXCEL_TEXT_LIMIT])


def _text(value: object) -> str:
    return "" if value is None else str(value)
