"""The standards' schemas compiled for validation, kept on the Standards object they were compiled from.

Compiling costs (a JSON Schema validator, a Frictionless Schema, the strict cell formats), so each is made
once per Standards object, on first use. They live on that object, not in a module cache: a long process
(`zhibu serve`, `zhibu releases`) loads the standards of several commits one after another, and a cache
keyed by the descriptor's id() can hand a later commit the schema of an earlier one (CPython reuses ids).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from frictionless import Schema
from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators

from generator.validation import cellformat
from generator.validation.accepted import Acceptance

BRANCH = "_branch"  # the key column that qualifies every row of a merged table with its branch


@dataclass
class CompiledSchemas:
    """Compiled forms of one standards version's table and YAML schemas, each made on first use."""

    table_schemas: dict[str, dict]
    yaml_schemas: dict[str, dict]
    _yaml: dict[str, Draft202012Validator] = field(default_factory=dict)
    _tables: dict[str, Schema] = field(default_factory=dict)
    _formats: dict[str, list[tuple[int, cellformat.CellFormat]]] = field(default_factory=dict)
    _enums: dict[str, list[EnumField]] = field(default_factory=dict)
    _acceptance: dict[str, Acceptance] = field(default_factory=dict)

    def yaml(self, kind: str) -> Draft202012Validator:
        """The JSON Schema validator of a YAML document kind (organization, unit, branch, exemptions)."""
        if kind not in self._yaml:
            self._yaml[kind] = _RecordValidator(self.yaml_schemas[kind], format_checker=_DATE_FORMAT)
        return self._yaml[kind]

    def table(self, name: str) -> Schema:
        """The table's Frictionless schema: a leading branch column qualifies its primary key (see tables); the
        lists of values of text fields and the foreign keys are left to allowed.py (checked before Frictionless)."""
        if name not in self._tables:
            self._tables[name] = Schema.from_descriptor(_for_frictionless(self.table_schemas[name]))
        return self._tables[name]

    def acceptance(self, name: str) -> Acceptance:
        """Which merged rows of the table Frictionless would pass, decided with its own cell readers
        (accepted.py); it remembers the cells it read."""
        if name not in self._acceptance:
            self._acceptance[name] = Acceptance(self.table(name))
        return self._acceptance[name]

    def enums(self, name: str) -> list[EnumField]:
        """The table's text fields that take one of a list of values."""
        if name not in self._enums:
            self._enums[name] = [EnumField(position, item["name"], item["constraints"]["enum"])
                                 for position, item in enumerate(self.table_schemas[name]["fields"])
                                 if _text_enum(item)]
        return self._enums[name]

    def references(self, name: str) -> list[Reference]:
        """The table's foreign keys, by field position in its own schema and in the target's."""
        found = []
        for fk in self.table_schemas[name].get("foreignKeys", []):
            target = fk["reference"]["resource"]
            found.append(Reference(_positions(self.table_schemas[name], names(fk["fields"])), target,
                                   _positions(self.table_schemas[target], names(fk["reference"]["fields"])), fk))
        return found

    def formats(self, name: str) -> list[tuple[int, cellformat.CellFormat]]:
        """(position in schema order, format) of each of the table's fields whose cells have a strict shape."""
        if name not in self._formats:
            self._formats[name] = cellformat.formats(self.table_schemas[name])
        return self._formats[name]


def names(value: str | list[str] | None) -> list[str]:
    """A schema's key fields as a list (a descriptor may give one name as a string)."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


@dataclass
class EnumField:
    """A text field whose cells take one of a list of values."""

    position: int  # in schema order
    name: str
    allowed: list
    values: frozenset = field(init=False)

    def __post_init__(self) -> None:
        self.values = frozenset(self.allowed)

    @property
    def note(self) -> str:
        """What Frictionless says of a cell outside the list (the problem's English detail)."""
        return f'constraint "enum" is "{self.allowed}"'

    def code(self, path: str) -> str:
        """The problem code of a cell outside the list in this file (table_problems gives the same)."""
        meetings = path.rsplit("/", 1)[-1] == "meetings.csv" and self.name == "kind"
        return "meeting-kind-unknown" if meetings and "党员大会" in self.allowed else "constraint-error"


@dataclass(frozen=True)
class Reference:
    """A foreign key: its fields' positions, the target table and the target fields' positions."""

    positions: tuple[int, ...]
    target: str
    target_positions: tuple[int, ...]
    descriptor: dict = field(compare=False, hash=False)


def _positions(descriptor: dict, fields: list[str]) -> tuple[int, ...]:
    order = [item["name"] for item in descriptor["fields"]]
    return tuple(order.index(name) for name in fields)


def _text_enum(item: dict) -> bool:
    return item.get("type", "string") == "string" and "enum" in (item.get("constraints") or {})


def _for_frictionless(source: dict) -> dict:
    """The descriptor with the branch column first and in the primary key; no foreign keys, no text enums."""
    descriptor = copy.deepcopy(source)
    primary = names(descriptor.get("primaryKey"))
    for item in descriptor["fields"]:
        if item["name"] in primary:  # uniqueness within the branch comes with the qualified key
            item.get("constraints", {}).pop("unique", None)
    descriptor["fields"].insert(0, {"name": BRANCH, "type": "string", "constraints": {"required": True}})
    if primary:
        descriptor["primaryKey"] = [BRANCH, *primary]
    descriptor.pop("foreignKeys", None)
    for item in descriptor["fields"]:
        if _text_enum(item):
            del item["constraints"]["enum"]
    return descriptor


def _strict_pattern(validator: Any, pattern: str, instance: Any, schema: object) -> Iterator[ValidationError]:
    """JSON Schema's `pattern`, read as the contract means it: ASCII digits only, no line break after a `$`."""
    if validator.is_type(instance, "string"):
        found = re.compile(pattern, re.ASCII).search(instance)
        if found is None or (pattern.endswith("$") and found.end() != len(instance)):
            yield ValidationError(f"{instance!r} does not match {pattern!r}")


_DATE_FORMAT = FormatChecker(formats=())
# enforced: a YAML date must be a real day (2023-02-29 is not); other types are the `type` keyword's business
_DATE_FORMAT.checks("date")(lambda value: not isinstance(value, str) or cellformat.is_iso_date(value))
_RecordValidator = validators.extend(Draft202012Validator, {"pattern": _strict_pattern})
