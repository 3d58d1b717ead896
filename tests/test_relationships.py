"""组织关系 from roster dates (MB-01, HE-04, MB-02): the statistics page states how many members are away,
retained or out of contact only above the small-count threshold, and never who."""

from __future__ import annotations

import datetime as dt

from generator.pipeline import run_check
from generator.site.render import render_site
from generator.site.statistics import compute

BRANCH = "records/gongcheng/gongcheng-js1"


def test_one_member_away_is_a_notice_and_a_suppressed_count(make_repo):
    root = make_repo()
    roster = root / BRANCH / "members.csv"
    lines = roster.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",away_since"] + [line + (",2024-09-01" if i == 2 else ",")
                                          for i, line in enumerate(lines[1:], start=1)]
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = run_check(root, as_of=dt.date(2025, 3, 31))
    assert run.problems == []
    [result] = [r for r in run.results if r.rule == "MB-01"]
    assert (result.status, result.count, result.people) == ("notice", None, 1)  # 外出满6个月: 2024-09-01 → 2025-03-01
    page = next(p.content for p in render_site(run, compute(run.ledger, run.results, run.as_of))
                if p.path == "statistics.md")
    assert "| 其中外出已满6个月（应转移组织关系，MB-01） | &lt;5 |" in page
    assert "pa000002" not in page
