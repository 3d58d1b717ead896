"""Which branch a workbook belongs to: the code its 填写说明 sheet names, checked against --branch."""

from __future__ import annotations

from generator.sheets.layout import APPEND, BRANCH_LABEL, GUIDE, MODE_LABEL
from generator.sheets.workbook import Workbook, WorkbookError


def guide_value(book: Workbook, label: str) -> str | None:
    """The cell right of `label` on the guide sheet (支部代码, 导入方式), if the workbook still has it."""
    guide = book.sheets.get(GUIDE)
    for row in guide.rows[:20] if guide is not None else []:
        if len(row) >= 2 and str(row[0]).strip() == label:
            return str(row[1]).strip() if row[1] not in (None, "") else None
    return None


def named_branch(book: Workbook) -> str | None:
    return guide_value(book, BRANCH_LABEL)


def appends(book: Workbook) -> bool:
    """A blank workbook's rows are added to the records; any other workbook is the whole table."""
    return guide_value(book, MODE_LABEL) == APPEND


def branch_of(book: Workbook, given: str | None, codes: dict[str, str], filename: str) -> str:
    """The branch to import into; WorkbookError (exit 2) for a workbook of another branch or of none we know."""
    named = named_branch(book)
    code = given or named
    if not code:
        raise WorkbookError("workbook-no-branch", f"{filename} 中找不到支部代码"
                            f"（“{GUIDE}”工作表中“{BRANCH_LABEL}”一行）。"
                            "请用 --branch CODE 指明要导入的支部。")
    if code not in codes:
        raise WorkbookError("workbook-unknown-branch", f"记录中没有代码为“{code[:40]}”的支部"
                            f"（{'--branch 指明的' if given else filename + ' 注明的'}支部）。请检查支部代码。")
    if given and named and named != given:
        raise WorkbookError("workbook-other-branch", f"{filename} 是支部“{named[:40]}”的工作簿，不是“{given[:40]}”的。"
                            f"请确认选对了文件；要给 {given[:40]} 填写，"
                            f"请用 zhibu template {given[:40]} 生成它的工作簿。")
    return code
