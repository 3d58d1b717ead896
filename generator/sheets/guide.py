"""The 填写说明 sheet: which branch the workbook is for, how to fill it, every column from the schemas."""

from __future__ import annotations

import datetime as dt
from typing import Any

from xlsxwriter.worksheet import Worksheet

from generator.sheets.branchfiles import BranchRecords
from generator.sheets.layout import APPEND, BRANCH_LABEL, GUIDE, MODE_LABEL, WHOLE, TableLayout, display_width

SHEET = GUIDE
TEXT_WIDTH = 90
STEPS = (
    "每个工作表是一个记录文件：名册、会议、党费、发展党员、学习。每行一条记录，"
    "第 1 行是表头（中文名和字段名），请勿删除或修改表头。",
    "新增记录请接在已有行的下面；已离开本支部的党员不要删行，填写离开日期和原因。",
    "日期直接按“年-月-日”输入（如 2025-03-01）；编号、代码、月份（如 2025-03）按文字保存，请勿改成数字或日期格式。",
    "带下拉箭头的单元格请从列表中选择；党员编号须是名册中已有的编号。不要合并单元格，不要写公式。",
    "不写普通党员的姓名、身份证号、电话、住址。",
    "填好后保存为 .xlsx（Excel 或 WPS 均可，不要另存为 .xls 或 CSV），交给党委组织部门或直接在合并请求中上传；"
    "维护人运行 zhibu import 导入，检查通过后生成记录文件的改动。",
)


def write_guide(sheet: Worksheet, formats: Any, branch: BranchRecords, tables: list[TableLayout],
                as_of: dt.date, append: bool = False) -> None:
    """Fill the guide; the rows 支部代码 and 导入方式 tell `zhibu import` the branch and whether rows are added."""
    for col, width in enumerate((22, 26, 10, TEXT_WIDTH)):
        sheet.set_column(col, col, width)
    title = f"{branch.name or '党支部'}记录工作簿" + ("（空白，用于新增记录）" if append else "")
    sheet.write_string(0, 0, title, formats.title)
    sheet.write_string(1, 0, BRANCH_LABEL)
    sheet.write_string(1, 1, branch.code)
    if not branch.code:
        _text(sheet, 1, "请在左边的格子里填写本支部的代码（branch.yaml 中的 code，见支部页面），如 jidian-js1。",
              formats.wrap)
    sheet.write_string(2, 0, "数据截至")
    sheet.write_string(2, 1, as_of.isoformat())
    sheet.write_string(3, 0, MODE_LABEL)
    sheet.write_string(3, 1, APPEND if append else WHOLE)
    _text(sheet, 3, "追加：导入时只在记录末尾新增这里填写的行，已有记录不变。" if append else
          "整表：各工作表就是完整的记录，导入后记录与工作表一致（删除的行也会从记录中删除）。", formats.wrap)
    row = 5
    sheet.write_string(row, 0, "填写方法", formats.header)
    for number, step in enumerate(STEPS, start=1):
        row += 1
        sheet.write_string(row, 0, f"{number}.", formats.top)
        _text(sheet, row, step, formats.wrap)
    for layout in tables:
        row += 2
        sheet.write_string(row, 0, f"工作表“{layout.sheet}”", formats.title)
        _text(sheet, row, f"{layout.title}：{layout.description}", formats.wrap)
        row += 1
        for col, label in enumerate(("列标题", "字段名", "必填", "填写说明（含示例）")):
            sheet.write_string(row, col, label, formats.header)
        for column in layout.columns:
            row += 1
            sheet.write_string(row, 0, column.title, formats.top)
            sheet.write_string(row, 1, column.name, formats.top)
            sheet.write_string(row, 2, _required(column.constraints, column.optional), formats.top)
            _text(sheet, row, column.description, formats.wrap)


def _text(sheet: Worksheet, row: int, text: str, wrap: Any) -> None:
    """A long text in the last column, the row tall enough for its wrapped lines (programs do not measure it)."""
    sheet.write_string(row, 3, text, wrap)
    lines = -(-display_width(text) * 9 // (TEXT_WIDTH * 10))  # a Chinese character is a little under two widths
    if lines > 1:
        sheet.set_row(row, 16 * lines)


def _required(constraints: dict, optional: bool) -> str:
    if constraints.get("required"):
        return "必填"
    return "可省略" if optional else "选填"
