"""standards/vocabulary.yaml is the one source of labels: it agrees with the schemas' enums and with rules.yaml.

(A damaged vocabulary.yaml stops the run with its line: tests/test_vocabulary_schema.py.)"""

from __future__ import annotations

import json
import re

import pytest
import yaml
from conftest import REPO

from generator.site.audience import KINDS
from generator.standards.catalogue import load_standards

SCHEMAS = REPO / "standards" / "schemas"
VOCABULARY = yaml.safe_load((REPO / "standards" / "vocabulary.yaml").read_text(encoding="utf-8"))
RULES = yaml.safe_load((REPO / "standards" / "rules.yaml").read_text(encoding="utf-8"))

# Every enum of standards/schemas/: the vocabulary group whose values it lists, and whether it lists all of them
# ("=") or a part ("⊂": e.g. the secretary's roles are two of the committee roles).
ENUMS = {
    "branch.schema.json properties/type": ("branch_types", "="),
    "branch.schema.json properties/secretary/items/properties/roles/items": ("committee_roles", "⊂"),
    "branch.schema.json properties/secretary/items/properties/role": ("committee_roles", "⊂"),
    "branch.schema.json $defs/office_holder/properties/roles/items": ("committee_roles", "="),
    "branch.schema.json $defs/office_holder/properties/role": ("committee_roles", "="),
    "unit.schema.json properties/kind": ("unit_kinds", "="),
    "meetings.schema.json kind": ("meeting_kinds", "="),
    "members.schema.json category": ("member_categories", "="),
    "members.schema.json left_reason": ("left_reasons", "="),
    "study.schema.json kind": ("study_kinds", "="),
    "elections.schema.json kind": ("election_kinds", "="),
    "rules.schema.json $defs/params_consecutive_absence/properties/kinds/items": ("meeting_kinds", "="),
    "rules.schema.json $defs/params_election_margin/properties/kinds/items": ("election_kinds", "="),
    "rectification.schema.json internal": ("text_visibility", "="),
    "organization.schema.json properties/settings/properties/study_kinds_counted/items": ("study_kinds", "="),
    "rules.schema.json $defs/rule/properties/severity": ("severities", "="),
    "rules.schema.json $defs/rule/properties/period": ("periods", "="),
    "rules.schema.json $defs/confidence": ("confidence", "="),
    "settings.schema.json items/properties/confidence": ("confidence", "="),
    "rules.schema.json $defs/params_branch_size_max/properties/student_types/items": ("branch_types", "⊂"),
    "rules.schema.json $defs/params_development_interval/properties/from": ("development_stages", "="),
    "rules.schema.json $defs/params_development_interval/properties/to": ("development_stages", "="),
    "rules.schema.json $defs/params_development_referees/properties/stage": ("development_stages", "="),
    "rules.schema.json $defs/params_development_referees/properties/role": ("development_steps", "⊂"),
    "rules.schema.json $defs/params_development_step_before/properties/step": ("development_steps", "⊂"),
    "processes.schema.json items/properties/confidence": ("confidence", "="),
    "processes.schema.json items/properties/steps/items/properties/role": ("process_roles", "="),
    "processes.schema.json items/properties/steps/items/properties/stage": ("development_stages", "="),
    **{f"organization.schema.json properties/disclosure/properties/{kind}": ("disclosure_audiences", "=")
       for kind in ("checklists", "meetings", "attendance", "dues_rates", "development_counts", "statistics",
                    "open_data", "standards", "changes", "calendar", "rectification", "appraisal")},
    "organization.schema.json properties/disclosure/properties/annual_ledger": ("disclosure_audiences", "⊂"),
}
# Enums that are not values a record or a page names with a label: implementation names and switches.
NOT_VOCABULARY = {
    "rules.schema.json $defs/rule/properties/type",  # rule implementations (generator/rules, the registry)
    "settings.schema.json items/properties/type",  # the type of a setting's value
    "organization.schema.json properties/repository_forge",  # how to build links to the forge
    "organization.schema.json properties/settings/properties/dues_rounding",  # a number, written as text
    "branch.schema.json properties/dues_payment",  # monthly / quarterly: read by DU rules, never shown as a label
    "rules.schema.json $defs/params_meeting_frequency/properties/requires",  # which branches a rule counts
    "rules.schema.json $defs/params_meeting_frequency/properties/quorum",
    "vocabulary.schema.json additionalProperties/properties/stored_as",  # the vocabulary's own format
    "rules.schema.json $defs/params_development_referees/properties/columns/items",  # development.csv columns
}
# 党务公开目录: each kind's value (public / party / none) is an audience switch, named by site/audience.py
# (DISCLOSURE_VALUES) on the settings part of the standards page, not a label of the records
NOT_VOCABULARY |= {f"organization.schema.json properties/disclosure/properties/{kind}" for kind in KINDS}


def _enums() -> dict[str, list]:
    """Every enum of the schemas, named by file and JSON path (table schemas: by field name)."""
    found: dict[str, list] = {}

    def walk(node, path: tuple, name: str) -> None:
        if isinstance(node, dict):
            if "enum" in node:
                found[f"{name} {'/'.join(map(str, path))}"] = node["enum"]
            for key, value in node.items():
                walk(value, (*path, key), name)
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, (*path, index), name)

    for schema in sorted(SCHEMAS.glob("*.json")):
        data = json.loads(schema.read_text(encoding="utf-8"))
        if "fields" in data:  # a Table Schema: enums sit in a field's constraints
            for field in data["fields"]:
                if "enum" in (field.get("constraints") or {}):
                    found[f"{schema.name} {field['name']}"] = field["constraints"]["enum"]
        else:
            walk(data, (), schema.name)
    return found


def _values(group: str) -> list[str]:
    """The group's values as the records store them (key or zh, as its stored_as says)."""
    stored = VOCABULARY[group]["stored_as"]
    return [str(item[stored]) for item in VOCABULARY[group]["items"]]


def test_every_enum_of_the_schemas_is_classified():
    """A new enum must be added to ENUMS (with its vocabulary group) or to NOT_VOCABULARY."""
    enums = set(_enums())
    assert enums - ENUMS.keys() - NOT_VOCABULARY == set(), "enum without a vocabulary group"
    assert (ENUMS.keys() | NOT_VOCABULARY) - enums == set(), "listed here but no longer in the schemas"


@pytest.mark.parametrize("where", sorted(ENUMS))
def test_schema_enum_agrees_with_the_vocabulary(where):
    group, relation = ENUMS[where]
    enum, values = [str(v) for v in _enums()[where]], _values(group)
    missing = [v for v in values if v not in enum]
    unknown = [v for v in enum if v not in values]
    assert not unknown, f"{where} lists {unknown}, which vocabulary.yaml {group} does not have"
    if relation == "=":
        assert not missing, f"vocabulary.yaml {group} has {missing}, which {where} does not allow"
        assert enum == values, f"{where} lists {group} in another order than vocabulary.yaml"


@pytest.mark.parametrize("where", sorted(ENUMS))
def test_the_vocabulary_says_where_its_values_are_used(where):
    """used_in names the file of every enum that lists the group's values."""
    schema, group = where.split(" ", 1)[0].removesuffix(".schema.json"), ENUMS[where][0]
    data = json.loads((SCHEMAS / f"{schema}.schema.json").read_text(encoding="utf-8"))
    file = f"{schema}.csv" if "fields" in data else f"{schema}.yaml"
    assert file in VOCABULARY[group]["used_in"], f"vocabulary.yaml {group} used_in does not name {file}"


def test_rules_name_only_vocabulary_values():
    """applies_to and not_applicable name branch types, params.kind a meeting kind, from/to a stage."""
    allowed = {"applies_to": _values("branch_types"), "not_applicable": _values("branch_types"),
               "kind": _values("meeting_kinds"), "also_kinds": _values("meeting_kinds"),
               "from": _values("development_stages"), "to": _values("development_stages")}
    wrong = []
    for rule in RULES:
        params = rule.get("params") or {}
        named = {"applies_to": rule.get("applies_to") or [],
                 "not_applicable": [t for item in rule.get("not_applicable") or [] for t in item["types"]],
                 **{k: params[k] if isinstance(params[k], list) else [params[k]]
                    for k in ("kind", "also_kinds", "from", "to") if k in params}}
        wrong += [(rule["id"], field, value) for field, values in named.items() for value in values
                  if value not in allowed[field]]
    assert wrong == [], "rules.yaml names values vocabulary.yaml does not have"


def test_every_group_the_code_reads_is_well_formed():
    standards = load_standards(REPO / "standards")
    assert standards.problems == []
    for group in VOCABULARY:
        assert VOCABULARY[group]["title"] and VOCABULARY[group]["stored_as"] in ("key", "zh"), group
        keys = [str(item["key"]) for item in VOCABULARY[group]["items"]]
        assert len(keys) == len(set(keys)), group
        assert all(item.get("zh") and item.get("en") for item in VOCABULARY[group]["items"]), group


def test_labels_fall_back_to_zh_then_to_the_key():
    vocab = load_standards(REPO / "standards").vocab
    assert vocab.label("unit_kinds", "direct", "short") == "直属"
    assert vocab.label("unit_kinds", "general_branch", "short") == "党总支"  # no short form: the name
    assert vocab.label("branch_types", "faculty") == "教工党支部"
    assert vocab.label("branch_types", "no-such-type") == "no-such-type"
    assert vocab.label("no_such_group", "faculty") == "faculty"



LABEL_FIELDS = ("zh", "short", "mark", "unit", "step", "event", "mark_en")
SOURCES = [p for p in sorted((REPO / "generator").rglob("*")) if p.suffix in (".py", ".j2")
           and "demo" not in p.relative_to(REPO / "generator").parts]  # the demo college writes records, not labels


def _copies(text: str) -> list[str]:
    """Labels of vocabulary.yaml copied into source text: a key written next to its label ("faculty": "教工党支部"),
    or three labels of one group on one line (a tuple of meeting kinds)."""
    found = []
    for group, data in VOCABULARY.items():
        items = data["items"]
        for item in items:
            for field in LABEL_FIELDS:
                label = item.get(field)
                pair = rf"""["']{re.escape(str(item["key"]))}["']\s*[:,]\s*["']{re.escape(str(label))}["']"""
                if label and re.search(pair, text):
                    found.append(f"{group} {item['key']} → {label}")
        for line in text.splitlines():
            named = {item["zh"] for item in items if f'"{item["zh"]}"' in line}
            if len(items) >= 3 and len(named) >= 3:
                found.append(f"{group} labels {sorted(named)} on one line")
    return found


def test_the_copy_finder_finds_the_dicts_this_replaced():
    old = ('TYPE_ZH = {"faculty": "教工党支部", "admin": "机关党支部"}\n'
           'MEETING_KINDS = ("党员大会", "支委会", "党小组会", "党课")\n'
           "MARK = {'pass': '✓'}\n")
    assert _copies(old) == ["branch_types faculty → 教工党支部", "branch_types admin → 机关党支部",
                            "meeting_kinds labels ['党员大会', '党小组会', '党课', '支委会'] on one line",
                            "result_statuses pass → ✓"]


def test_no_label_of_the_vocabulary_is_copied_into_the_code():
    """Such a copy would drift from vocabulary.yaml: the code asks standards.vocab instead."""
    copies = [f"{path.relative_to(REPO)}: {found}" for path in SOURCES
              for found in _copies(path.read_text(encoding="utf-8"))]
    assert copies == []
