"""MT-03's `min` parameter is read (issue 11 class 5: a declared parameter must never be silently ignored).

支部条例 第十三条: "党小组会一般每月召开1次". The national rule keeps min 1; a college that edits rules.yaml to
ask for 2 a month must get what it wrote, not the default.
"""

from __future__ import annotations

import datetime as dt

import yaml

from generator.pipeline import run_check

BRANCH = "records/gongcheng/gongcheng-js1"
AS_OF = dt.date(2025, 4, 30)


def _mt03(root, minimum: int | None):
    path = root / "standards/rules.yaml"
    rules = yaml.safe_load(path.read_text(encoding="utf-8"))
    for rule in rules:
        if rule["id"] == "MT-03" and minimum is not None:
            rule["params"]["min"] = minimum
    path.write_text(yaml.safe_dump(rules, allow_unicode=True, sort_keys=False), encoding="utf-8")
    run = run_check(root, as_of=AS_OF)
    assert not run.errors, [(p.code, p.message) for p in run.errors]
    return {r.period: r for r in run.results if r.rule == "MT-03" and r.branch == "gongcheng-js1"}


def test_one_group_meeting_a_month_passes_the_national_rule(make_repo):
    """The fixture's 第一党小组 met once in each of January, February and March 2025."""
    results = _mt03(make_repo(), None)
    assert [results[m].status for m in ("2025-01", "2025-02", "2025-03")] == ["pass", "pass", "pass"]


def test_a_college_that_asks_for_two_gets_two(make_repo):
    root = make_repo()
    meetings = root / BRANCH / "meetings.csv"
    meetings.write_text(meetings.read_text(encoding="utf-8")
                        + "2025-02-27-xzh,2025-02-27,党小组会,学习交流,8,8,g1\n", encoding="utf-8")
    results = _mt03(root, 2)
    assert results["2025-01"].status == "fail"  # one meeting, two asked for
    assert "党小组会少于 2 次：第一党小组" in results["2025-01"].note
    assert results["2025-02"].status == "pass"  # 02-21 and 02-27
