"""What a value of each type is called, in every message and page that names one (one wording for all of them).

The types are JSON Schema's (YAML records, standards, the federation registry) and Frictionless table schema's
(CSV cells: date, year). A CSV date cell's message adds the format (DATE_CELL)."""

from __future__ import annotations

TYPE_ZH = {"string": "文本", "integer": "整数", "number": "数字", "boolean": "true 或 false", "date": "日期",
           "year": "年份", "array": "列表（每项一行，以“- ”开头）", "object": "一组“键: 值”", "null": "空（null）"}
DATE_CELL = "日期（格式 YYYY-MM-DD，如 2025-03-01）"
