"""The pull-request job summary: problems first, one compliance table per touched branch, size within GitHub's cap."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from generator.pipeline import run_check
from generator.report import jobsummary

BRANCH = "records/gongcheng/gongcheng-js1"


def without_q1_assembly(root: Path) -> None:
    meetings = root / BRANCH / "meetings.csv"
    lines = meetings.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith("2025-03-05-dydh,")]
    assert len(kept) == len(lines) - 1
    meetings.write_text("".join(kept), encoding="utf-8")


def table(summary: str, branch: str) -> dict[str, tuple[int, str]]:
    """status -> (count, rules) from the branch's table."""
    section = summary.split(f"（`{branch}`）", 1)[1].split("\n####", 1)[0]
    rows = re.findall(r"^\| (\S+) \| (\d+) \| (.*) \|$", section, re.MULTILINE)
    return {status: (int(count), rules) for status, count, rules in rows}


def test_failing_rule_of_the_current_period_is_named(make_repo):
    root = make_repo()
    without_q1_assembly(root)
    branch = root / BRANCH / "branch.yaml"
    branch.write_text(branch.read_text(encoding="utf-8").replace("double_leader: true", "double_leader: false"),
                      encoding="utf-8")
    run = run_check(root, as_of=dt.date(2025, 3, 31))
    summary = jobsummary.render(run)
    rows = table(summary, "gongcheng-js1")
    assert list(rows) == ["未达标", "进行中", "提醒", "通过", "豁免", "不适用"]
    # HE-01 is a cultivation target (“使教师党支部书记普遍成为‘双带头人’”): a reminder, never 未达标
    assert rows["未达标"] == (0, "")
    assert rows["提醒"] == (1, "HE-01 教工党支部书记为“双带头人”（当前）")
    assert "MT-01 党员大会每季度至少召开1次（2025-Q1）" in rows["进行中"][1]  # the quarter ends today: still open
    rules = {r.rule for r in run.results if r.branch == "gongcheng-js1"}
    assert sum(count for count, _ in rows.values()) == len(rules)  # every rule once, in its current period
    assert "此前未达标" not in summary


def test_earlier_failures_are_listed_under_the_table(make_repo):
    root = make_repo()
    without_q1_assembly(root)
    summary = jobsummary.render(run_check(root, as_of=dt.date(2025, 4, 30)))
    rows = table(summary, "gongcheng-js1")
    assert "MT-01" in rows["进行中"][1] and "2025-Q2" in rows["进行中"][1]  # this quarter is still open
    assert "MT-01" not in rows["未达标"][1]
    assert "- MT-01 党员大会每季度至少召开1次：2025-Q1" in summary.split("此前未达标的时段：", 1)[1]


def test_problems_come_before_compliance(make_repo):
    root = make_repo()
    meetings = root / BRANCH / "meetings.csv"
    meetings.write_text(meetings.read_text(encoding="utf-8").replace("2025-02-10,", "2025-02-30,"), "utf-8")
    summary = jobsummary.render(run_check(root, as_of=dt.date(2025, 3, 31)))
    assert summary.index("### 需要处理的问题") < summary.index("### 所涉支部的合规情况")
    assert "| 错误 | `records/gongcheng/gongcheng-js1/meetings.csv` | 5 | date | `type-error` |" in summary
    assert "有错误，改正后才能合并" in summary


def test_summary_stays_within_githubs_cap(make_repo, monkeypatch):
    root = make_repo()
    monkeypatch.setattr(jobsummary, "LIMIT", 800)
    summary = jobsummary.render(run_check(root, as_of=dt.date(2025, 3, 31)))
    note = "（摘要过长，其余部分未显示；请在本地运行 `zhibu check` 查看全部。）\n"
    assert summary.endswith(note)
    assert len(summary[: -len(note)].encode("utf-8")) <= 800


def test_record_text_cannot_forge_markdown_in_the_summary(make_repo):
    """A pull request controls branch names, values and file names: the reviewer's summary shows them literally."""
    root = make_repo()
    branch = root / BRANCH / "branch.yaml"
    forged = "[点此批准](https://evil.example) <img src=x onerror=alert(1)> | ✅ 没有错误"
    branch.write_text(branch.read_text(encoding="utf-8").replace("name: 工程学院教工第一党支部", f"name: '{forged}'"),
                      encoding="utf-8")
    (root / "records/gongcheng/a`b|c.xlsx").write_bytes(b"PK")
    summary = jobsummary.render(run_check(root, as_of=dt.date(2025, 3, 31)))
    assert not re.search(r"(?<!\\)\[点此批准", summary) and not re.search(r"(?<!\\)<img", summary)
    assert r"\[点此批准\](https://evil.example) \<img src=x onerror=alert(1)\> \| ✅ 没有错误" in summary
    assert "| `` records/gongcheng/a`b\\|c.xlsx `` |" in summary  # one table cell, one code span


def test_control_characters_are_shown_not_passed_on(make_repo):
    root = make_repo()
    meetings = root / BRANCH / "meetings.csv"
    meetings.write_text(meetings.read_text(encoding="utf-8") + "2025-03-20-x,2025-03-20,党员大会,学习,\x1b[31m8,8,\n",
                        encoding="utf-8")
    run = run_check(root, as_of=dt.date(2025, 3, 31))
    assert any("\x1b" in p.message for p in run.problems)  # the value reaches the message …
    summary = jobsummary.render(run)
    assert "\x1b" not in summary and "\\x1b\\[31m8" in summary  # … and the summary shows it as text
