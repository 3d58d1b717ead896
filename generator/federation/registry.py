"""The registry of colleges a portal harvests (design.md §6): read strictly, every mistake a located problem."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator

from generator.problems.catalogue import Problem, make
from generator.problems.typenames import TYPE_ZH
from generator.records.textfile import read_text
from generator.records.yamlfile import line_for, load_yaml

SCHEMA = {
    "type": "object",
    "required": ["colleges"],
    "additionalProperties": False,
    "properties": {
        "title": {"type": "string", "minLength": 1, "maxLength": 100},
        "colleges": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["code", "name", "package"], "additionalProperties": False,
            "properties": {
                "code": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,63}$"},
                "name": {"type": "string", "minLength": 1, "maxLength": 300},
                "package": {"type": "string", "minLength": 1, "maxLength": 2000},
                "site": {"type": "string", "pattern": "^https?://[^\\s<>\"']+$", "maxLength": 2000},
            }}},
    },
}
_FIELD_ZH = {"code": "代码（code）", "name": "名称（name）", "package": "数据包地址（package）", "site": "网站（site）",
             "colleges": "学校列表（colleges）", "title": "平台名称（title）"}
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


@dataclass(frozen=True)
class College:
    code: str
    name: str
    package: str  # an http(s) URL, or a local path made absolute from the registry's folder
    site: str | None
    line: int | None


@dataclass
class Registry:
    path: Path
    title: str
    colleges: list[College]


def load_registry(path: Path) -> tuple[Registry | None, list[Problem]]:
    """The registry, or None and the problems (each with the registry's line) that make it unusable."""
    rel = path.name
    try:
        text, problems = read_text(path, rel)
    except OSError as exc:
        return None, [make("registry-unreadable", rel, detail=exc.strerror or type(exc).__name__)]
    if text is None:
        return None, problems
    data, lines, problems = load_yaml(text, rel)
    if problems:
        return None, problems
    problems = [_schema_problem(error, rel, lines) for error in
                sorted(Draft202012Validator(SCHEMA).iter_errors(data), key=lambda e: list(map(str, e.path)))]
    if problems:
        return None, problems
    seen: dict[str, int | None] = {}
    colleges = []
    for index, entry in enumerate(data["colleges"]):
        line = line_for(lines, ("colleges", index, "code"))
        if entry["code"] in seen:
            problems.append(make("registry-duplicate-code", rel, row=line, field="code", value=entry["code"],
                                 first=seen[entry["code"]]))
            continue
        seen[entry["code"]] = line
        package = _package(entry["package"], path.parent)
        if package is None:
            problems.append(make("registry-invalid", rel, row=line_for(lines, ("colleges", index, "package")),
                                 field="package", detail="数据包地址只能是 http:// 或 https:// 网址，或本机路径",
                                 where=f"第 {index + 1} 所学校的数据包地址（package）"))
            continue
        colleges.append(College(entry["code"], entry["name"], package, entry.get("site"), line))
    if problems:
        return None, problems
    return Registry(path, data.get("title") or "各校党支部工作数据汇总", colleges), []


def _package(value: str, base: Path) -> str | None:
    """An http(s) URL as given; a local path (or file: URL) made absolute; None for any other scheme."""
    scheme = urlsplit(value).scheme.lower()
    if scheme in ("http", "https"):
        return value
    if scheme == "file":
        return str(Path(urlsplit(value).path))
    if scheme and not _WINDOWS_DRIVE.match(value):
        return None
    return str((base / value).resolve())


def _schema_problem(error: object, rel: str, lines: dict) -> Problem:
    path = tuple(getattr(error, "path", ()))
    keys = [p for p in path if isinstance(p, str)]
    validator = getattr(error, "validator", "")
    where = _where(path)
    if validator == "required":
        missing = re.findall(r"'([^']+)' is a required property", getattr(error, "message", ""))
        name = missing[0] if missing else ""
        detail = f"缺少必填项 {_FIELD_ZH.get(name, name)}"
    elif validator == "additionalProperties":
        extra = re.findall(r"'([^']+)'", getattr(error, "message", ""))
        detail = "不认识的项 " + "、".join(extra[:3]) + "（可用：code、name、package、site）"
    elif validator == "pattern" and keys and keys[-1] == "code":
        detail = "代码只能用小写英文字母、数字和连字符（-），以字母或数字开头，最长 64 个字符"
    elif validator == "pattern" and keys and keys[-1] == "site":
        detail = "网站地址须以 http:// 或 https:// 开头，且不含空格和引号"
    elif validator == "minItems":
        detail = "至少要列出一所学校"
    elif validator == "type":
        detail = "应为" + TYPE_ZH.get(str(getattr(error, "validator_value", "")), "其他类型")
    elif validator in ("minLength", "maxLength"):
        longest = getattr(error, "validator_value", "")
        detail = "不能为空" if validator == "minLength" else f"太长（最多 {longest} 个字符）"
    else:
        detail = "取值不符合要求"
    return make("registry-invalid", rel, row=line_for(lines, path), field=keys[-1] if keys else None,
                detail=detail, where=where)


def _where(path: tuple) -> str:
    if len(path) >= 2 and path[0] == "colleges" and isinstance(path[1], int):
        rest = "" if len(path) == 2 else f"的{_FIELD_ZH.get(str(path[2]), path[2])}"
        return f"第 {path[1] + 1} 所学校{rest}"
    return "登记表" if not path else _FIELD_ZH.get(str(path[0]), str(path[0]))
