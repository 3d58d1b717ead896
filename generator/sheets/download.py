"""The open data's tables as .xlsx beside their CSV files: Chinese Excel opens them without garbling UTF-8.

Every text is written as a text cell (formula conversion off, write_string), so a value such as =1+1 or
@SUM(1) is shown as it is and never run; numbers are numbers, dates are dates shown as yyyy-mm-dd. Unlike the
CSV files no apostrophe is needed in front of a formula start: a text cell of an .xlsx is never a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from generator.sheets.layout import display_width

OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
EXCEL_TEXT_LIMIT = 32_767  # characters in one cell
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def table_workbook(title: str, header: list[str], rows: Sequence[Sequence[object]], types: dict[str, str],
                   as_of: dt.date) -> bytes:
    """One sheet holding the table; the same rows and as-of date give the same bytes."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, OPTIONS)
    book.set_properties({"title": title, "author": "zhibu", "created": dt.datetime(as_of.year, as_of.month, as_of.day)})
    bold = book.add_format({"bold": True, "bottom": 1})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet("data")
    sheet.freeze_panes(1, 0)
    for col, name in enumerate(header):
        sheet.write_string(0, col, name, bold)
        width = max([display_width(name), *(display_width(_text(r[col])[:60]) for r in rows[:500])]) + 2
        sheet.set_column(col, col, min(width, 60))
    for number, row in enumerate(rows, start=1):
        for col, (name, value) in enumerate(zip(header, row, strict=True)):
            _write(sheet, number, col, types.get(name, "string"), value, day)
    book.close()
    return buffer.getvalue()


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
