"""standards/processes.yaml: the regulated processes as data (steps, order, responsible role, time limit, rules).

The file is checked like rules.yaml: against its schema, and every rule a step names must be declared in
rules.yaml, so a flowchart never points at a check that does not exist. A process with a problem is left
out of the standards page (the problem says where); a missing file means no process maps.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from generator.problems.catalogue import Problem, make
from generator.records.yamlfile import Lines, line_for, load_yaml
from generator.standards.schema import _detail

PROCESSES_PATH = "standards/processes.yaml"


@dataclass(frozen=True)
class Step:
    title: str
    role: str
    limit: str = ""
    rules: tuple[str, ...] = ()
    stage: str = ""  # the development.csv date column that marks reaching this step (development only)


@dataclass(frozen=True)
class Process:
    id: str
    title: str
    source: str
    confidence: str
    note: str
    steps: tuple[Step, ...]


def load_processes(root: Path, schema: dict, rule_ids: set[str] | None) -> tuple[list[Process], list[Problem]]:
    """The processes of root/processes.yaml that have no problem, and the problems of the others.

    rule_ids is None when rules.yaml itself could not be read: its problem is reported once, and the
    steps' rules are not called unknown one by one."""
    path = root / "processes.yaml"
    if not path.is_file():
        return [], []
    data, lines, problems = load_yaml(path.read_text(encoding="utf-8-sig"), PROCESSES_PATH)
    if problems:
        return [], problems
    bad: set[int] = set()
    for error in sorted(Draft202012Validator(schema).iter_errors(data), key=lambda e: [str(p) for p in e.path]):
        problems.append(_invalid(error, data, lines))
        bad.add(int(error.path[0]) if error.path and isinstance(error.path[0], int) else -1)
    if not isinstance(data, list) or -1 in bad:
        return [], problems
    for index, entry in enumerate(data):
        if index in bad:
            continue
        for position, step in enumerate(entry["steps"]):
            for at, rule in enumerate(step.get("rules") or []):
                if rule_ids is not None and rule not in rule_ids:
                    bad.add(index)
                    problems.append(make("process-rule-unknown", PROCESSES_PATH,
                                         line_for(lines, (index, "steps", position, "rules", at)), "rules",
                                         process=entry["id"], value=rule))
    return [_process(e) for i, e in enumerate(data) if i not in bad], problems


def _invalid(error: Any, data: Any, lines: Lines) -> Problem:  # a jsonschema ValidationError
    path = tuple(error.path)
    zh, en, key = _detail(error, path[1:])
    entry = data[path[0]] if path and isinstance(data, list) and isinstance(path[0], int) else None
    name = str(entry.get("id"))[:40] if isinstance(entry, dict) and entry.get("id") else (
        f"第 {int(path[0]) + 1} 个" if path else "整个文件")
    line = lines.get(path) or line_for(lines, path)
    return make("process-invalid", PROCESSES_PATH, line, key, process=name, detail=zh, detail_en=en)


def _process(entry: dict) -> Process:
    steps = tuple(Step(title=str(s["title"]), role=str(s["role"]), limit=str(s.get("limit") or ""),
                       rules=tuple(s.get("rules") or ()), stage=str(s.get("stage") or "")) for s in entry["steps"])
    return Process(id=entry["id"], title=entry["title"], source=entry["source"], confidence=entry["confidence"],
                   note=str(entry.get("note") or ""), steps=steps)


def checked_by(processes: list[Process], rule_ids: set[str]) -> list[Process]:
    """The processes with each step naming only rules that are evaluated: a rule set aside for a problem (or
    one of a rules.yaml that could not be read) is not drawn as a step's check nor counted on any page."""
    return [replace(p, steps=tuple(replace(s, rules=tuple(r for r in s.rules if r in rule_ids)) for s in p.steps))
            for p in processes]
