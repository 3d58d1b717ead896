"""standards/ and the rule implementations agree: every rule is implemented, sourced and titled in Chinese."""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import REPO

from generator.rules import load_all
from generator.standards import load_standards

STANDARDS = load_standards(REPO / "standards")
RULES = STANDARDS.rules
REGISTRY = load_all()
CONFIDENCE = {item["key"] for item in STANDARDS.vocabulary["confidence"]["items"]}
_HAN = re.compile(r"[\u4e00-\u9fff]")


def test_rules_declared():
    raw = yaml.safe_load((REPO / "standards" / "rules.yaml").read_text(encoding="utf-8"))
    assert [item["id"] for item in raw] == [rule.id for rule in RULES]
    assert len({rule.id for rule in RULES}) == len(RULES)
    assert {"V", "S", "R", "L"} <= CONFIDENCE


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_is_complete(rule):
    assert rule.type in REGISTRY, f"{rule.id}: no implementation for type {rule.type!r}"
    assert _HAN.search(rule.title), rule.title
    assert str(rule.meta.get("source") or "").strip(), f"{rule.id} has no source"
    assert rule.meta.get("confidence") in CONFIDENCE, f"{rule.id}: confidence {rule.meta.get('confidence')!r}"
    assert rule.severity in ("error", "warning")
    assert rule.period in ("month", "quarter", "year", "once")


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_implementation_used_and_documented(name):
    assert any(rule.type == name for rule in RULES), f"rule type {name!r} is registered but no rule uses it"
    doc = (REGISTRY[name].__doc__ or "").strip()
    assert doc, f"rule type {name!r} has no docstring"
