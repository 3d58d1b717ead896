"""One workbook cell back to the text a CSV cell holds, the way the records write it.

What spreadsheet programs do to a value is undone here: a date cell, an Excel date serial, a date typed
as text (2025/3/1, 2025年3月1日), full-width digits, stray spaces, 18.0 for 18, a month turned into a date.
What cannot be undone is left as the secretary wrote it, so the check names the cell and says how to fix it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from decimal import Decimal, InvalidOperation
from typing import Any

from generator.sheets.layout import Column

_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_DAY = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT_DAY = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's phantom 1900-02-29 ignored: before 1900-03-01)
_SERIALS = range(1, 2958466)  # up to 9999-12-31
DECIMAL = re.compile(r"^-?[0-9]+(\.([0-9]+))?$")
_DIGITS = re.compile(r"^[0-9]+$")


def cell_text(value: Any, column: Column, places: int) -> str:
    """The CSV text for a cell of this column; `places` is how many decimals the column's numbers show."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m") if column.is_month else value.isoformat()
    if isinstance(value, int | float):
        return _number(float(value), column, places)
    if isinstance(value, dt.time | dt.timedelta):
        return str(value)
    return _text(str(value), column, places)


def _number(value: float, column: Column, places: int) -> str:
    if column.type == "date" and value.is_integer() and int(value) in _SERIALS:
        return (_EXCEL_EPOCH + dt.timedelta(days=int(value))).isoformat()  # a date cell that lost its format
    if column.type == "number" and places:
        fixed = f"{value:.{places}f}"
        return fixed if float(fixed) == value else repr(value)
    if value.is_integer():
        return str(int(value))
    return repr(value)


def _text(text: str, column: Column, places: int) -> str:
    # A line break inside a cell is LF in the records: a lone CR would end the CSV row (the writer does not quote it).
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if column.type == "string" and not column.is_month and not column.constraints.get("pattern"):
        return text.strip()  # free text (a topic) keeps its full-width punctuation
    text = text.translate(_FULLWIDTH).strip()
    if column.type == "date":
        return _day(text)
    if column.is_month:
        found = _MONTH.match(text)
        return f"{found.group(1)}-{int(found.group(2)):02d}" if found else text
    if column.type in ("integer", "number"):
        try:
            number = Decimal(text.replace(",", ""))
        except InvalidOperation:
            return text
        return _number(float(number), column, places) if number.is_finite() else text
    return text


def _day(text: str) -> str:
    found = _DAY.match(text) or _COMPACT_DAY.match(text)
    if not found:
        return text
    year, month, day = (int(part) for part in found.groups())
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return text  # 2025-02-30: the check says it is no date


def same_value(column: Column, new: str, old: str) -> bool:
    """The old text reads as the new one (44.20 and 44.2; 2025/3/1 and 2025-03-01): the old text is kept, so a
    row the secretary did not touch stays as it was, even where it was not written the records' way."""
    if new == old:
        return True
    if column.type in ("integer", "number"):
        try:
            if Decimal(new) == Decimal(old):
                return True
        except InvalidOperation:
            pass
    # An id of digits a spreadsheet program stored as a number (007 → 7): the text it had is kept.
    if _DIGITS.match(new) and _DIGITS.match(old) and old.startswith("0") and int(new) == int(old):
        return True
    return _text(old, column, decimal_places([old])) == new


def decimal_places(texts: list[str]) -> int:
    """The number of decimals the column's numbers are usually written with (44.20 → 2; none written → 0)."""
    counted = Counter(len(m.group(2) or "") for m in map(DECIMAL.match, texts) if m)
    return counted.most_common(1)[0][0] if counted else 0
