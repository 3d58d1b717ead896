"""A Frictionless error on a merged row, as a coded problem on the file, line and column a person sees."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from frictionless.errors import Error as FrictionlessError

from generator.problems import typenames
from generator.problems.catalogue import make
from generator.records import personal
from generator.validation.compiled import names as _names
from generator.validation.merged import Merged, Origin
from generator.validation.nearmiss import question
from generator.validation.validated import Validated

_CONSTRAINT = re.compile(r'constraint "(\w+)" is "(.*)"')
TYPE_ZH = {**typenames.TYPE_ZH, "date": typenames.DATE_CELL}  # a cell's type, with the date format to write


def problem_code(error: FrictionlessError, name: str | None, origin: Origin) -> str:
    """The code from_frictionless will give this error (so that its count joins the problems of the same code)."""
    if error.type == "constraint-error":
        meetings = name == "kind" and origin.table.path.endswith("/meetings.csv")
        return "meeting-kind-unknown" if meetings and 'constraint "enum"' in (error.note or "") else error.type
    if error.type == "unique-error":
        return "primary-key"
    known = ("type-error", "primary-key", "foreign-key", "blank-row", "extra-cell", "missing-cell")
    return error.type if error.type in known else "constraint-error"


def from_frictionless(error: FrictionlessError, origin: Origin, merged: Merged, descriptor: dict, out: Validated,
                      reported: set[tuple]) -> None:
    """One Frictionless error on a merged row, as a problem on the file and line a person sees."""
    found = Found(error.type, getattr(error, "field_name", None) or None, getattr(error, "field_number", None),
                  getattr(error, "cell", "") or "", error.note)
    add_problem(found, origin, merged, descriptor, out, reported)


@dataclass
class Found:
    """An error on one row as plain data: what Frictionless reports, or a check made before it (allowed.py)."""

    type: str  # Frictionless's error type: type-error, constraint-error, primary-key, foreign-key …
    name: str | None  # the field, for an error about one cell
    number: int | None  # the field's position in the merged schema (the branch column is 1)
    cell: str
    note: str  # Frictionless's note, e.g. constraint "enum" is "[…]" (the problem's English detail)
    reference: dict | None = None  # the foreign key, for a foreign-key error


def add_problem(found: Found, origin: Origin, merged: Merged | None, descriptor: dict, out: Validated,
                reported: set[tuple]) -> None:
    """Keep the problem an error on a merged row is (the caps admitted it already), or none when another says it."""
    table, line, branch = origin.table, origin.line, origin.branch
    name = found.name
    if (line, name) in origin.skip:
        return
    names = [f["name"] for f in descriptor["fields"]]
    number = found.number
    column = table.header.index(name) + 1 if name in table.header else (number - 1 if number else None)
    value = personal.quote(found.cell)
    field_desc: dict[str, Any] = next((f for f in descriptor["fields"] if f["name"] == name), {})
    if field_desc.get("optionalColumn") and name not in {h.strip() for h in table.header}:
        return  # an optional column the file leaves out: a short row misses none of its cells
    params: dict[str, Any] = {"value": value, "name": name or ""}
    code = found.type
    if code == "type-error":
        params.update(type=field_desc.get("type", ""), type_zh=TYPE_ZH.get(field_desc.get("type", ""), "取值"),
                      hint=type_hint(value, field_desc), hint_en="")
    elif code == "constraint-error":
        code, params = _constraint(found.note, value, field_desc, params)
        if code == "meeting-kind-unknown" and table.path.rsplit("/", 1)[-1] != "meetings.csv":
            code = "constraint-error"
    elif code in ("primary-key", "unique-error"):
        keys = _names(descriptor.get("primaryKey"))
        if code == "unique-error" and name not in keys:
            keys = [name or ""]  # a `unique` column outside the primary key
        if not all(raw_cell(origin, names, key) for key in keys):
            return  # key cells empty: a required-cell error already says so
        code, name = "primary-key", keys[0] if keys else name
        column = table.header.index(name) + 1 if name in table.header else column
        other = re.search(r"position (\d+)", found.note or "")
        first = merged.origin(int(other.group(1)) - 2) if other and merged else None
        params.update(other=first.line if first else "?", fields="、".join(keys))
        if (table.path, line, name) in reported:
            return  # Frictionless reports a duplicate key both as unique-error and primary-key
        reported.add((table.path, line, name))
    elif code == "foreign-key":
        fk = found.reference or (descriptor.get("foreignKeys") or [{}])[0]
        fields = _names(fk.get("fields"))
        if not any(raw_cell(origin, names, key) for key in fields):
            return  # an empty reference: a required-cell error already says so
        name = fields[0] if fields else name
        params.update(value=personal.quote(", ".join(raw_cell(origin, names, key) for key in fields)),
                      target=f"{fk.get('reference', {}).get('resource', '')}.csv")
        column = table.header.index(name) + 1 if name in table.header else column
    elif code not in ("blank-row", "extra-cell", "missing-cell"):
        code = "constraint-error"
        params.update(detail=found.note or found.type, detail_en=found.note or found.type)
    out.problems.append(make(code, table.path, line, name, column=column, branch=branch, **params))  # admitted (tables)
    out.bad_rows.setdefault(table.path, set()).add(line)


def raw_cell(origin: Origin, names: list[str], name: str) -> str:
    index = names.index(name) if name in names else len(origin.values)
    return origin.values[index] if index < len(origin.values) else ""


def _constraint(note: str, value: str, field_desc: dict, params: dict) -> tuple[str, dict]:
    found = _CONSTRAINT.search(note or "")
    kind, limit = (found.group(1), found.group(2)) if found else ("", note)
    constraints = field_desc.get("constraints", {})
    if kind == "enum":
        allowed = "、".join(str(v) for v in constraints.get("enum", []))
        guess = question(params.get("value", ""), [str(v) for v in constraints.get("enum", [])])
        if field_desc.get("name") == "kind" and "党员大会" in allowed:
            return "meeting-kind-unknown", {**params, "allowed": allowed, "suggestion": guess}
        detail = f"只能是 {allowed} 之一" + (f"（{guess}）" if guess else "")
    elif kind == "required":
        detail, params["value"] = f"“{field_desc.get('title', field_desc.get('name'))}”为必填项，不能为空", ""
    elif kind == "pattern":  # the field's description says the format in words; never the regex itself
        detail = f"格式不对。{field_desc.get('description', '')}".strip().rstrip("。")
    elif kind in ("minimum", "maximum", "minLength", "maxLength"):
        word = {"minimum": "不能小于", "maximum": "不能大于",
                "minLength": "长度不能少于", "maxLength": "长度不能超过"}[kind]
        detail = f"{word} {limit}"
    else:
        detail = note or kind
    return "constraint-error", {**params, "detail": detail, "detail_en": note or kind}


def type_hint(value: str, field_desc: dict) -> str:
    if field_desc.get("type") == "date":
        if re.fullmatch(r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?", value):
            return "请写成 2025-03-01 这样的格式（年-月-日，用减号连接，月和日补足两位）。"
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return "该日期在日历上不存在，请核对。"
        return "请写成 2025-03-01 这样的格式。"
    if field_desc.get("type") in ("integer", "number"):
        return "请只填写阿拉伯数字（半角），不要带单位或文字。"
    return ""
