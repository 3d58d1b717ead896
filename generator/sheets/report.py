"""The text `zhibu import` prints: the change summary, then each problem at its cell, errors first."""

from __future__ import annotations

from pathlib import Path

from generator.problems.catalogue import ERROR
from generator.sheets.importer import ImportResult


def summary(result: ImportResult, workbook: Path) -> str:
    branch = result.branch
    lines = [f"工作簿 {workbook.name} → 支部 {branch.code}（{branch.name}），检查截止日 {result.as_of.isoformat()}", ""]
    if result.changes:
        lines += ["合并请求将显示的改动：", *(f"- {c}" for c in result.changes)]
    else:
        lines.append("记录没有变动。")
    ordered = sorted(result.problems, key=lambda p: (p.severity != ERROR, p.path or "", p.line or 0, p.cell or ""))
    if ordered:
        lines += ["", f"发现 {len(result.errors)} 个错误、{len(ordered) - len(result.errors)} 个其他提示："]
        names = result.severities
        lines += [f"{names.get(p.severity, p.severity)} {p.where()}：{p.message} [{p.code}]" for p in ordered]
    return "\n".join(lines)
