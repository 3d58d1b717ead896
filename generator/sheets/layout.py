"""Which sheet holds which record table, and how its columns are headed (from the Table Schemas)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from generator.standards.catalogue import Standards

SHEETS = {"members": "名册", "meetings": "会议", "dues": "党费", "development": "发展党员", "study": "学习",
          "elections": "选举", "absences": "缺席", "rectification": "整改",
          "appraisal": "民主评议"}
GUIDE = "填写说明"
LISTS = "下拉选项"  # hidden sheet holding the dropdown lists too long for Excel's inline limit
BRANCH_LABEL = "支部代码"
MODE_LABEL = "导入方式"
APPEND, WHOLE = "追加", "整表"  # a blank workbook adds rows; a prefilled one is the whole table
MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
_FIELD = re.compile(r"[a-z][a-z0-9_]*")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    """One field of a table as a workbook column."""

    name: str
    title: str
    type: str  # the Table Schema type: string, date, integer, number
    description: str
    constraints: dict[str, Any]
    optional: bool  # optionalColumn: a CSV file may leave it off the end

    @property
    def header(self) -> str:
        """The Chinese title a secretary reads, with the field name below it for the import."""
        return f"{self.title}\n{self.name}"

    @property
    def is_month(self) -> bool:
        return self.constraints.get("pattern") == MONTH_PATTERN


@dataclass(frozen=True)
class TableLayout:
    """One record table as one sheet."""

    table: str
    sheet: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


def layouts(standards: Standards) -> list[TableLayout]:
    """A layout for every table the standards define, in the standards' order (new tables get a sheet too)."""
    return [_layout(table, schema) for table, schema in standards.table_schemas.items()]


def _layout(table: str, schema: dict[str, Any]) -> TableLayout:
    columns = tuple(Column(name=f["name"], title=f.get("title") or f["name"], type=f.get("type", "string"),
                           description=f.get("description", ""), constraints=f.get("constraints") or {},
                           optional=bool(f.get("optionalColumn"))) for f in schema.get("fields", []))
    key = schema.get("primaryKey") or ()
    return TableLayout(table=table, sheet=sheet_name(table, schema), title=schema.get("title", table),
                       description=schema.get("description", ""), columns=columns,
                       primary_key=(key,) if isinstance(key, str) else tuple(key))


def sheet_name(table: str, schema: dict[str, Any]) -> str:
    """名册, 会议 … for the known tables; a later table is named by its schema title (Excel allows 31 characters)."""
    if table in SHEETS:
        return SHEETS[table]
    title = str(schema.get("title") or table).split("（")[0].split("(")[0].strip() or table
    return _SHEET_FORBIDDEN.sub("", title)[:31]


def field_of_header(text: Any, layout: TableLayout) -> str | None:
    """The field a header cell names: its field name (any line, any case), else its Chinese title."""
    if not isinstance(text, str):
        return None
    names = {c.name for c in layout.columns}
    for word in reversed(_FIELD.findall(text.strip().lower())):
        if word in names:
            return word
    plain = text.strip().split("\n")[0].strip()
    return next((c.name for c in layout.columns if c.title == plain), None)


def column_letter(index: int) -> str:
    """A, B … Z, AA … for a column counted from 0."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_name(sheet: str, row: int, column: int) -> str:
    """The cell as a secretary names it: 会议!C14 (row and column counted from 0)."""
    return f"{sheet}!{column_letter(column)}{row + 1}"


def display_width(text: str) -> int:
    """Columns of a fixed-width font the text needs: Chinese characters take two."""
    if text.isascii() and "\n" not in text:  # ids, dates, numbers: most cells
        return len(text)
    return max(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) for line in text.split("\n"))
