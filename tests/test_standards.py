"""standards/ and the rule implementations agree: every rule is implemented, sourced and titled in Chinese."""

from __future__ import annotations

import datetime as dt
import inspect
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO, VALID_RECORDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.pipeline import run_check
from generator.rules import load_all
from generator.standards.catalogue import load_standards

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


# ── rules.yaml and settings.yaml are checked like records (issue 11, class 5) ──

RULES_SCHEMA = json.loads((REPO / "standards/schemas/rules.schema.json").read_text(encoding="utf-8"))
_READS = re.compile(r"""(?:params(?:\.get\(|\[)|\bp(?:\.get\(|\[)|ctx\.param\(rule,\s*)"(\w+)\"""")


def test_standards_validate_against_their_schemas():
    assert STANDARDS.problems == []
    assert STANDARDS.set_aside == ()


def test_schema_declares_every_type_and_the_parameters_it_reads():
    assert set(RULES_SCHEMA["$defs"]["rule"]["properties"]["type"]["enum"]) == set(REGISTRY)
    for name, function in REGISTRY.items():
        declared = RULES_SCHEMA["$defs"][f"params_{name}"]["properties"]
        read = set(_READS.findall(inspect.getsource(function)))
        assert read <= set(declared), f"{name} reads {read - set(declared)} but the schema does not declare them"


def _rule_entry(**changes) -> dict:
    entry = {"id": "LC-01", "type": "meeting_frequency", "title": "党课每月至少1次", "source": "本校规定",
             "confidence": "L", "severity": "error", "period": "month", "params": {"kind": "党课", "min": 1}}
    entry.update(changes)
    return entry


def _with_rule(make_repo, entry: dict) -> tuple[Path, int]:
    """The real standards plus one more rule at the end; returns the root and the line the entry starts on."""
    root = make_repo()
    target = root / "standards/rules.yaml"
    text = target.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    start = text.count("\n") + 1
    target.write_text(text + yaml.safe_dump([entry], allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root, start


def _line_of(root: Path, start: int, needle: str) -> int:
    lines = (root / "standards/rules.yaml").read_text(encoding="utf-8").split("\n")
    return next(i + 1 for i in range(start - 1, len(lines)) if lines[i].lstrip(" -").startswith(needle))


BAD_RULES = [  # (change, code, field, the key whose line is named)
    ({"type": "meeting_frequncy"}, "rule-type-unknown", "type", "type:"),
    ({"type": "Meeting_Frequency"}, "rule-type-unknown", "type", "type:"),
    ({"type": "dues_quarterly_magic"}, "rule-type-unknown", "type", "type:"),
    ({"params": {"kind": "党课", "minimum": 2}}, "rule-param-unknown", "minimum", "minimum:"),
    ({"type": "study_hours", "params": {"min_hour": 40}}, "rule-param-unknown", "min_hour", "min_hour:"),
    ({"type": "branch_size_min", "period": "once", "params": {"min": 5}}, "rule-param-unknown", "min", "min:"),
    ({"type": "double_leader", "period": "once", "params": {"strict": True}}, "rule-param-unknown", "strict",
     "strict:"),
    ({"period": "semester"}, "rule-period-unknown", "period", "period:"),
    ({"period": "Month"}, "rule-period-unknown", "period", "period:"),
    ({"period": "weekly"}, "rule-period-unknown", "period", "period:"),
    ({"type": "study_hours", "period": "year", "params": {"min_hours": "四十"}}, "rule-invalid", "min_hours",
     "min_hours:"),
    ({"applies_to": 1}, "rule-invalid", "applies_to", "applies_to:"),  # found by the fuzz test below
    ({"params": {"min": 1}}, "rule-invalid", "kind", "min:"),  # the params block, where kind is missing
    ({"params": {"kind": "党课会", "min": 1}}, "rule-invalid", "kind", "kind:"),
    ({"params": {"kind": "党课", "setting": "lecture_per_term"}}, "rule-invalid", "setting", "setting:"),
    ({"applies_to": ["faculty", "teachers"]}, "rule-invalid", "applies_to", "teachers"),
    ({"severty": "warning"}, "rule-invalid", "severty", "severty:"),
    ({"id": "MT-01"}, "rule-invalid", "id", "id:"),
]


@pytest.mark.parametrize(("change", "code", "field", "key"), BAD_RULES, ids=lambda v: str(v)[:30])
def test_bad_rule_is_a_located_problem_and_set_aside(make_repo, change, code, field, key):
    entry = _rule_entry(**change)
    root, start = _with_rule(make_repo, entry)
    run = run_check(root, as_of=dt.date(2025, 3, 31))  # no crash, whatever the rule says
    line = _line_of(root, start, key)
    found = [(p.code, p.path, p.row, p.field) for p in run.problems if p.path.startswith("standards/")]
    assert found == [(code, "standards/rules.yaml", line, field)]
    problem = next(p for p in run.problems if p.path.startswith("standards/"))
    assert problem.severity == "error" and _HAN.search(problem.message)
    if entry["id"] == "LC-01":
        assert "LC-01" in problem.message and "LC-01" in run.standards.set_aside
        assert not any(r.rule == "LC-01" for r in run.results)  # set aside, never evaluated with defaults


def test_bad_rule_fails_the_cli_check_and_the_build(make_repo, tmp_path):
    root, _start = _with_rule(make_repo, _rule_entry(period="semester"))
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    out = subprocess.run([sys.executable, "-m", "generator", "--root", str(root), "check", "--as-of", "2025-03-31"],
                         capture_output=True, text=True, cwd=root)
    assert out.returncode == 1, out.stderr
    assert "rule-period-unknown" in out.stdout and "Traceback" not in out.stderr
    site = tmp_path / "site"
    built = subprocess.run([sys.executable, "-m", "generator", "--root", str(root), "build", "--out", str(site),
                            "--as-of", "2025-03-31"], capture_output=True, text=True, cwd=root)
    assert built.returncode == 1 and not site.exists()
    assert "rule-period-unknown" in built.stderr


@pytest.mark.parametrize(("setting", "field"), [
    ({"default": "三"}, "default"), ({"type": "int"}, "type"), ({"hlep": "x"}, "hlep"), ({"name": "Bad Name"}, "name"),
])
def test_bad_setting_is_a_located_problem(make_repo, setting, field):
    root = make_repo()
    target = root / "standards/settings.yaml"
    items = yaml.safe_load(target.read_text(encoding="utf-8"))
    next(item for item in items if item["name"] == "min_cell_size").update(setting)  # an integer no rule names
    target.write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False), encoding="utf-8")
    problems = load_standards(root / "standards").problems
    assert [(p.code, p.path, p.field) for p in problems] == [("setting-invalid", "standards/settings.yaml", field)]
    text = target.read_text(encoding="utf-8").split("\n")
    assert text[problems[0].row - 1].lstrip("- ").startswith(f"{field}:")


def test_readme_tells_colleges_to_run_the_check():
    readme = (REPO / "standards/README.md").read_text(encoding="utf-8")
    assert "rules.schema.json" in readme and "settings.schema.json" in readme
    assert "改完规则或设置后" in readme and "zhibu check" in readme


_VALUES = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**12, max_value=10**12),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
                    st.lists(st.text(max_size=6), max_size=3), st.dictionaries(st.text(max_size=6), st.integers(),
                                                                               max_size=2))
_KEYS = st.sampled_from(["type", "period", "severity", "applies_to", "params", "id", "title", "params.kind",
                         "params.min", "params.min_hours", "params.months", "params.amount", "params.max_months",
                         "params.from", "params.setting", "params.required_roles", "params.min_full"])
_FUZZ_BASE: dict = {}  # the copied repository and the rules text it started from


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(min_value=0, max_value=len(RULES) - 1), key=_KEYS, value=_VALUES)
def test_no_edit_of_a_rule_crashes_the_check(tmp_path_factory, index, key, value):
    """Whatever one rule says, the check ends with problems or results, never an exception."""
    if "root" not in _FUZZ_BASE:
        _FUZZ_BASE["root"] = tmp_path_factory.mktemp("fuzz-rules")
        shutil.copytree(VALID_RECORDS, _FUZZ_BASE["root"] / "records")
        shutil.copytree(REPO / "standards", _FUZZ_BASE["root"] / "standards")
        _FUZZ_BASE["rules"] = (REPO / "standards/rules.yaml").read_text(encoding="utf-8")  # one snapshot
    root = _FUZZ_BASE["root"]
    entries = yaml.safe_load(_FUZZ_BASE["rules"])
    target = entries[index]
    if key.startswith("params."):
        target.setdefault("params", {})[key.split(".", 1)[1]] = value
    else:
        target[key] = value
    (root / "standards/rules.yaml").write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    run = run_check(root, as_of=dt.date(2025, 3, 31))
    codes = {p.code for p in run.problems if p.path.startswith("standards/")}
    if "yaml-number-form" in codes:  # a float YAML writes as .nan, .inf or 1.0e+20: rules.yaml is not read
        assert codes == {"yaml-number-form"} and run.results == []
        return
    if "process-rule-unknown" in codes:  # the rule's id changed, and a process map's step checks with the old id
        assert key == "id" and target["id"] != yaml.safe_load(_FUZZ_BASE["rules"])[index]["id"]
        codes.discard("process-rule-unknown")
    assert codes <= {"rule-type-unknown", "rule-param-unknown", "rule-period-unknown", "rule-invalid"}
    if codes:
        assert target.get("id") in run.standards.set_aside or not isinstance(target.get("id"), str) or any(
            e.get("id") == target.get("id") for e in entries[:index])  # a duplicate id: the second is set aside


def test_every_setting_is_declared_where_organization_yaml_takes_it():
    org = json.loads((REPO / "standards/schemas/organization.schema.json").read_text(encoding="utf-8"))
    local = set(org["properties"]["settings"]["properties"])
    for setting in STANDARDS.settings:
        parts = setting["path"].split(".")
        where = org["properties"] if len(parts) == 1 else org["properties"][parts[0]]["properties"]
        assert parts[-1] in where, f"{setting['name']}: {setting['path']} is not in organization.schema.json"
        if parts[0] == "settings":
            local.discard(parts[-1])
    assert not local, f"organization.schema.json settings without an entry in settings.yaml: {local}"


# A parameter that makes its rule vacuous (always met) or impossible (never met) is refused, by class:
# (type, period, params, the parameter whose line is named). Each with 0 and with a negative value.
VACUOUS = {
    "a meeting count": ("meeting_frequency", "month", {"kind": "党课"}, "min"),
    "a group meeting count": ("group_meetings", "month", {"kind": "党小组会"}, "min"),
    "a member count (branch minimum)": ("branch_size_min", "once", {}, "min_full"),
    "a member count (branch maximum)": ("branch_size_max", "once", {}, "max"),
    "a committee size": ("committee_structure", "once", {}, "min_size"),
    "a committee threshold": ("committee_structure", "once", {}, "threshold_full"),
    "a waiting time (development)": ("development_interval", "once", {"from": "activist_on", "to": "target_on"},
                                     "min_months"),
    "a deadline (development)": ("development_interval", "once", {"from": "applied_on", "to": "talked_on"},
                                 "max_months"),
    "a seniority": ("secretary_seniority", "once", {}, "min_years"),
    "a reminder lead time": ("term_reminder", "once", {}, "months_before"),
    "study hours": ("study_hours", "year", {}, "min_hours"),
    "training hours": ("development_training", "once", {}, "min_hours"),
    "a dues amount": ("student_dues_amount", "year", {}, "amount"),
}


@pytest.mark.parametrize("value", [0, -1])
@pytest.mark.parametrize("case", list(VACUOUS))
def test_a_parameter_that_makes_a_rule_vacuous_is_refused(make_repo, case, value):
    rule_type, period, params, name = VACUOUS[case]
    root, start = _with_rule(make_repo, _rule_entry(type=rule_type, period=period, params={**params, name: value}))
    run = run_check(root, as_of=dt.date(2025, 3, 31))
    found = [(p.code, p.row, p.field) for p in run.problems if p.path.startswith("standards/")]
    assert found == [("rule-invalid", _line_of(root, start, f"{name}:"), name)]
    assert "LC-01" in run.standards.set_aside
    assert ("不能小于 1" in run.problems[0].message) or ("必须大于 0" in run.problems[0].message)


@pytest.mark.parametrize(("name", "default"), [
    ("dues_alert_months", 0), ("dues_alert_months", 6), ("min_cell_size", 0), ("student_branch_max_members", 2),
    ("party_lecture_per_quarter", -1), ("leader_study_hours", 0), ("dues_rounding", "0.5"),
    ("study_kinds_counted", []),
])
def test_a_setting_default_organization_yaml_could_not_hold_is_refused(make_repo, name, default):
    """A default is what a college gets without writing the setting: the same bounds as organization.yaml."""
    root = make_repo()
    target = root / "standards/settings.yaml"
    items = yaml.safe_load(target.read_text(encoding="utf-8"))
    next(item for item in items if item["name"] == name)["default"] = default
    target.write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False), encoding="utf-8")
    problems = load_standards(root / "standards").problems
    assert [(p.code, p.field) for p in problems] == [("setting-invalid", "default")]
    assert name in problems[0].message and "organization.schema.json" in problems[0].message
    lines = target.read_text(encoding="utf-8").split("\n")
    assert lines[problems[0].row - 1].lstrip("- ").startswith("default:")


def test_zero_lectures_a_quarter_stays_a_documented_choice(make_repo):
    """settings.yaml: 党课 per quarter “填0表示不检查” — a college's explicit choice, not a slip."""
    root = make_repo()
    org = root / "records/organization.yaml"
    org.write_text(org.read_text(encoding="utf-8").replace("party_lecture_per_quarter: 1",
                                                           "party_lecture_per_quarter: 0"), encoding="utf-8")
    run = run_check(root, as_of=dt.date(2025, 3, 31))
    assert run.problems == []


SETTING_DAMAGES = {  # make fuzz found the first two: a name of the wrong shape, a default no rule can read
    "name-a-list": ("dues_rounding", "name", ["dues_rounding"]),
    "rounding-not-a-number": ("dues_rounding", "default", "abc"),
    "rounding-a-list": ("dues_rounding", "default", ["0.01"]),
    "default-a-mapping": ("dues_alert_months", "default", {"months": 3}),
    "type-a-number": ("min_cell_size", "type", 5),
}


@pytest.mark.parametrize("damage", sorted(SETTING_DAMAGES))
def test_a_setting_with_a_problem_is_set_aside_never_read(make_repo, capsys, damage):
    """Like a rule with a problem, a setting with one is not used: the check reports it (exit 1) and no rule
    reads its name or default (the run used to end in the catch-all: InvalidOperation, unhashable list)."""
    name, key, value = SETTING_DAMAGES[damage]
    root = make_repo()
    target = root / "standards/settings.yaml"
    items = yaml.safe_load(target.read_text(encoding="utf-8"))
    next(item for item in items if item["name"] == name)[key] = value
    target.write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False), encoding="utf-8")
    standards = load_standards(root / "standards")
    assert [p.code for p in standards.problems][:1] == ["setting-invalid"]
    assert name not in standards.setting_defaults() and all(isinstance(s["name"], str) for s in standards.settings)
    from generator.cli import main

    assert main(["--root", str(root), "check", "--as-of", "2025-03-31"]) == 1
    out, err = capsys.readouterr()
    assert "setting-invalid" in out and "--debug" not in err and "Error" not in err, err


def test_a_bad_default_is_refused_even_beside_another_broken_entry(make_repo, capsys):
    """make fuzz: an entry `- null` made settings.yaml fail its schema, and the defaults of the other entries
    were then not checked at all; a study_kinds_counted default holding a null reached the study rule."""
    root = make_repo()
    target = root / "standards/settings.yaml"
    items = yaml.safe_load(target.read_text(encoding="utf-8"))
    next(item for item in items if item["name"] == "study_kinds_counted")["default"] = ["党课", None]
    target.write_text(yaml.safe_dump([None, *items], allow_unicode=True, sort_keys=False), encoding="utf-8")
    standards = load_standards(root / "standards")
    found = [(p.code, p.field) for p in standards.problems]
    assert found[0] == ("setting-invalid", None) and set(found[1:]) == {("setting-invalid", "default")}, found
    assert all("study_kinds_counted" in p.message for p in standards.problems[1:])
    assert "study_kinds_counted" not in standards.setting_defaults()
    from generator.cli import main

    assert main(["--root", str(root), "check", "--as-of", "2025-03-31"]) == 1
    assert "--debug" not in capsys.readouterr().err


@pytest.mark.parametrize("text", [
    "- id: MT-01\n  type: [meeting_frequency\n",  # a YAML syntax error
    "id: MT-01\ntype: meeting_frequency\n",  # a mapping, not a list of rules
    "",  # emptied
], ids=["syntax", "not-a-list", "empty"])
def test_unreadable_rules_is_one_problem_not_one_per_process_step(make_repo, text):
    """processes.yaml names ~20 rules; when rules.yaml cannot be read at all, its own problem is the cause,
    and "rules.yaml has no rule X" for every step of every process would bury it."""
    root = make_repo()
    (root / "standards/rules.yaml").write_text(text, encoding="utf-8")
    problems = load_standards(root / "standards").problems
    assert [p.path for p in problems] == ["standards/rules.yaml"], [(p.code, p.path) for p in problems]


def test_a_rule_removed_from_the_catalogue_is_named_by_the_processes_that_check_with_it(make_repo):
    root = make_repo()
    target = root / "standards/rules.yaml"
    entries = yaml.safe_load(target.read_text(encoding="utf-8"))
    target.write_text(yaml.safe_dump([e for e in entries if e["id"] != "DV-07"], allow_unicode=True,
                                     sort_keys=False), encoding="utf-8")
    problems = load_standards(root / "standards").problems
    assert [(p.code, p.path) for p in problems] == [("process-rule-unknown", "standards/processes.yaml")]
    assert "DV-07" in problems[0].message
