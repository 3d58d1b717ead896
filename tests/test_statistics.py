"""Small-count suppression at its threshold, as published on branch and statistics pages."""

from __future__ import annotations

from generator.site.statistics import suppress


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
    assert "| 递交入党申请书 | 0 | &lt;5 |" in section  # two applicants in the fixture: below the threshold of 5
    assert "（&lt;5/&lt;5 人）" in section  # DV-02 judged both: counts of people suppressed too
    # the fixture's development.csv keeps no optional step columns: those checks say why they cannot judge
    assert "培养联系人：不适用（development.csv 没有 mentor1、mentor2 列" in section
    assert "未达标" not in section


def test_dues_collection_per_month(make_repo):
    """Owed and collected per month: a partial payment counts what was paid, a payment after the as-of date nothing."""
    import datetime as dt

    from generator.pipeline import run_check
    from generator.site.statistics import compute

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

    from sitehelpers import REPO, copy_project, set_organization

    from generator.pipeline import run_check
    from generator.site.render import render_site
    from generator.site.statistics import compute

    shown = {}
    for threshold in (7, 8, 9):
        project = copy_project(tmp_path / f"t{threshold}", REPO / "tests/data/valid/records")
        set_organization(project, min_cell_size=threshold)
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


def _with_threshold(tmp_path, threshold: int):
    import datetime as dt

    from sitehelpers import REPO, copy_project, set_organization

    from generator.pipeline import run_check

    project = copy_project(tmp_path / f"t{threshold}", REPO / "records")
    set_organization(project, min_cell_size=threshold)
    return run_check(project, as_of=dt.date(2026, 11, 20))


def test_how_few_members_fell_short_is_not_published(tmp_path):
    """A rule failed by k members: at threshold k the branch page and compliance.csv say k; at k + 1 neither does."""
    import re

    from generator.site.opendata import build_open_data
    from generator.site.render import render_site
    from generator.site.statistics import compute

    run = _with_threshold(tmp_path, 5)
    target = next(r for r in run.results if r.status == "fail" and r.people and r.count is not None
                  and r.rule.startswith("DU") and len(r.evidence) == r.people)
    k = target.people
    anchor = f'id="e-{target.rule.lower()}-{target.period.lower()}"'
    seen = {}
    for threshold in (k, k + 1):
        run = _with_threshold(tmp_path, threshold)
        stats = compute(run.ledger, run.results, run.as_of)
        page = {p.path: p.content for p in render_site(run, stats)}[f"branches/{target.branch}.md"]
        paragraph = next(line for line in page.splitlines() if anchor in line)
        rows = build_open_data(run, stats)["compliance.csv"].decode("utf-8").splitlines()
        row = next(r for r in rows if r.startswith(f"{target.branch},") and f",{target.rule},{target.period}," in r)
        seen[threshold] = (paragraph, row)
    shown, hidden = seen[k], seen[k + 1]
    assert f"（{target.count}/{target.required}）" in shown[0] and f"{k} 名党员" in shown[0]
    assert len(re.findall(r"第 \d+ 行", shown[0])) == k
    assert shown[1].endswith(f",fail,{target.count},{target.required}")
    assert f"（{target.count}/{target.required}）" not in hidden[0] and "名党员" not in hidden[0]
    assert not re.search(r"第 \d+ 行", hidden[0]) and f"少于 {k + 1}" in hidden[0]
    assert hidden[1].endswith(",fail,,")


def test_tables_under_charts_show_the_numbers_the_charts_show():
    """统计 says every chart has a table with the same numbers: 离退休党总支 98.2% on the bar, not 98% below it."""
    import datetime as dt
    import html
    import json
    import re

    from sitehelpers import REPO

    from generator.pipeline import run_check
    from generator.site.render import render_site
    from generator.site.statistics import compute

    run = run_check(REPO, as_of=dt.date(2026, 11, 20))
    page = {p.path: p.content for p in render_site(run, compute(run.ledger, run.results, run.as_of))}["statistics.md"]
    assert "所有图表下方都有同样数字的数据表" in page
    section = page.split("## 党费收缴率（各单位，近 12 个月）")[1].split("\n## ")[0]
    chart = json.loads(html.unescape(re.search(r'data-chart="([^"]+)"', section).group(1)))
    bars = dict(zip(chart["yAxis"]["data"], chart["series"][0]["data"], strict=True))
    rows = dict(re.findall(r"^\| (\S+) \| (\S+%) \|$", section, re.M))
    assert set(rows) == set(bars) and len(rows) >= 5
    for unit, value in bars.items():  # the label ECharts draws is "{c}%": 98.2 → 98.2%, 100.0 → 100%
        assert rows[unit] == f"{value:g}%", unit
    assert any(not float(v).is_integer() for v in bars.values())  # the demo has a share that is not whole


def test_a_college_of_many_units_gets_their_spread_and_each_unit_its_own_trend(monkeypatch):
    """Past UNITS_ONE_BY_ONE units (6,000 branches: 754), the statistics page shows how the units' shares spread
    and the units that lag; each unit's quarters move to its own page (the demo's 7 units, the limit set to 3)."""
    import datetime as dt
    import html
    import json
    import re

    from sitehelpers import REPO

    from generator.pipeline import run_check
    from generator.site import render
    from generator.site.statistics import compute

    monkeypatch.setattr(render, "UNITS_ONE_BY_ONE", 3)
    monkeypatch.setattr(render, "LAGGING_UNITS", 10)  # more than the units: only those below 100 % are listed
    run = run_check(REPO, as_of=dt.date(2026, 11, 20))
    stats = compute(run.ledger, run.results, run.as_of)
    pages = {p.path: p.content for p in render.render_site(run, stats)}
    page = pages["statistics.md"]
    trend = page.split("## 各单位达标率（按季度）")[1].split("\n## ")[0]
    assert "本校有 7 个单位" in trend
    names = [u["name"] for u in stats.units.values()]
    shares = sorted((u["share"], code) for code, u in stats.units.items() if u["share"] is not None and u["share"] < 1)
    assert len(shares) >= 2  # the demo has units behind
    lagging = [stats.units[code]["name"] for _share, code in shares]
    assert [n for n in names if n in trend] == [n for n in names if n in lagging]  # no other unit is listed
    row = r"^\| (\d{4}-Q\d) \| (\d+) \| (\S+) \| \S+ \| (\S+) \| \S+ \| (\S+) \|$"  # low, median, high
    rows = {cells[0]: cells[1:] for cells in re.findall(row, trend, re.M)}
    assert len(rows) == len(stats.share_trend) > 4
    for i, (quarter, _share) in enumerate(stats.share_trend):
        values = sorted(s[i][1] for s in stats.unit_trend.values() if s[i][1] is not None)
        middle = (values[(len(values) - 1) // 2] + values[len(values) // 2]) / 2
        shown = [f"{round(100 * v, 1):g}%" for v in (values[0], middle, values[-1])]
        assert rows[quarter] == (str(len(values)), *shown), quarter
    chart = json.loads(html.unescape(re.search(r'data-chart="([^"]+)"', trend).group(1)))
    assert [s["name"] for s in chart["series"]] == ["最高", "上四分位数", "中位数", "下四分位数", "最低"]
    dues = page.split("## 党费收缴率（各单位，近 12 个月）")[1].split("\n## ")[0]
    bands = re.findall(r"^\| ([^|]+) \| (\d+) \|$", dues, re.M)
    assert sum(int(n) for _label, n in bands) == 7 and len(bands) == 6
    behind = {u["name"] for u in stats.units.values() if u["dues_rate"] is not None and u["dues_rate"] < 1}
    assert 0 < len(behind) < 7  # some units collected every yuan: those are not listed as the lowest
    assert {n for n in names if n in dues.split("### 收缴率最低的")[1]} == behind
    for code, unit in stats.units.items():  # each unit's quarters, on its own page, beside the college's
        own = pages[f"units/{code}.md"].split("## 本单位达标率（按季度）")[1]
        for (quarter, mine), (_q, college) in zip(stats.unit_trend[code], stats.share_trend, strict=True):
            cells = [f"{round(100 * v, 1):g}%" if v is not None else "—" for v in (mine, college)]
            assert f"| {quarter} | {cells[0]} | {cells[1]} |" in own, (code, quarter)
        assert unit["name"] in pages["units/index.md"]
    assert "zhibu-chart" not in pages["units/index.md"] and "[统计](../statistics.md)" in pages["units/index.md"]
