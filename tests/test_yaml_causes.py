"""A YAML mistake a secretary makes is named in Chinese, with the way out; PyYAML's English never shows."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from recordedits import write_exemption

from generator.pipeline import run_check
from generator.records.yamlfile import load_yaml

BRANCH = "records/gongcheng/gongcheng-js1"

GOOD = "exemptions:\n- rule: MT-07\n  from: 2025-07-01\n  expires_on: 2025-08-31\n"


@pytest.mark.parametrize(("text", "row", "cause", "fix"), [
    (GOOD + "- rule: MT-07\n\tfrom: 2025-07-01\n", 6, "第 6 行用制表符（Tab）缩进", "Tab 换成空格"),
    (GOOD + "- rule： MT-07\n  from: 2025-07-01\n", 5, "第 5 行的键后面用了中文冒号“：”", "英文冒号加一个空格"),
    (GOOD + "- rule: MT-07\n  from:2025-07-01\n  reason: 暑假\n", 6, "第 6 行的冒号后面少了空格", "在冒号后补一个空格"),
], ids=["tab", "fullwidth-colon", "no-space"])
def test_a_common_yaml_mistake_is_named_in_chinese(text, row, cause, fix):
    data, _, problems = load_yaml(text, "records/a/a-1/exemptions.yaml")
    assert data is None and [p.code for p in problems] == ["yaml-syntax"]
    problem = problems[0]
    assert problem.row == row
    assert cause in problem.message and fix in problem.message
    # no English parser text ("found character '\t' that cannot start any token", "mapping values …")
    assert not re.search(r"[A-Za-z]{4,} [A-Za-z]{2,}", problem.message), problem.message
    assert problem.message_en.startswith("YAML syntax error: near line")


def test_a_fullwidth_colon_inside_a_value_is_not_blamed():
    """“：” in a reason is ordinary text; an unclosed quote on the next line is the real mistake."""
    text = GOOD + "  reason: 暑假：学生离校\n  approver: \"院党委\n"
    _, _, problems = load_yaml(text, "records/a/a-1/exemptions.yaml")
    [problem] = problems
    assert "中文冒号" not in problem.message
    assert "无法读取" in problem.message and "引号是否成对" in problem.message
    assert not re.search(r"[A-Za-z]{4,} [A-Za-z]{2,}", problem.message), problem.message


def test_a_date_written_2025_7_1_in_yaml_is_one_problem(make_repo):
    """Each slash date is named once (invalid-date with the way to write it), not again as a schema pattern."""
    root = make_repo()
    write_exemption(root, "2025/7/1", "2025/8/31", "2025/6/20")
    run = run_check(root, as_of=dt.date(2026, 11, 20))
    found = [(p.code, p.row, p.field) for p in run.problems if p.path == f"{BRANCH}/exemptions.yaml"]
    assert found == [("invalid-date", 3, "from"), ("invalid-date", 4, "expires_on"),
                     ("invalid-date", 7, "approved_on")]
    assert all("2025-03-01 这样的真实日期" in p.message for p in run.problems if p.code == "invalid-date")


# YAML 1.1 reads all of these as numbers (or, for 0o3, 08 and 1e3, as text that looks like one); the contract
# allows only plain decimals. (written, the decimal the message suggests, or None when none is meant)
NUMBER_FORMS = [("0x3", "3"), ("0o3", "3"), ("0b11", "3"), ("1_000", "1000"), ("+3", "3"), ("3.", "3"),
                (".5", "0.5"), ("1:30", None), ("1.0e+3", "1000"), ("1e3", "1000"), ("010", "10"), ("08", "8"),
                (".inf", None), ("-.inf", None), (".nan", None), ("-0x1F", "-31")]


@pytest.mark.parametrize(("written", "decimal"), NUMBER_FORMS, ids=[w for w, _ in NUMBER_FORMS])
def test_a_number_form_other_than_a_plain_decimal_is_named(written, decimal):
    text = f"code: gongcheng-js1\ncommittee:\n  elected_on: 2024-05-10\n  term_years: {written}\n"
    data, _, problems = load_yaml(text, f"{BRANCH}/branch.yaml")
    assert data is None
    assert [(p.code, p.row, p.column, p.field) for p in problems] == [("yaml-number-form", 4, 15, "term_years")]
    message = problems[0].message
    assert f"“{written}”是" in message and f'如 "{written}"' in message  # the value, and how to keep it as text
    assert (f"请写成 {decimal}；" in message) if decimal else "请写成普通的十进制数" in message


@pytest.mark.parametrize("text", ["term_years: 3", "amount: 0.20", "x: -3", "x: 0", "x: -0.5", "x: '0x3'",
                                  'x: "1:30"', "x: 2025-03-01", "x: 2025-03", "x: g1", "x: 1.2.3", "x: 学习 1:30"])
def test_plain_decimals_and_text_are_read_as_before(text):
    data, _, problems = load_yaml(text, f"{BRANCH}/branch.yaml")
    assert problems == [] and data is not None


def test_number_forms_are_all_named_with_their_lines():
    text = "a: 0x3\nb: [1, 0b11, 2]\nc:\n  d: +3\n  e: 3\n"
    _, _, problems = load_yaml(text, f"{BRANCH}/branch.yaml")
    assert sorted((p.row, p.field) for p in problems) == [(1, "a"), (2, "b"), (4, "d")]


@pytest.mark.parametrize("written", ["0x3", "1_000", "+1", "1.", ".nan", ".inf"])
def test_a_number_form_in_the_rules_is_named_too(make_repo, written):
    root = make_repo()
    rules = root / "standards/rules.yaml"
    text = rules.read_text(encoding="utf-8")
    assert "params: {months_before: 6}" in text
    rules.write_text(text.replace("params: {months_before: 6}", f"params: {{months_before: {written}}}"),
                     encoding="utf-8")
    edited = rules.read_text(encoding="utf-8")
    line = edited[: edited.index(f"months_before: {written}")].count("\n") + 1
    run = run_check(root, as_of=dt.date(2025, 3, 31))
    found = [(p.code, p.path, p.row, p.field) for p in run.problems if p.path.startswith("standards/")]
    assert found == [("yaml-number-form", "standards/rules.yaml", line, "months_before")]
    assert not run.results  # an unreadable rules.yaml judges nothing, like any other YAML mistake in it
