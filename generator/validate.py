"""Validate stage: structure of every record file (Frictionless for CSV, JSON Schema for YAML)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from frictionless import Package, Resource, Schema
from jsonschema import Draft202012Validator

from generator import personal
from generator.load import TABLES, RawRecords, YamlDoc
from generator.problems import Problem, make
from generator.standards import Standards
from generator.textfile import CsvTable
from generator.yamlfile import line_for

_FULLWIDTH = re.compile(r"[\uff01-\uff5e\u3000]")
_CONSTRAINT = re.compile(r'constraint "(\w+)" is "(.*)"')
TYPE_ZH = {"date": "日期（格式 YYYY-MM-DD，如 2025-03-01）", "integer": "整数", "number": "数字",
           "string": "文本", "boolean": "是/否", "year": "年份"}


@dataclass
class Validated:
    """Problems plus, per file, the data rows (1-based person-visible lines) that are unusable."""

    problems: list[Problem] = field(default_factory=list)
    bad_rows: dict[str, set[int]] = field(default_factory=dict)  # path -> row numbers (header = 1)
    bad_files: set[str] = field(default_factory=set)


def validate(raw: RawRecords, standards: Standards) -> Validated:
    """Check every loaded file against its schema and scan every value for personal data."""
    out = Validated(problems=list(raw.problems))
    out.bad_files.update(p.path for p in raw.problems)
    if raw.organization is not None:
        _yaml(raw.organization, standards.yaml_schemas["organization"], out, None)
    for code, doc in raw.units.items():
        _yaml(doc, standards.yaml_schemas["unit"], out, None)
        _code_matches(doc, code, out, None)
    for branch in raw.branches:
        for doc, kind in ((branch.branch, "branch"), (branch.exemptions, "exemptions")):
            if doc is not None:
                _yaml(doc, standards.yaml_schemas[kind], out, branch.code)
        if branch.branch is not None:
            _code_matches(branch.branch, branch.code, out, branch.code)
        _tables(branch.tables, standards, out, branch.code)
    return out


def _yaml(doc: YamlDoc, schema: dict, out: Validated, branch: str | None) -> None:
    before = len(out.problems)
    errors = _validator(schema).iter_errors(doc.data)
    for error in sorted(errors, key=lambda e: [str(p) for p in e.path]):
        path = tuple(error.path)
        name = next((str(p) for p in reversed(path) if isinstance(p, str)), None)
        if error.validator in ("required", "additionalProperties") and error.message:
            key = re.findall(r"'([^']+)'", error.message)
            name = key[0] if key else name
        zh, en = _json_message(error)
        out.problems.append(make("yaml-invalid", doc.path, row=line_for(doc.lines, path), field=name,
                                 branch=branch, detail=zh, detail_en=en))
    for path, value in _scalars(doc.data, ()):
        _personal(value, doc.path, line_for(doc.lines, path), str(path[-1]) if path else None, branch, out)
    if len(out.problems) > before:
        out.bad_files.add(doc.path)


def _code_matches(doc: YamlDoc, folder: str, out: Validated, branch: str | None) -> None:
    """The code inside unit.yaml / branch.yaml must equal its folder name (codes are stable forever)."""
    code = doc.data.get("code") if isinstance(doc.data, dict) else None
    if code is not None and str(code) != folder:
        out.problems.append(make("code-mismatch", doc.path, line_for(doc.lines, ("code",)), "code", branch=branch,
                                 code=str(code)[:40], folder=folder))
        out.bad_files.add(doc.path)


def _json_message(error) -> tuple[str, str]:
    value = error.instance
    where = "/".join(str(p) for p in error.path) or "（文件顶层）"
    kind = error.validator
    if kind == "required":
        missing = re.findall(r"'([^']+)'", error.message)
        return f"{where} 缺少必填项“{missing[0] if missing else ''}”", error.message
    if kind == "additionalProperties":
        extra = re.findall(r"'([^']+)'", error.message)
        return f"{where} 中有未知的键“{'、'.join(extra)}”，请检查拼写", error.message
    if kind == "enum":
        allowed = "、".join(str(v) for v in error.validator_value)
        return f"{where} 的取值“{value}”不在允许范围内，可选：{allowed}", error.message
    if kind == "pattern":
        return f"{where} 的取值“{value}”格式不对（应符合 {error.validator_value}）", error.message
    if kind == "type":
        return f"{where} 的类型不对：应为 {error.validator_value}，实际是“{str(value)[:40]}”", error.message
    if kind in ("minimum", "maximum", "minItems", "maxItems", "minLength", "maxLength"):
        return f"{where} 的取值超出范围（{kind} = {error.validator_value}）", error.message
    return f"{where}：{error.message[:160]}", error.message


def _scalars(value, path: tuple):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _scalars(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _scalars(item, path + (index,))
    elif isinstance(value, str | int):
        yield path, str(value)


_VALIDATORS: dict[int, Draft202012Validator] = {}


def _validator(schema: dict) -> Draft202012Validator:
    if id(schema) not in _VALIDATORS:
        _VALIDATORS[id(schema)] = Draft202012Validator(schema)
    return _VALIDATORS[id(schema)]


def _tables(tables: dict[str, CsvTable], standards: Standards, out: Validated, branch: str) -> None:
    resources = []
    for name in TABLES:
        table = tables.get(name)
        if table is None:
            continue
        descriptor = standards.table_schemas[name]
        order = _header(table, descriptor, out, branch)
        if order is None:
            out.bad_files.add(table.path)
            continue
        skip = _cells(table, descriptor, order, out, branch)
        data = [[f["name"] for f in descriptor["fields"]]]
        data += [_reordered(row, order) for row in table.rows]
        resources.append((name, table, Resource(name=name, data=data, schema=_schema(standards, name)), skip))
    if not resources:
        return
    present = {name for name, *_ in resources}
    for name, _table, resource, _skip in resources:
        if not _fk_targets_present(standards.table_schemas[name], present):
            resource.schema = _schema(standards, name, with_fk=False)
    report = Package(resources=[r for _, _, r, _ in resources]).validate()
    by_name = {name: (table, skip) for name, table, _, skip in resources}
    for task in report.tasks:
        table, skip = by_name[task.name]
        for error in task.errors:
            _frictionless(error, table, standards.table_schemas[task.name], skip, out, branch)


def _reordered(row: list[str], order: list[int]) -> list[str]:
    """Put cells in schema order; a file in schema order passes through untouched (short rows stay short)."""
    if order == list(range(len(order))):
        return row
    return [row[i] if i < len(row) else "" for i in order] + row[len(order):]


def _header(table: CsvTable, descriptor: dict, out: Validated, branch: str) -> list[int] | None:
    """Map schema fields to file columns; None when the header cannot be used."""
    expected = [f["name"] for f in descriptor["fields"]]
    shown = ",".join(expected)
    header = [h.strip() for h in table.header]
    before = len(out.problems)
    seen: set[str] = set()
    for number, name in enumerate(header, start=1):
        if not name:
            out.problems.append(make("blank-label", table.path, 1, column=number, branch=branch, number=number))
        elif name in seen:
            out.problems.append(make("duplicate-label", table.path, 1, name, column=number, branch=branch, name=name))
        elif name not in expected:
            out.problems.append(make("extra-label", table.path, 1, name, column=number, branch=branch,
                                     name=name, expected=shown))
        seen.add(name)
    for name in expected:
        if name not in header:
            out.problems.append(make("missing-label", table.path, 1, name, branch=branch, name=name, expected=shown))
    if len(out.problems) > before:
        return None
    return [header.index(name) for name in expected]


def _cells(table: CsvTable, descriptor: dict, order: list[int], out: Validated, branch: str) -> set[tuple]:
    """Checks Frictionless does not make: stray spaces, full-width digits, personal data."""
    skip: set[tuple] = set()
    types = {f["name"]: f.get("type", "string") for f in descriptor["fields"]}
    names = [f["name"] for f in descriptor["fields"]]
    for row, line in zip(table.rows, table.lines, strict=True):
        for name, index in zip(names, order, strict=True):
            value = row[index] if index < len(row) else ""
            if not value:
                continue
            code = None
            if value != value.strip():
                code = "stray-whitespace"
            elif types[name] != "string" and _FULLWIDTH.search(value):
                code = "fullwidth-digits"
            if code:
                out.problems.append(make(code, table.path, line, name, column=index + 1, branch=branch,
                                         value=value[:40]))
                skip.add((line, name))
                out.bad_rows.setdefault(table.path, set()).add(line)
        for index, value in enumerate(row):
            name = table.header[index] if index < len(table.header) else None
            _personal(value, table.path, line, name, branch, out, column=index + 1)
    return skip


def _personal(value: str, path: str, row: int | None, name: str | None, branch: str | None, out: Validated,
              column: int | None = None) -> None:
    for kind, masked in personal.find(value):
        zh, en = personal.KINDS[kind]
        out.problems.append(make("personal-data", path, row, name, column=column, branch=branch,
                                 kind=zh, kind_en=en, masked=masked))
        if row:
            out.bad_rows.setdefault(path, set()).add(row)


def _frictionless(error, table: CsvTable, descriptor: dict, skip: set[tuple], out: Validated, branch: str) -> None:
    row_number = getattr(error, "row_number", None)
    line = table.line_of(row_number) if row_number else 1
    name = getattr(error, "field_name", None) or None
    if (line, name) in skip:
        return
    column = table.header.index(name) + 1 if name in table.header else getattr(error, "field_number", None)
    value = str(getattr(error, "cell", "") or "")[:40]
    field_desc = next((f for f in descriptor["fields"] if f["name"] == name), {})
    code, params = error.type, {"value": value, "name": name or ""}
    if code == "type-error":
        params.update(type=field_desc.get("type", ""), type_zh=TYPE_ZH.get(field_desc.get("type"), "取值"),
                      hint=_type_hint(value, field_desc), hint_en="")
    elif code == "constraint-error":
        code, params = _constraint(error.note, value, field_desc, params)
        if code == "meeting-kind-unknown" and table.path.rsplit("/", 1)[-1] != "meetings.csv":
            code = "constraint-error"
    elif code in ("primary-key", "unique-error"):
        if '"None"' in (error.note or ""):
            return  # key cells empty: a blank row or a required-cell error already says so
        keys = descriptor.get("primaryKey", [])
        keys = [keys] if isinstance(keys, str) else keys
        if code == "unique-error" and name not in keys:
            keys = [name]  # a `unique` column outside the primary key
        code, name = "primary-key", keys[0] if keys else name
        column = table.header.index(name) + 1 if name in table.header else column
        other = re.search(r"position (\d+)", error.note or "")
        params.update(other=table.line_of(int(other.group(1))) if other else "?", fields="、".join(keys))
        if any((p.code, p.path, p.row, p.field) == (code, table.path, line, name) for p in out.problems):
            return  # Frictionless reports a duplicate key both as unique-error and primary-key
    elif code == "foreign-key":
        fk = (descriptor.get("foreignKeys") or [{}])[0]
        name = _first(fk.get("fields")) or name
        found = re.search(r'values "([^"]*)"', error.note or "")
        params.update(value=found.group(1) if found else value,
                      target=f"{fk.get('reference', {}).get('resource', '')}.csv")
        column = table.header.index(name) + 1 if name in table.header else column
    elif code not in ("blank-row", "extra-cell", "missing-cell"):
        code = "constraint-error"
        params.update(detail=error.note or error.type, detail_en=error.note or error.type)
    out.problems.append(make(code, table.path, line, name, column=column, branch=branch, **params))
    if row_number:
        out.bad_rows.setdefault(table.path, set()).add(line)


def _constraint(note: str, value: str, field_desc: dict, params: dict) -> tuple[str, dict]:
    found = _CONSTRAINT.search(note or "")
    kind, limit = (found.group(1), found.group(2)) if found else ("", note)
    constraints = field_desc.get("constraints", {})
    if kind == "enum":
        allowed = "、".join(str(v) for v in constraints.get("enum", []))
        if field_desc.get("name") == "kind" and "党员大会" in allowed:
            return "meeting-kind-unknown", {**params, "allowed": allowed}
        detail = f"只能是 {allowed} 之一"
    elif kind == "required":
        detail, params["value"] = f"“{field_desc.get('title', field_desc.get('name'))}”为必填项，不能为空", ""
    elif kind == "pattern":
        detail = f"格式应符合 {limit}。{field_desc.get('description', '')}".strip()
    elif kind in ("minimum", "maximum", "minLength", "maxLength"):
        word = {"minimum": "不能小于", "maximum": "不能大于",
                "minLength": "长度不能少于", "maxLength": "长度不能超过"}[kind]
        detail = f"{word} {limit}"
    else:
        detail = note or kind
    return "constraint-error", {**params, "detail": detail, "detail_en": note or kind}


def _type_hint(value: str, field_desc: dict) -> str:
    if field_desc.get("type") == "date":
        if re.fullmatch(r"\d{4}[/.年]\d{1,2}[/.月]\d{1,2}日?", value):
            return "请写成 2025-03-01 这样的格式（年-月-日，用减号连接，月和日补足两位）。"
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return "该日期在日历上不存在，请核对。"
        return "请写成 2025-03-01 这样的格式。"
    if field_desc.get("type") in ("integer", "number"):
        return "请只填写阿拉伯数字（半角），不要带单位或文字。"
    return ""


def _first(value) -> str | None:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _fk_targets_present(descriptor: dict, present: set[str]) -> bool:
    return all(fk.get("reference", {}).get("resource") in present for fk in descriptor.get("foreignKeys", []))


_SCHEMAS: dict[tuple, Schema] = {}


def _schema(standards: Standards, name: str, with_fk: bool = True) -> Schema:
    key = (id(standards), name, with_fk)
    if key not in _SCHEMAS:
        descriptor = dict(standards.table_schemas[name])
        if not with_fk:
            descriptor.pop("foreignKeys", None)
        _SCHEMAS[key] = Schema.from_descriptor(descriptor)
    return _SCHEMAS[key]
