"""Read standards/: table schemas, YAML schemas, vocabulary, rules catalogue and local settings."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.load import TABLES

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


@dataclass
class Standards:
    root: Path
    table_schemas: dict[str, dict]
    yaml_schemas: dict[str, dict]
    vocabulary: dict[str, Any]
    rules: list[Rule]
    settings: list[dict[str, Any]]

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def setting_defaults(self) -> dict[str, Any]:
        return {s["name"]: s.get("default") for s in self.settings}


def load_standards(root: Path) -> Standards:
    """Load every standards file; a missing or malformed one raises StandardsError."""
    schemas = root / "schemas"
    return Standards(
        root=root,
        table_schemas={name: _json(schemas / f"{name}.schema.json") for name in TABLES},
        yaml_schemas={name: _json(schemas / f"{name}.schema.json") for name in YAML_DOCS},
        vocabulary=_yaml(root / "vocabulary.yaml"),
        rules=[_rule(entry) for entry in _yaml(root / "rules.yaml")],
        settings=_settings(_yaml(root / "settings.yaml")),
    )


def _rule(entry: dict) -> Rule:
    try:
        return Rule(id=entry["id"], type=entry["type"], title=entry["title"], period=entry["period"],
                    severity=entry.get("severity", "error"), applies_to=tuple(entry.get("applies_to") or ()),
                    params=dict(entry.get("params") or {}), meta=entry)
    except (KeyError, TypeError) as exc:
        raise StandardsError(f"standards/rules.yaml: rule entry missing {exc}: {entry!r:.120}") from exc


def _settings(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, dict):
        data = data.get("settings", data)
    if isinstance(data, dict):
        return [{"name": k, **(v if isinstance(v, dict) else {"default": v})} for k, v in data.items()]
    return list(data or [])


def _json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StandardsError(f"{path}: {exc}") from exc


def _yaml(path: Path) -> Any:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise StandardsError(f"{path}: {exc}") from exc
    if isinstance(data, dict) and "rules" in data and path.name == "rules.yaml":
        return data["rules"]
    return data
