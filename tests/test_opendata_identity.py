"""The open data package says what it was judged by (standards version, rule fingerprints) and checks itself."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections import Counter

from sitehelpers import set_organization

from generator.pipeline import run_check
from generator.site.opendata import build_open_data
from generator.site.statistics import compute

AS_OF = dt.date(2026, 3, 20)


def _package(root) -> dict[str, bytes]:
    run = run_check(root, as_of=AS_OF)
    return build_open_data(run, compute(run.ledger, run.results, run.as_of))


def _rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_descriptor_names_standards_ruleset_and_checks_every_file(make_repo):
    files = _package(make_repo())
    descriptor = json.loads(files["datapackage.json"])
    zhibu = descriptor["zhibu"]
    assert zhibu["college"] == "test-college" and zhibu["as_of"] == "2026-03-20"
    assert zhibu["standards_version"] == "1.0" and zhibu["ruleset"].startswith("rs-")
    assert zhibu["min_cell_size"] == 5 and "commit" in zhibu
    assert {r["name"] for r in descriptor["resources"]} >= {"compliance", "branches", "units", "rules", "quarterly"}
    for resource in descriptor["resources"]:
        data = files[resource["path"]]
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()


def test_quarterly_table_agrees_with_compliance(make_repo):
    files = _package(make_repo())
    expected: Counter = Counter()
    passed: Counter = Counter()
    for row in _rows(files["compliance.csv"]):
        period = row["period"]
        if row["status"] not in ("pass", "fail") or period == "once" or "-" not in period:
            continue
        quarter = period if "-Q" in period else f"{period[:4]}-Q{(int(period[5:7]) - 1) // 3 + 1}"
        expected[(quarter, row["rule"])] += 1
        passed[(quarter, row["rule"])] += row["status"] == "pass"
    quarterly = _rows(files["quarterly.csv"])
    assert quarterly, "the fixture has quarterly results"
    assert {(r["quarter"], r["rule"]): (int(r["judged"]), int(r["passed"])) for r in quarterly} == {
        key: (count, passed[key]) for key, count in expected.items()}


def test_a_local_setting_changes_only_the_rules_that_read_it(make_repo):
    def fingerprints(root) -> tuple[str, dict[str, str]]:
        files = _package(root)
        rules = {r["rule"]: r["fingerprint"] for r in _rows(files["rules.csv"])}
        return json.loads(files["datapackage.json"])["zhibu"]["ruleset"], rules

    same = make_repo()
    changed = make_repo()
    set_organization(changed, settings={"party_lecture_per_quarter": 3})
    ruleset_a, rules_a = fingerprints(same)
    ruleset_b, rules_b = fingerprints(changed)
    assert ruleset_a != ruleset_b
    differing = {rule for rule in rules_a if rules_a[rule] != rules_b[rule]}
    assert differing == {"MT-06"}  # the 党课 rule, the one naming party_lecture_per_quarter
    assert fingerprints(make_repo())[0] == ruleset_a  # the same standards and settings: the same fingerprint
