"""Load record YAML safely: no aliases, no duplicate keys, dates kept as ISO text, lines remembered."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.personal import quote
from generator.problems import Problem, make

Lines = dict[tuple, int]  # path of keys/indexes inside the document -> line number (1-based)


class _RecordLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases (alias bombs) and keeps dates as text for schema validation."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise _AliasFound(event.start_mark.line + 1)
        return super().compose_node(parent, index)


class _AliasFound(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def _timestamp_as_text(loader: yaml.SafeLoader, node: ScalarNode) -> str:
    return loader.construct_scalar(node)


_RecordLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def load_yaml(text: str, rel: str) -> tuple[Any, Lines, list[Problem]]:
    """Parse one YAML document; on failure return None and problems with line numbers."""
    try:
        loader = _RecordLoader(text)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (control characters)
        row = text[: exc.position].count("\n") + 1
        detail = f"第 {row} 行含有不允许的字符 U+{exc.character:04X}（不可见或控制字符），请删除该字符"
        return None, {}, [make("yaml-syntax", rel, row=row, detail=detail)]
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}, [make("empty-file", rel, detail="YAML")]
        duplicates = _duplicate_keys(node, rel)
        if duplicates:
            return None, {}, duplicates
        data = loader.construct_document(node)
    except _AliasFound as exc:
        return None, {}, [make("yaml-alias", rel, row=exc.line)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        row = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        detail = f"第 {row} 行第 {column} 列附近，{exc.problem or exc.context}"
        return None, {}, [make("yaml-syntax", rel, row=row, column=column, detail=detail)]
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        return None, {}, [make("yaml-syntax", rel, detail=quote(exc, 200))]
    finally:
        loader.dispose()
    lines: Lines = {}
    _collect_lines(node, (), lines)
    return _normalise(data), lines, []


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
