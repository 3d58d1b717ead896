"""Problems of an import, located the way a secretary sees them: the sheet and cell, and the CSV line."""

from __future__ import annotations

from dataclasses import dataclass

from generator.problems.catalogue import ERROR, WARNING
from generator.records.personal import screen

# Problems about the workbook's shape; problems about the records come from the check with their own codes.
CATALOG: dict[str, tuple[str, str]] = {
    "sheet-missing": (ERROR, "工作簿中没有工作表“{sheet}”（{file}），而记录中已有 {rows} 行。请不要删除工作表；"
                             "改了名的工作表请改回“{sheet}”，或用 zhibu template 重新生成工作簿。"),
    "record-file-unreadable": (ERROR, "记录文件 {file} 现在无法读取（编码或格式有误），导入不会覆盖它。请先运行 "
                                      "zhibu check {folder} 按提示修好这个文件，再重新生成工作簿导入。"),
    "sheet-unknown": (WARNING, "工作表“{name}”不是记录表（名册、会议、党费、发展党员、学习），其中的内容不会导入。"
                               "要登记的记录请填到对应的工作表中。"),
    "sheet-renamed": (WARNING, "工作表“{sheet}”改名为“{name}”，已按表头识别为 {file}。"),
    "sheet-column-missing": (ERROR, "工作表缺少“{title}”（{field}）列。请不要删除列：从 zhibu template 生成的工作簿中"
                                    "复制表头，补上这一列。"),
    "sheet-column-duplicate": (ERROR, "这一列与 {first} 是同一字段（{field}）。请删除重复的一列。"),
    "sheet-column-unknown": (WARNING, "表头“{header}”不是记录字段，这一列的内容不会导入。"
                                      "需要保存的内容请填在对应的列中。"),
    "sheet-merged-cells": (ERROR, "这里是合并单元格：合并后只有第一个单元格有值，其余行的内容会丢失。请取消合并，"
                                  "并在每一行分别填写。"),
}


@dataclass(frozen=True)
class SheetProblem:
    """One finding of an import; `cell` is 会议!C14 when the place is in the workbook."""

    code: str
    severity: str
    message: str
    cell: str | None = None
    path: str | None = None  # the CSV file (or other record file) the finding is about
    line: int | None = None  # its line in that file (header = 1)
    field: str | None = None

    def where(self) -> str:
        """会议!C14（meetings.csv 第 14 行，date）: the sheet's cell first, then the file's line."""
        parts = []
        if self.path:
            parts.append(self.path.rsplit("/", 1)[-1] + (f" 第 {self.line} 行" if self.line else ""))
        if self.field:
            parts.append(self.field)
        inner = "，".join(parts)
        if self.cell:
            return f"{self.cell}（{inner}）" if inner else self.cell
        return inner or "工作簿"


def sheet_problem(code: str, cell: str | None, path: str | None = None, line: int | None = None,
                  field: str | None = None, **params: object) -> SheetProblem:
    severity, template = CATALOG[code]
    message = template.format(field=field or "", **params)
    return SheetProblem(code=code, severity=severity, message=screen(message), cell=cell, path=path, line=line,
                        field=field)
