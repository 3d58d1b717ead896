"""A YAML mistake a secretary makes is named in Chinese, with the way out; PyYAML's English never shows."""

from __future__ import annotations

import datetime as dt
import re

import pytest

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
    (root / BRANCH / "exemptions.yaml").write_text(
        "exemptions:\n  - rule: MT-07\n    from: 2025/7/1\n    expires_on: 2025/8/31\n"
        "    reason: 暑假期间学生离校，经院党委批准暂停\n    approver: 工程学院党委\n    approved_on: 2025/6/20\n",
        encoding="utf-8")
    run = run_check(root, as_of=dt.date(2026, 11, 20))
    found = [(p.code, p.row, p.field) for p in run.problems if p.path == f"{BRANCH}/exemptions.yaml"]
    assert found == [("invalid-date", 3, "from"), ("invalid-date", 4, "expires_on"),
                     ("invalid-date", 7, "approved_on")]
    assert all("2025-03-01 这样的真实日期" in p.message for p in run.problems if p.code == "invalid-date")
