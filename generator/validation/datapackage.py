"""A harvested open data package checked by Frictionless (the portal's only use of it), problems in Chinese."""

from __future__ import annotations

from pathlib import Path

_TYPES_ZH = {
    "hash-count": "文件的 SHA-256 校验值与描述不符（文件被改动或下载不完整）",
    "byte-count": "文件字节数与描述不符（文件被改动或下载不完整）",
    "type-error": "取值类型不符",
    "constraint-error": "取值不符合约束",
    "missing-label": "缺少列",
    "extra-label": "多出列",
    "incorrect-label": "列名与描述不符",
    "blank-row": "有空行",
    "extra-cell": "单元格多于列数",
    "missing-cell": "单元格少于列数",
    "encoding-error": "不是 UTF-8 编码",
    "scheme-error": "文件无法读取",
    "format-error": "文件格式无法识别",
    "source-error": "文件无法读取",
}


def package_errors(descriptor: dict, folder: Path, limit: int = 3) -> list[str]:
    """The first errors Frictionless finds in a package whose files all sit in `folder` (paths already checked)."""
    from frictionless import Package

    report = Package(descriptor, basepath=str(folder)).validate(limit_errors=limit)
    errors = []
    for task in report.tasks:
        for error in task.errors[:limit]:
            where = f"{task.name}.csv"
            row, field = getattr(error, "row_number", None), getattr(error, "field_name", None)
            if row:
                where += f" 第 {row} 行"
            if field:
                where += f" {field} 列"
            errors.append(f"{where}：{_TYPES_ZH.get(error.type, error.title)}（{error.type}）")
    errors += [f"{_TYPES_ZH.get(e.type, e.title)}（{e.type}）" for e in report.errors[:limit]]
    return errors[:limit]
