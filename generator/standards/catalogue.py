"""Read standards/: table schemas, YAML schemas, vocabulary, rules catalogue and local settings."""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.problems.catalogue import Problem
from generator.records.load import TABLES
from generator.records.yamlfile import Lines, load_yaml
from generator.standards.processes import Process, checked_by, load_processes
from generator.standards.schema import (
    RULES_PATH,
    SETTINGS_PATH,
    VOCABULARY_PATH,
    rule_problems,
    setting_problems,
    vocabulary_problem,
)
from generator.standards.screening import personal_in_standards
from generator.standards.vocabulary import Vocabulary

if TYPE_CHECKING:
    from generator.standards.cases import CaseBook
    from generator.validation.compiled import CompiledSchemas

YAML_DOCS = ("organization", "unit", "branch", "exemptions")


class StandardsError(Exception):
    """The standards themselves are unreadable: a configuration error (exit 2)."""


@dataclass(frozen=True)
class Rule:
    """One compliance rule as declared in standards/rules.yaml."""

    id: str
    type: str
    title: str
    period: str
    severity: str
    applies_to: tuple[str, ...]
    params: dict[str, Any]
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    not_applicable: tuple[tuple[tuple[str, ...], str], ...] = ()  # ((branch types), reason shown on the page)
    member_exemptions: bool = False  # a requirement on each member: an exemption may name members
    valid_from: dt.date | None = None  # this version of the rule judges cases from this day …
    valid_until: dt.date | None = None  # … up to and including this day

    def in_force(self, day: dt.date) -> bool:
        """This version of the rule was the text in force on that day."""
        after_start = self.valid_from is None or self.valid_from <= day
        return after_start and (self.valid_until is None or day <= self.valid_until)

    def not_applicable_reason(self, branch_type: str) -> str | None:
        """Why the rule does not apply to this type of branch, when the sources say so."""
        return next((reason for types, reason in self.not_applicable if branch_type in types), None)


@dataclass
class Standards:
    root: Path
    table_schemas: dict[str, dict]
    yaml_schemas: dict[str, dict]
    vocabulary: dict[str, Any]
    rules: list[Rule]
    settings: list[dict[str, Any]]
    problems: list[Problem] = field(default_factory=list)  # rules.yaml / settings.yaml against their schemas
    processes: list[Process] = field(default_factory=list)  # processes.yaml: the process maps without a problem
    set_aside: tuple[str, ...] = ()  # ids of declared rules not evaluated because a problem is about them

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def setting_defaults(self) -> dict[str, Any]:
        return {s["name"]: s.get("default") for s in self.settings}

    @functools.cached_property
    def vocab(self) -> Vocabulary:
        """The labels of every value (vocabulary.yaml): the one source the outputs name values from."""
        return Vocabulary(self.vocabulary)

    @functools.cached_property
    def cases(self) -> CaseBook:
        """The rules' worked cases (standards/cases/), read on first use: a check does not need them."""
        from generator.standards.case_files import load_cases

        return load_cases(self)

    @functools.cached_property
    def compiled(self) -> CompiledSchemas:
        """The schemas compiled for validation, made on first use and kept with these standards only."""
        from generator.validation.compiled import CompiledSchemas

        return CompiledSchemas(self.table_schemas, self.yaml_schemas)


def load_standards(root: Path) -> Standards:
    """Load every standards file; a missing or unreadable one raises StandardsError.

    rules.yaml and settings.yaml are checked against their own schemas like records: each mistake is a
    problem with its line (reported by `zhibu check`), and a rule with a problem is set aside.
    """
    schemas = root / "schemas"
    vocabulary = _vocabulary(root / "vocabulary.yaml", _json(schemas / "vocabulary.schema.json"))
    settings, setting_lines, problems = _located(root / "settings.yaml", SETTINGS_PATH)
    set_aside: set[int] = set()  # settings with a problem are not used, as rules with one are not evaluated
    if not problems:  # an unreadable file is one problem (yaml-syntax …), not also "not a list"
        found, set_aside = setting_problems(settings, setting_lines, _json(schemas / "settings.schema.json"),
                                            _json(schemas / "organization.schema.json"))
        problems += found
    declared = [s for s in settings if isinstance(s, dict) and isinstance(s.get("name"), str)
                ] if isinstance(settings, list) else []  # every setting named, used or not (rules may name it)
    settings = [s for i, s in enumerate(settings) if i not in set_aside and isinstance(s, dict) and "name" in s
                ] if isinstance(settings, list) and -1 not in set_aside else []
    unusable = {s["name"] for s in declared} - {s["name"] for s in settings}
    entries, rule_lines, found = _located(root / "rules.yaml", RULES_PATH)
    rule_found, bad = rule_problems(entries, rule_lines, _json(schemas / "rules.schema.json"), declared,
                                    vocabulary) if not found else ([], {-1})
    rules_readable = not found and isinstance(entries, list)  # else processes cannot be cross-checked
    entries = entries if isinstance(entries, list) else []
    if -1 in bad:  # the file as a whole is malformed (not a list): nothing in it is evaluated
        bad = set(range(len(entries)))
    bad |= {i for i, e in enumerate(entries) if _setting_of(e) in unusable}  # waits for its setting to be mended
    declared_ids = {str(e.get("id")) for e in entries if isinstance(e, dict)} if rules_readable else None
    processes, process_found = load_processes(root, _json(schemas / "processes.schema.json"), declared_ids) \
        if (root / "processes.yaml").is_file() else ([], [])
    rules = [_rule(entry) for i, entry in enumerate(entries) if i not in bad]
    return Standards(
        root=root,
        table_schemas={name: _json(schemas / f"{name}.schema.json") for name in TABLES},
        yaml_schemas={name: _json(schemas / f"{name}.schema.json") for name in YAML_DOCS},
        vocabulary=vocabulary,
        rules=rules,
        settings=settings,
        problems=problems + found + rule_found + process_found + personal_in_standards(root),
        processes=checked_by(processes, {rule.id for rule in rules}),
        set_aside=tuple(str(e.get("id")) for i, e in enumerate(entries) if i in bad and isinstance(e, dict)),
    )


def load_vocabulary(root: Path) -> Vocabulary:
    """standards/vocabulary.yaml alone (root: the standards folder), checked as load_standards checks it."""
    return Vocabulary(_vocabulary(root / "vocabulary.yaml", _json(root / "schemas" / "vocabulary.schema.json")))


def _setting_of(entry: Any) -> str | None:
    """The setting a rules.yaml entry names in its params, if any."""
    params = entry.get("params") if isinstance(entry, dict) else None
    return str(params.get("setting")) if isinstance(params, dict) and params.get("setting") is not None else None


def _rule(entry: dict) -> Rule:
    return Rule(id=entry["id"], type=entry["type"], title=entry["title"], period=entry["period"],
                severity=entry.get("severity", "error"), applies_to=tuple(entry.get("applies_to") or ()),
                params=dict(entry.get("params") or {}), meta=entry,
                not_applicable=tuple((tuple(item["types"]), str(item["reason"]))
                                     for item in entry.get("not_applicable") or ()),
                member_exemptions=bool(entry.get("member_exemptions")),
                valid_from=_day(entry.get("valid_from")), valid_until=_day(entry.get("valid_until")))


def _day(value: Any) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(str(value))


def _located(path: Path, rel: str) -> tuple[Any, Lines, list[Problem]]:
    """A standards YAML file with the line of every key (problems name lines); syntax errors are problems."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise StandardsError(f"{path}: {exc}") from exc
    data, lines, problems = load_yaml(text, rel)
    return data, lines, problems


def _json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StandardsError(f"{path}: {exc}") from exc


def _vocabulary(path: Path, schema: dict) -> dict[str, Any]:
    """vocabulary.yaml, the source of every label: a file that breaks its schema stops the run (exit 2).

    Every page and message names values through it, so there is no partial reading: the first mistake is
    reported with its line, in Chinese, and nothing is judged or built until it is mended.
    """
    data, lines, found = _located(path, VOCABULARY_PATH)
    if found:
        raise StandardsError(f"{VOCABULARY_PATH} 第 {found[0].row or '?'} 行：{found[0].message}")
    mistake = vocabulary_problem(data, lines, schema)
    if mistake is not None:
        raise StandardsError(mistake)
    return data
