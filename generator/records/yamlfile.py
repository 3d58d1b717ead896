"""Load record YAML safely: no aliases, no duplicate keys, dates kept as ISO text, lines remembered."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.problems.catalogue import Problem, make
from generator.records import yamlnumbers
from generator.records.personal import quote

_ODD_BREAK = re.compile("[\x85\u2028\u2029]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
Lines = dict[tuple, int]  # path of keys/indexes inside the document -> line number (1-based)


class _RecordLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases (alias bombs) and keeps dates as text for schema validation."""

    depth = 0
    number_forms: list[ScalarNode]

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise _AliasFound(event.start_mark.line + 1)
        if self.depth >= MAX_DEPTH:  # refused long before Python's recursion limit (10,000 `[` is 20 bytes)
            raise _TooDeep(self.peek_event().start_mark.line + 1)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


MAX_DEPTH = 50  # records need four or five levels


class _AliasFound(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _TooDeep(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def _timestamp_as_text(loader: yaml.SafeLoader, node: ScalarNode) -> str:
    return loader.construct_scalar(node)


def _number_form(loader: _RecordLoader, node: ScalarNode) -> str:
    loader.number_forms.append(node)  # reported by load_yaml; the document is not used
    return loader.construct_scalar(node)


_RecordLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)
yamlnumbers.strict_numbers(_RecordLoader)
_RecordLoader.add_constructor(yamlnumbers.FORM_TAG, _number_form)
# Booleans as YAML 1.2 has them: true and false only. YAML 1.1 also read yes/no/on/off/y/n as booleans, so a name
# or a reason written `No` or `on` became false/true and failed as "not text"; now it stays the text it is, and a
# yes/no field given `yes` is told to write true or false.
_BOOL = "tag:yaml.org,2002:bool"
yamlnumbers.drop_resolvers(_RecordLoader, _BOOL)
_RecordLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


_GENERIC_FIX = "请检查该行的缩进（只能用空格）、冒号后的空格和引号是否成对。"
# The mistakes a secretary typing YAML makes, found on the line the parser stopped at or the one before it
# (the parser often notices a broken key only on the next line). PyYAML's own English is never shown.
_FULLWIDTH_COLON_KEY = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][\w-]*\s*：")
_NO_SPACE_AFTER_COLON = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][\w-]*:(?=[^\s:/])")


def _syntax_cause(text: str, row: int | None, column: int | None) -> tuple[int | None, str, str]:
    """(row, what happened, how to fix it) in Chinese for a YAML syntax error at row/column."""
    lines = text.splitlines()
    for number in ([row, row - 1] if row else []):
        line = lines[number - 1] if 0 < number <= len(lines) else ""
        if "\t" in line[: len(line) - len(line.lstrip())]:
            return number, f"第 {number} 行用制表符（Tab）缩进", \
                "YAML 只能用空格缩进：请把这一行开头的 Tab 换成空格，与同一项的其他行对齐。"
        if _FULLWIDTH_COLON_KEY.match(line):
            return number, f"第 {number} 行的键后面用了中文冒号“：”", \
                "键和取值之间要用英文冒号加一个空格，例如“from: 2025-07-01”：请切换到英文输入法重写这个冒号。"
        if _NO_SPACE_AFTER_COLON.match(line):
            return number, f"第 {number} 行的冒号后面少了空格", \
                "键和取值之间要用英文冒号加一个空格，例如“from: 2025-07-01”：请在冒号后补一个空格。"
    where = f"第 {row} 行第 {column} 列附近的写法无法读取" if row else "文件无法按 YAML 格式读取"
    return row, where, _GENERIC_FIX


def load_yaml(text: str, rel: str) -> tuple[Any, Lines, list[Problem]]:
    """Parse one YAML document; on failure return None and problems with line numbers."""
    odd = _ODD_BREAK.search(text)
    if odd is not None:  # YAML counts them as line breaks, editors do not: every later line number would be off
        row: int | None = len(_LINE_BREAK.findall(text, 0, odd.start())) + 1
        detail = f"第 {row} 行含有不可见的换行字符 U+{ord(odd.group()):04X}，请删除该字符"
        return None, {}, [make("yaml-syntax", rel, row=row, detail=detail)]
    try:
        loader = _RecordLoader(text)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (control characters)
        row = text[: exc.position].count("\n") + 1
        detail = f"第 {row} 行含有不允许的字符 U+{exc.character:04X}（不可见或控制字符），请删除该字符"
        return None, {}, [make("yaml-syntax", rel, row=row, detail=detail,
                               detail_en=f"line {row} holds the disallowed character U+{exc.character:04X}")]
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}, [make("empty-file", rel, detail="YAML")]
        duplicates = _duplicate_keys(node, rel)
        if duplicates:
            return None, {}, duplicates
        loader.number_forms = []
        data = loader.construct_document(node)
        if loader.number_forms:
            keys = _keys_of(node)
            return None, {}, [_form_problem(n, keys.get(id(n)), rel) for n in loader.number_forms]
    except _AliasFound as exc:
        return None, {}, [make("yaml-alias", rel, row=exc.line)]
    except _TooDeep as exc:
        return None, {}, [make("yaml-too-deep", rel, row=exc.line, limit=MAX_DEPTH)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        row = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        row, detail, fix = _syntax_cause(text, row, column)
        return None, {}, [make("yaml-syntax", rel, row=row, column=column, detail=detail, fix=fix,
                               detail_en=f"near line {row}, column {column}: {exc.problem or exc.context}")]
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        return None, {}, [make("yaml-syntax", rel, detail="文件无法按 YAML 格式读取", fix=_GENERIC_FIX,
                               detail_en=quote(exc, 200))]
    finally:
        loader.dispose()
    lines: Lines = {}
    _collect_lines(node, (), lines)
    return _normalise(data), lines, []


def _form_problem(node: ScalarNode, key: str | None, rel: str) -> Problem:
    """A number written in a form other than a plain decimal (see yamlnumbers), with the decimal to write."""
    form, form_en = yamlnumbers.describe(node.value)
    decimal = yamlnumbers.plain(node.value)
    fix = f"写成 {decimal}" if decimal is not None else "写成普通的十进制数"
    return make("yaml-number-form", rel, row=node.start_mark.line + 1, field=key, column=node.start_mark.column + 1,
                value=quote(node.value), form=form, form_en=form_en, fix=fix,
                fix_en=f"write {decimal}" if decimal is not None else "write a plain decimal")


def _keys_of(node: Node) -> dict[int, str]:
    """id of each node -> the mapping key it is the value (or an item of the value) of."""
    keys: dict[int, str] = {}
    stack: list[tuple[Node, str | None]] = [(node, None)]
    while stack:
        current, key = stack.pop()
        if key is not None:
            keys[id(current)] = key
        if isinstance(current, MappingNode):
            for name, value in current.value:
                label = str(name.value) if isinstance(name, ScalarNode) else key
                stack += [(name, label), (value, label)]
        elif isinstance(current, SequenceNode):
            stack.extend((item, key) for item in current.value)
    return keys


def _duplicate_keys(node: Node, rel: str) -> list[Problem]:
    problems: list[Problem] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, MappingNode):
            seen: dict[str, int] = {}
            for key, value in current.value:
                name = key.value if isinstance(key, ScalarNode) else str(key.start_mark)
                line = key.start_mark.line + 1
                if name in seen:
                    problems.append(make("yaml-duplicate-key", rel, row=line, field=name, key=name,
                                         first=seen[name], column=key.start_mark.column + 1))
                else:
                    seen[name] = line
                stack.append(value)
        elif isinstance(current, SequenceNode):
            stack.extend(current.value)
    return problems


def _collect_lines(node: Node, path: tuple, lines: Lines) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode):
                lines[path + (key.value,)] = key.start_mark.line + 1
                _collect_lines(value, path + (key.value,), lines)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            _collect_lines(item, path + (index,), lines)


def _normalise(value: Any) -> Any:
    """Dates that slipped through as objects become ISO text; keys become text."""
    if isinstance(value, dict):
        return {str(k): _normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def line_for(lines: Lines, path: tuple) -> int | None:
    """The line of the deepest known ancestor of a path."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get(())


def leaves(data: Any, keys: bool = False) -> Iterator[tuple[tuple, str]]:
    """Every text value of loaded YAML with its path, and every mapping key too when `keys` is set
    (a key is reported at its own path, so `line_for` finds the key's line)."""
    stack: list[tuple[tuple, Any]] = [((), data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if keys:
                    yield where + (str(key),), str(key)
                stack.append((where + (str(key),), item))
        elif isinstance(value, list):
            stack += [(where + (i,), item) for i, item in enumerate(value)]
        elif isinstance(value, str):
            yield where, value
