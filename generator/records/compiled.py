"""The standards' schemas compiled for validation, kept on the Standards object they were compiled from.

Compiling costs (a JSON Schema validator, a Frictionless Schema, the strict cell formats), so each is made
once per Standards object, on first use. They live on that object, not in a module cache: a long process
(`zhibu serve`, `zhibu releases`) loads the standards of several commits one after another, and a cache
keyed by the descriptor's id() can hand a later commit the schema of an earlier one (CPython reuses ids).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from frictionless import Schema
from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators

from generator.records import cellformat

BRANCH = "_branch"  # the key column that qualifies every row of a merged table with its branch


@dataclass
class CompiledSchemas:
    """Compiled forms of one standards version's table and YAML schemas, each made on first use."""

    table_schemas: dict[str, dict]
    yaml_schemas: dict[str, dict]
    _yaml: dict[str, Draft202012Validator] = field(default_factory=dict)
    _tables: dict[tuple[str, bool], Schema] = field(default_factory=dict)
    _formats: dict[str, list[tuple[int, cellformat.CellFormat]]] = field(default_factory=dict)

    def yaml(self, kind: str) -> Draft202012Validator:
        """The JSON Schema validator of a YAML document kind (organization, unit, branch, exemptions)."""
        if kind not in self._yaml:
            self._yaml[kind] = _RecordValidator(self.yaml_schemas[kind], format_checker=_DATE_FORMAT)
        return self._yaml[kind]

    def table(self, name: str, with_fk: bool = True) -> Schema:
        """The table's Frictionless schema with a leading branch column that qualifies its keys (see tables)."""
        key = (name, with_fk)
        if key not in self._tables:
            self._tables[key] = Schema.from_descriptor(_qualified(self.table_schemas[name], with_fk))
        return self._tables[key]

    def formats(self, name: str) -> list[tuple[int, cellformat.CellFormat]]:
        """(position in schema order, format) of each of the table's fields whose cells have a strict shape."""
        if name not in self._formats:
            self._formats[name] = cellformat.formats(self.table_schemas[name])
        return self._formats[name]


def names(value) -> list[str]:
    """A schema's key fields as a list (a descriptor may give one name as a string)."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _qualified(source: dict, with_fk: bool) -> dict:
    """The descriptor with the branch column first, in the primary key and in every foreign key."""
    descriptor = copy.deepcopy(source)
    primary = names(descriptor.get("primaryKey"))
    for item in descriptor["fields"]:
        if item["name"] in primary:  # uniqueness within the branch comes with the qualified key
            item.get("constraints", {}).pop("unique", None)
    descriptor["fields"].insert(0, {"name": BRANCH, "type": "string", "constraints": {"required": True}})
    if primary:
        descriptor["primaryKey"] = [BRANCH, *primary]
    foreign = descriptor.pop("foreignKeys", [])
    if with_fk and foreign:
        descriptor["foreignKeys"] = [
            {"fields": [BRANCH, *names(fk["fields"])],
             "reference": {"resource": fk["reference"]["resource"],
                           "fields": [BRANCH, *names(fk["reference"]["fields"])]}}
            for fk in foreign]
    return descriptor


def _strict_pattern(validator, pattern: str, instance, schema):
    """JSON Schema's `pattern`, read as the contract means it: ASCII digits only, no line break after a `$`."""
    if validator.is_type(instance, "string"):
        found = re.compile(pattern, re.ASCII).search(instance)
        if found is None or (pattern.endswith("$") and found.end() != len(instance)):
            yield ValidationError(f"{instance!r} does not match {pattern!r}")


_DATE_FORMAT = FormatChecker(formats=())
# enforced: a YAML date must be a real day (2023-02-29 is not); other types are the `type` keyword's business
_DATE_FORMAT.checks("date")(lambda value: not isinstance(value, str) or cellformat.is_iso_date(value))
_RecordValidator = validators.extend(Draft202012Validator, {"pattern": _strict_pattern})
