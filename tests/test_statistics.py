"""Small-count suppression at its threshold, as published on branch and statistics pages."""

from __future__ import annotations

from generator.statistics import suppress


def test_suppression_threshold():
    assert suppress(0, 5) == "0"
    assert suppress(1, 5) == "<5"
    assert suppress(4, 5) == "<5"
    assert suppress(5, 5) == "5"
    assert suppress(6, 3) == "6"


def test_branch_page_suppresses_development_counts():
    from pathlib import Path

    golden = (Path(__file__).parent / "golden/branches/gongcheng-js1.md").read_text(encoding="utf-8")
    section = golden[golden.index("## 发展党员"):golden.index("## 接下来要做的")]
    assert "| 递交申请 | &lt;5 |" in section  # two applicants in the fixture: below the threshold of 5


def test_dues_collection_per_month(make_repo):
    """Owed and collected per month: a partial payment counts what was paid, a payment after the as-of date nothing."""
    import datetime as dt

    from generator.pipeline import run_check
    from generator.statistics import compute

    root = make_repo()
    dues = root / "records/gongcheng/gongcheng-js1/dues.csv"
    text = dues.read_text(encoding="utf-8")
    text = text.replace("2025-02,pa000001,50.00,50.00,2025-02-10", "2025-02,pa000001,50.00,20.00,2025-02-10")
    text = text.replace("2025-03,pa000002,50.00,50.00,2025-03-10", "2025-03,pa000002,50.00,50.00,2025-04-02")
    dues.write_text(text, encoding="utf-8")
    run = run_check(root, as_of=dt.date(2025, 3, 31))
    months = {row["month"]: row for row in compute(run.ledger, run.results, run.as_of).dues_monthly}
    # The fixture's branch has 8 members owing 50.00 a month.
    assert (months["2025-01"]["owed"], months["2025-01"]["paid"], months["2025-01"]["rate"]) == (400, 400, 1.0)
    assert (months["2025-02"]["owed"], months["2025-02"]["paid"], months["2025-02"]["rate"]) == (400, 370, 0.925)
    assert (months["2025-03"]["owed"], months["2025-03"]["paid"], months["2025-03"]["rate"]) == (400, 350, 0.875)


def test_suppression_one_below_at_and_one_above_the_threshold():
    assert suppress(4, 5) == "<5"  # threshold - 1
    assert suppress(5, 5) == "5"  # threshold
    assert suppress(6, 5) == "6"  # threshold + 1


def test_rendered_pages_suppress_at_the_threshold(tmp_path):
    """The fixture has 8 members, all 教职工: thresholds 9, 8 and 7 put that count one below, at and one above."""
    import datetime as dt
    import re

    import yaml
    from sitehelpers import REPO, copy_project

    from generator.pipeline import run_check
    from generator.render import render_site
    from generator.statistics import compute

    shown = {}
    for threshold in (7, 8, 9):
        project = copy_project(tmp_path / f"t{threshold}", REPO / "tests/data/valid/records")
        org = project / "records/organization.yaml"
        data = yaml.safe_load(org.read_text(encoding="utf-8"))
        data["min_cell_size"] = threshold
        org.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        run = run_check(project, as_of=dt.date(2025, 3, 31))
        assert not run.errors
        pages = {p.path: p.content for p in render_site(run, compute(run.ledger, run.results, run.as_of))}
        rows = {page: re.findall(r"^\| 教职工 \| (.*?) \|$", pages[page], re.M)
                for page in ("index.md", "statistics.md")}
        chart = re.search(r"&#34;data&#34;: \[(\w+)\][^>]*&#34;教职工&#34;", pages["statistics.md"])
        shown[threshold] = (rows, chart.group(1) if chart else None)
    assert shown[9] == ({"index.md": ["&lt;9"], "statistics.md": ["&lt;9"]}, "null")  # 8 is one below 9
    assert shown[8] == ({"index.md": ["8"], "statistics.md": ["8"]}, "8")  # at the threshold: published
    assert shown[7] == ({"index.md": ["8"], "statistics.md": ["8"]}, "8")
