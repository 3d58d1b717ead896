"""民主评议党员 results (appraisal.csv): counts only, checked against the roster, published with small-count
suppression — a single small count is never left derivable from the total the branch page states."""

from __future__ import annotations

import datetime as dt

from generator.pipeline import run_check
from generator.site.duties import suppressed_cells
from generator.site.render import render_site
from generator.site.statistics import compute

BRANCH = "records/gongcheng/gongcheng-js1"
AS_OF = dt.date(2025, 12, 31)


def test_one_small_count_hides_the_next_smallest_too():
    assert suppressed_cells((2, 5, 0, 0, 1), 5) == ["<5", "5", "0", "0", "<5"]  # two small: nothing more hidden
    assert suppressed_cells((3, 15, 0, 0, 0), 5) == ["<5", "—", "0", "0", "0"]  # 3 would follow from the total
    assert suppressed_cells((6, 15, 0, 0, 9), 5) == ["6", "15", "0", "0", "9"]
    assert suppressed_cells((1, 0, 0, 0, 0), 5) == ["<5", "0", "0", "0", "0"]  # nothing else to hide


def test_branch_page_and_statistics_publish_no_small_count(make_repo):
    root = make_repo()  # 8 members on 31 December 2025: 7 full, pa000008 probationary (admitted 2024-12-20)
    (root / BRANCH / "appraisal.csv").write_text(
        "year,meeting,excellent,qualified,basic,unqualified,ungraded\n2025,,2,4,0,1,1\n", encoding="utf-8")
    run = run_check(root, as_of=AS_OF)
    assert run.problems == []
    found = {r.rule: r.status for r in run.results if r.period == "2025" and r.rule in ("MT-10", "MT-10P")}
    assert found == {"MT-10": "pass", "MT-10P": "pass"}  # 2 × 3 ≤ 7 graded; 7 graded ≤ 7 full members
    pages = {p.path: p.content for p in render_site(run, compute(run.ledger, run.results, run.as_of))}
    row = "| 2025 | &lt;5 | &lt;5 | 0 | &lt;5 | &lt;5 |"
    assert row in pages["branches/gongcheng-js1.md"]
    assert "| 2025 | 1 | &lt;5 | &lt;5 | 0 | &lt;5 | &lt;5 |" in pages["statistics.md"]


def test_a_count_that_misses_the_roster_is_a_warning_with_both_numbers(make_repo):
    root = make_repo()
    (root / BRANCH / "appraisal.csv").write_text(
        "year,meeting,excellent,qualified,basic,unqualified,ungraded\n2025,,2,6,0,0,1\n", encoding="utf-8")
    run = run_check(root, as_of=AS_OF)
    [problem] = run.problems
    assert (problem.code, problem.severity, problem.row, problem.field) == (
        "appraisal-count-mismatch", "warning", 2, "ungraded")
    assert "2025 年民主评议登记了 9 人（评定等次 8 人、未评定等次 1 人），评议当日（2025-12-31）本支部在册党员为 8 人" \
        in problem.message
    statuses = {r.rule: r.status for r in run.results if r.period == "2025" and r.rule == "MT-10P"}
    assert statuses == {"MT-10P": "fail"}  # 8 graded, 7 full members: the probationary member was graded
