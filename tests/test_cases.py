"""Every rule's worked cases (standards/cases/) run through the real check: records files → `zhibu check`'s
pipeline → the rule's status for the case's period. The cases are the rule set's own tests, and the
standards page shows them, so what a Party worker reads there is what the checker does.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO
from sitehelpers import copy_project

from generator.pipeline import run_check
from generator.site.render import render_site, text
from generator.site.statistics import compute
from generator.standards.case_files import load_cases
from generator.standards.case_records import BRANCH, write_case
from generator.standards.cases import Case, id_run
from generator.standards.catalogue import load_standards

STANDARDS = load_standards(REPO / "standards")
BOOK = STANDARDS.cases
CASES = [case for rule in STANDARDS.rules for case in BOOK.of(rule.id)]
COLUMNS = {name: [f["name"] for f in schema["fields"]] for name, schema in STANDARDS.table_schemas.items()}
OPTIONAL = {name: frozenset(f["name"] for f in schema["fields"] if f.get("optionalColumn"))
            for name, schema in STANDARDS.table_schemas.items()}


def test_a_broken_case_is_case_invalid_at_its_line(tmp_path):
    root = tmp_path / "standards"
    shutil.copytree(REPO / "standards", root)
    study = root / "cases" / "study.yaml"
    lines = study.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[8] == "    expect: pass\n"
    lines[8] = "    expect: passed\n"
    study.write_text("".join(lines), encoding="utf-8")
    problems = load_standards(root).cases.problems
    assert [(p.code, p.path, p.row, p.field) for p in problems] == [
        ("case-invalid", "standards/cases/study.yaml", 9, "expect")]
    assert "未知的结果 passed（可用：pass、fail" in problems[0].message


def test_case_files_are_valid():
    """Every case names a known rule, known fields, columns, settings and statuses, and quotes its rule."""
    assert BOOK.defaults is not None
    assert [f"{p.path}:{p.row} {p.message}" for p in BOOK.problems] == []


RULE_IDS = list(dict.fromkeys(rule.id for rule in STANDARDS.rules))  # each id once, also with several versions
NOT_MET = ("fail", "notice")  # a rule not met: an error rule fails, an advisory rule gives a notice


@pytest.mark.parametrize("rule", RULE_IDS)
def test_rule_has_a_pass_a_fail_and_a_boundary(rule: str):
    """A rule ships at least three worked cases: one met, one not met, one on a boundary of the rule."""
    mine = BOOK.of(rule)
    assert len(mine) >= 3, f"{rule} 只有 {len(mine)} 个实例，至少需要3个（standards/cases/）"
    assert any(c.expect == "pass" for c in mine), f"{rule} 没有达标（pass）的实例"
    assert any(c.expect in NOT_MET for c in mine), f"{rule} 没有未达标（fail 或 notice）的实例"
    assert any(c.boundary for c in mine), f"{rule} 没有写明 boundary 的边界实例"


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.rule}-{c.number}")
def test_case(case: Case, tmp_path: Path):
    """The rule gives the case's expected status for its period, from records a secretary could commit."""
    root = write_case(case, BOOK.defaults, COLUMNS, tmp_path, OPTIONAL)
    shutil.copytree(REPO / "standards", root / "standards")
    run = run_check(root, as_of=case.as_of)
    assert run.errors == [], [f"{p.code} {p.path}:{p.row} {p.message}" for p in run.errors]
    found = {r.period: r for r in run.results if r.branch == BRANCH and r.rule == case.rule}
    where = f"{case.file} {case.rule} 第{case.number}例"
    assert case.period in found, f"{where}：没有 {case.period} 的结果（有 {sorted(found)}）"
    result = found[case.period]
    assert result.status == case.expect, (
        f"{where}“{case.text}”：应为 {case.expect}，检查结果为 {result.status}"
        f"（{result.note}）")


# ── the case files themselves: a wrong name is a clear error, never a silently skipped case ──

GOOD = """MT-01:
  - case: 一季度召开了1次党员大会
    quote: 一般每季度召开1次
    as_of: 2025-04-01
    period: 2025-Q1
    expect: pass
    meetings: |
      date,kind
      2025-02-10,党员大会
"""


def problems_of(tmp_path: Path, text: str) -> list[str]:
    """The problems found in a standards copy whose only case file holds `text`."""
    shutil.copytree(REPO / "standards", tmp_path / "standards")
    for path in (tmp_path / "standards" / "cases").glob("*.yaml"):
        if path.name != "defaults.yaml":
            path.unlink()
    (tmp_path / "standards" / "cases" / "one.yaml").write_text(text, encoding="utf-8")
    found = load_cases(load_standards(tmp_path / "standards")).problems
    assert all(p.path == "standards/cases/one.yaml" and p.row for p in found), found
    return [f"{p.path}:{p.row} {p.message}" for p in found]


def test_good_case_file_has_no_problems(tmp_path):
    assert problems_of(tmp_path, GOOD) == []


@pytest.mark.parametrize(("old", "new", "row", "message"), [
    ("MT-01:", "MT-99:", 1, "未知的规则编号 MT-99（rules.yaml 中没有这条规则）"),
    ("    expect: pass", "    expect: passed", 6,
     "MT-01 第1例：未知的结果 passed（可用：pass、fail、due、exempt、n/a、notice）"),
    ("    period: 2025-Q1", "    period: 2025-03", 5,
     "MT-01 第1例：period 应为该规则的评估周期（quarter），例如 2025-Q1，实际为 2025-03"),
    ("    period: 2025-Q1\n", "", 2, "MT-01 第1例：period 应为该规则的评估周期（quarter）"),
    ("    as_of: 2025-04-01", "    as_of: 2025-04-31", 4, "MT-01 第1例：as_of 应为日期 YYYY-MM-DD，实际为 2025-04-31"),
    ("    quote: 一般每季度召开1次", "    quote: 每季度至少召开2次", 3,
     "MT-01 第1例：quote 不在该规则 rules.yaml 的 requirement 中，请逐字引用依据原文：每季度至少召开2次"),
    ("    quote: 一般每季度召开1次\n", "", 2, "MT-01 第1例：缺少 quote"),
    ("    expect: pass", "    expect: pass\n    meeting: |\n      date\n      2025-01-01", 7,
     "MT-01 第1例：未知的字段 meeting"),
    ("      date,kind", "      day,kind", 7, "MT-01 第1例：meetings.csv 没有列 day"),
    ("      2025-02-10,党员大会", "      2025-02-10,党员大会,多余", 9,
     "MT-01 第1例：meetings 第2行有 3 个值，列名有 2 个"),
    ("    expect: pass", "    expect: pass\n    settings: {party_lectures: 2}", 7,
     "MT-01 第1例：未知的本地设置 party_lectures"),
    ("    expect: pass", "    expect: pass\n    branch: {kind: faculty}", 7,
     "MT-01 第1例：未知的 branch.yaml 字段 kind"),
    ("    expect: pass", "    expect: pass\n    members: |\n      id,admitted_on\n      pz000009…pz000001,2020-01-01",
     9,
     "MT-01 第1例：members 第2行的 pz000009…pz000001 应写成“pz000001…pz000050”"),
])
def test_case_file_mistake_is_named(tmp_path, old, new, row, message):
    """Each mistake in a case file is a problem with the file, the line, the rule, the case number and the fix."""
    assert GOOD.count(old) == 1
    found = problems_of(tmp_path, GOOD.replace(old, new))
    assert any(p.startswith(f"standards/cases/one.yaml:{row} 规则实例有误：{message}") for p in found), found


def test_repeated_rule_in_a_case_file_is_named(tmp_path):
    found = problems_of(tmp_path, GOOD + GOOD)
    assert len(found) == 1 and found[0].startswith("standards/cases/one.yaml:10 ") and "MT-01" in found[0], found


def test_a_wrong_expectation_fails_the_case(tmp_path):
    """The runner is not a rubber stamp: the same records with the opposite expectation give another status."""
    case = BOOK.of("MT-01")[0]
    root = write_case(case, BOOK.defaults, COLUMNS, tmp_path, OPTIONAL)
    shutil.copytree(REPO / "standards", root / "standards")
    (root / "records/shili-danwei/shili/meetings.csv").write_text(
        "id,date,kind,topic,expected,present,group\n", encoding="utf-8")
    run = run_check(root, as_of=case.as_of)
    assert case.expect == "pass"
    assert {r.period: r.status for r in run.results if r.rule == "MT-01"}[case.period] == "fail"


def test_standards_page_shows_every_case_under_its_rule(tmp_path):
    """A Party worker reads each case on the standards page, under its own rule: situation → status in Chinese."""
    project = copy_project(tmp_path / "p", REPO / "tests/data/valid/records")
    run = run_check(project, as_of=dt.date(2025, 3, 31))
    page = next(p.content for p in render_site(run, compute(run.ledger, run.results, run.as_of))
                if p.path == "standards/index.md")
    sections = dict(re.findall(r"^## (\S+) .*?\n(.*?)(?=^## )", page, re.MULTILINE | re.DOTALL))
    words = {item["key"]: item["zh"] for item in STANDARDS.vocabulary["result_statuses"]["items"]}
    for case in CASES:
        summary = f"例{case.number}"
        if case.boundary:
            summary += f"（边界：{text(case.boundary)}）"
        summary += f"：{text(case.text)} → <strong>{words[case.expect]}</strong></summary>"
        assert summary in sections[case.rule], (case.rule, summary)
        assert f"依据原文：“{case.quote}”" in sections[case.rule], (case.rule, case.quote)
    assert "## 实例怎么读" in page


def test_case_pseudonyms_are_nobody_in_the_records():
    """The cases' illustrative ids (pz…, py…) are shown on the public standards page: none is a real member's id."""
    cells = {cell for case in CASES for table in case.tables.values() for row in table.rows for cell in row}
    cells |= {cell for row in BOOK.defaults.members.rows for cell in row}
    shown = {one for cell in cells for one in (id_run(cell) or [cell])}
    assert "pz000050" in shown  # the runs are written out
    roster = set()
    for members in (REPO / "records").glob("*/*/members.csv"):
        roster |= {line.split(",")[0] for line in members.read_text(encoding="utf-8").splitlines()[1:]}
    for members in (REPO / "tests/data/valid/records").glob("*/*/members.csv"):
        roster |= {line.split(",")[0] for line in members.read_text(encoding="utf-8").splitlines()[1:]}
    assert len(roster) > 100
    assert not shown & roster
