"""YAML records (organization, unit, branch, exemptions) against their JSON Schemas, and their personal data."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from jsonschema import Draft202012Validator

from generator.problems.catalogue import make
from generator.records import personal
from generator.records.load import YamlDoc
from generator.records.yamlfile import line_for
from generator.validation.validated import Validated, personal_problem
from generator.validation.yaml_problems import json_message

YAML_ERRORS = 1_000  # schema errors of one file held at once (the rest are counted as they come)


def check_yaml(doc: YamlDoc, validator: Draft202012Validator, out: Validated, branch: str | None) -> None:
    before = out.found
    errors = validator.iter_errors(doc.data)
    held = list(itertools.islice(errors, YAML_ERRORS))
    for _ in errors:  # 400,000 wrong list items: counted one by one, never all held
        out.keeps(doc.path, "yaml-invalid", None, branch)
    # a date cell (format: date) that also misses its pattern is one mistake: said once, as invalid-date
    bad_dates = {tuple(e.path) for e in held if e.validator == "format"}
    for error in sorted(held, key=lambda e: [str(p) for p in e.path]):
        path = tuple(error.path)
        if error.validator == "pattern" and path in bad_dates:
            continue
        name = next((str(p) for p in reversed(path) if isinstance(p, str)), None)
        if error.validator in ("required", "additionalProperties") and error.message:
            key = re.search(r"'([^']+)'", error.message)
            name = key.group(1) if key else name
        if error.validator == "format":  # the only format checked is date: a day not on the calendar
            out.add(make("invalid-date", doc.path, row=line_for(doc.lines, path), field=name,
                         branch=branch, value=personal.quote(error.instance)))
            continue
        zh, en = json_message(error)
        out.add(make("yaml-invalid", doc.path, row=line_for(doc.lines, path), field=name,
                     branch=branch, detail=zh, detail_en=en))
    _yaml_personal(doc, branch, out)
    if out.found > before:
        out.bad_files.add(doc.path)


def _yaml_personal(doc: YamlDoc, branch: str | None, out: Validated) -> None:
    """Personal data in a YAML file's values and keys as read (escapes resolved) and in its text (comments)."""
    seen: set[tuple] = set()
    for path, value in _scalars(doc.data, ()):
        row = line_for(doc.lines, path)
        for kind, masked in personal.find(value):
            seen.add((row, masked))
            personal_problem(kind, masked, doc.path, row, str(path[-1]) if path else None, branch, out)
    field_at = {line: str(path[-1]) for path, line in doc.lines.items() if path and isinstance(path[-1], str)}
    for row, kind, masked in personal.in_lines(doc.text):
        if (row, masked) not in seen:
            seen.add((row, masked))
            personal_problem(kind, masked, doc.path, row, field_at.get(row), branch, out)


def code_matches(doc: YamlDoc, folder: str, out: Validated, branch: str | None) -> None:
    """The code inside unit.yaml / branch.yaml must equal its folder name (codes are stable forever)."""
    code = doc.data.get("code") if isinstance(doc.data, dict) else None
    if code is not None and str(code) != folder:
        out.add(make("code-mismatch", doc.path, line_for(doc.lines, ("code",)), "code", branch=branch,
                     code=personal.quote(code), folder=folder))
        out.bad_files.add(doc.path)


def _scalars(value: object, path: tuple) -> Iterator[tuple[tuple, str]]:
    """(path, text) of every scalar value and every key."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield path + (key,), str(key)
            yield from _scalars(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _scalars(item, path + (index,))
    elif isinstance(value, str | int):
        yield path, str(value)
