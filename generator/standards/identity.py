"""What a college's published results were judged by: the standards version and the rule set's fingerprints.

A provincial portal compares colleges only where they were judged alike. Two figures travel in each
college's open data package (datapackage.json, property `zhibu`):

- `standards_version`: the version of the published tables' meaning (rule ids, statuses, periods, columns).
  The major number changes when a published table or a rule id changes its meaning; a portal reads
  packages of its own major version only.
- `ruleset`: a fingerprint of every rule as it judged this college — type, period, severity, scope,
  parameters with the local settings they read, and versions (valid_from/valid_until). The same rule id
  with another fingerprint was judged differently (say three 党课 a quarter instead of one): its results
  are not comparable. rules.csv carries each rule's own fingerprint (`fingerprint`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from generator.standards.catalogue import Rule

STANDARDS_VERSION = "1.0"
_RULE_WIDE_SETTINGS = {"dues": ("dues_rounding",)}  # settings a family of rule types reads without naming them


def major(version: str) -> str:
    return str(version).split(".", 1)[0]


def _setting_names(rule: Rule) -> list[str]:
    names = [str(v) for k, v in rule.params.items() if k.endswith("setting") and v]
    names += [n for prefix, extra in _RULE_WIDE_SETTINGS.items() if rule.type.startswith(prefix) for n in extra]
    return sorted(set(names))


def _judging(rule: Rule, settings: Mapping[str, Any]) -> dict:
    """The parts of one rule version that decide its results (not its title, source or wording)."""
    return {"type": rule.type, "period": rule.period, "severity": rule.severity,
            "applies_to": sorted(rule.applies_to), "params": rule.params,
            "settings": {n: settings.get(n) for n in _setting_names(rule)},
            "not_applicable": sorted(sorted(types) for types, _reason in rule.not_applicable),
            "valid_from": str(rule.valid_from or ""), "valid_until": str(rule.valid_until or "")}


def _digest(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def rule_fingerprints(rules: Iterable[Rule], settings: Mapping[str, Any]) -> dict[str, str]:
    """Rule id → fingerprint over all its versions, in catalogue order."""
    versions: dict[str, list[dict]] = {}
    for rule in rules:
        versions.setdefault(rule.id, []).append(_judging(rule, settings))
    return {rule_id: _digest(judged) for rule_id, judged in versions.items()}


def ruleset_id(fingerprints: Mapping[str, str]) -> str:
    """The whole rule set's fingerprint: equal for two colleges judged by exactly the same rules."""
    return "rs-" + _digest(sorted(fingerprints.items()))
