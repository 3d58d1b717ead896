"""民主评议党员 results (appraisal.csv): counts only, checked against the roster, published with small-count
suppression — a single small count is never left derivable from the total the branch page states."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

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


def test_rectification_and_appraisal_stay_inside_the_party_unless_the_catalogue_says_public(make_repo, tmp_path):
    """The fixture's 党务公开目录 names neither kind: both default to party (settings.yaml), so the public build
    has the branch page and statistics without them, the Party build with them; compliance.csv has no counts."""
    from generator.options import BuildOptions
    from generator.pipeline import pages
    from generator.site.pages import read_blocks, read_manifest

    root = make_repo()
    (root / BRANCH / "appraisal.csv").write_text(
        "year,meeting,excellent,qualified,basic,unqualified,ungraded\n2024,,2,5,0,0,1\n", encoding="utf-8")
    (root / BRANCH / "rectification.csv").write_text(
        "id,meeting,year,due,closed_on,item,internal\n2024-zg-01,,2024,2025-02-28,2025-02-20,活动签到表填写不规范,否\n",
        encoding="utf-8")

    def texts(site: Path) -> str:
        manifest = read_manifest(site)
        return "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.md")) + "".join(
            "".join(read_blocks(site, page)) for page in manifest.blocks)

    public = texts(pages(root, tmp_path / "public", BuildOptions(as_of=AS_OF)))
    party = texts(pages(root, tmp_path / "party", BuildOptions(as_of=AS_OF, audience="party")))
    for heading in ("## 组织生活会整改", "## 民主评议党员结果", "活动签到表填写不规范"):
        assert heading not in public and heading in party
    rows = (tmp_path / "party/data/compliance.csv").read_text(encoding="utf-8").splitlines()
    judged = [row.split(",") for row in rows if ",MT-10," in row or ",MT-10P," in row]
    assert judged and all(row[-2:] == ["", ""] for row in judged)  # count, required: never a number of persons
