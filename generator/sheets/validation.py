"""Data validation for a workbook column: dropdowns from the schema's enums and the branch, typed ranges."""

from __future__ import annotations

import datetime as dt
from typing import Any

from xlsxwriter import Workbook

from generator.sheets.layout import LISTS, Column, TableLayout, column_letter
from generator.standards.catalogue import Standards

INLINE_LIMIT = 255  # Excel's limit for a list typed into the validation itself; longer lists go to LISTS
ROSTER_ROWS = 5000  # a dropdown of member ids reads this many rows of the roster sheet


class ListSheet:
    """The hidden sheet that holds the dropdown lists too long to be written inline."""

    def __init__(self) -> None:
        self.columns: list[list[str]] = []

    def source(self, values: list[str]) -> list[str] | str:
        """The values inline when Excel allows, else a reference to a column of the hidden sheet."""
        if len(",".join(values)) <= INLINE_LIMIT and not any("," in v for v in values):
            return values
        if values not in self.columns:  # the same list (a branch's groups) is written once
            self.columns.append(values)
        letter = column_letter(self.columns.index(values))
        return f"='{LISTS}'!${letter}$1:${letter}${len(values)}"

    def finish(self, book: Workbook) -> None:
        """Add the hidden sheet when a list needed it (after the record sheets, so their order stays)."""
        if not self.columns:
            return
        sheet = book.add_worksheet(LISTS)
        for col, values in enumerate(self.columns):
            for row, value in enumerate(values):
                sheet.write_string(row, col, value)
        sheet.hide()


def validation_for(column: Column, layout: TableLayout, groups: list[str], lists: ListSheet,
                   members: TableLayout | None, standards: Standards) -> dict[str, Any] | None:
    """The XlsxWriter data_validation options for the column, or None when nothing can be checked."""
    rule = _rule(column, layout, groups, lists, members, standards)
    if rule is None:
        rule = {"validate": "any"}
    if column.description:
        rule["input_title"] = column.title[:32]
        rule["input_message"] = _clip(column.description, 255)
    return rule


def _rule(column: Column, layout: TableLayout, groups: list[str], lists: ListSheet, members: TableLayout | None,
          standards: Standards) -> dict[str, Any] | None:
    enum = column.constraints.get("enum")
    if enum:
        return _choice([str(v) for v in enum], lists, f"请从下拉列表中选择{column.title}。")
    if column.name == "group":
        if not groups:
            return None
        return _choice(groups, lists, "请从下拉列表中选择党小组代码（branch.yaml 中 groups 的 code）。")
    if members is not None and _refers_to_members(column.name, layout.table, standards):
        id_column = next((i for i, c in enumerate(members.columns) if c.name == "id"), 0)
        letter = column_letter(id_column)
        return {"validate": "list", "source": f"='{members.sheet}'!${letter}$2:${letter}${ROSTER_ROWS}",
                "error_type": "warning", "error_title": "不是名册中的党员编号",
                "error_message": "党员编号应是“名册”表中已有的编号。新党员请先在名册中登记。"}
    if column.type == "date":
        return {"validate": "date", "criteria": "between", "minimum": dt.date(1900, 1, 1),
                "maximum": dt.date(2099, 12, 31), "error_title": "日期格式不对",
                "error_message": "请填写日期，如 2025-03-01（年-月-日）。"}
    if column.type in ("integer", "number"):
        return _number(column)
    return None


def _choice(values: list[str], lists: ListSheet, message: str) -> dict[str, Any]:
    return {"validate": "list", "source": lists.source(values), "error_title": "请从列表中选择",
            "error_message": _clip(message, 255)}


def _number(column: Column) -> dict[str, Any]:
    low, high = column.constraints.get("minimum"), column.constraints.get("maximum")
    kind = "integer" if column.type == "integer" else "decimal"
    word = "整数" if kind == "integer" else "数字"
    if low is not None and high is not None:
        return {"validate": kind, "criteria": "between", "minimum": low, "maximum": high,
                "error_title": "超出范围", "error_message": f"请填写 {low} 到 {high} 之间的{word}。"}
    if low is not None:
        return {"validate": kind, "criteria": ">=", "value": low, "error_title": "超出范围",
                "error_message": f"请填写不小于 {low} 的{word}。"}
    return {"validate": kind, "criteria": "between", "minimum": -1e9, "maximum": 1e9,
            "error_title": "不是数字", "error_message": f"请填写{word}。"}


def _refers_to_members(name: str, table: str, standards: Standards) -> bool:
    for key in standards.table_schemas.get(table, {}).get("foreignKeys") or []:
        fields = key.get("fields")
        reference = key.get("reference") or {}
        if (fields == name or fields == [name]) and reference.get("resource") == "members":
            return True
    return False


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
