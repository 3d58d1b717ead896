"""The portal's pages (Jinja2 → Markdown): home ranking, one page per college and per rule, harvest, data.

Everything harvested (college names, reasons, addresses, rule ids and titles) goes through render.text,
which escapes HTML and Markdown: a college's name cannot add markup, scripts or links to the portal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from generator.federation.aggregate import CollegeFigures, Figures, RuleComparison, RuleFigures
from generator.federation.harvest import Harvested
from generator.federation.registry import Registry
from generator.site import charts
from generator.site.render import _CLOSE, _OPEN, Page, chart_html, pct, text
from generator.standards.identity import STANDARDS_VERSION

STALE_DAYS = 92  # a quarter: older data is not ranked among current data
GROUP_NAMES = {"MT": "会议和组织生活", "BR": "组织设置", "HE": "高校", "DU": "党费", "DV": "发展党员", "ED": "教育培训",
               "EL": "换届选举", "OL": "组织生活出勤", "MB": "组织关系"}  # the sections of standards/rules.yaml


@dataclass
class Ranked:
    code: str
    name: str
    figures: CollegeFigures
    age: int
    stale: bool


def render_portal(registry: Registry, harvested: list[Harvested], figures: Figures, today: dt.date) -> list[Page]:
    env = Environment(loader=PackageLoader("generator.federation", "templates"), undefined=StrictUndefined,
                      autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(t=text, pct=pct, chart=chart_html, html_block=html_block)
    usable = [h for h in harvested if h.ok]
    names = {h.college.code: h.college.name for h in harvested}
    ranking = ranked(usable, figures, today)
    base = {"title": registry.title, "today": today, "groups": figures.groups, "group_names": GROUP_NAMES,
            "rules": figures.rules, "colleges": figures.colleges, "names": names, "stale_days": STALE_DAYS,
            "sums": sums, "share": share, "group_share": group_share, "rule_rows": rule_rows,
            "college_rule_rows": college_rule_rows}
    pages = [
        Page("index.md", env.get_template("home.md.j2").render(
            harvested=harvested, usable=usable, failed=[h for h in harvested if not h.ok], ranking=ranking,
            total_branches=sum(f.branches for f in figures.colleges.values()), **base)),
        Page("rules/index.md", env.get_template("rules.md.j2").render(**base)),
        Page("harvest.md", env.get_template("harvest.md.j2").render(harvested=harvested,
                                                                     standards_version=STANDARDS_VERSION, **base)),
        Page("data/index.md", env.get_template("data.md.j2").render(**base)),
    ]
    college_tpl, rule_tpl = env.get_template("college.md.j2"), env.get_template("rule.md.j2")
    order = {row.code: i for i, row in enumerate(ranking)}
    by_code = {h.college.code: h for h in usable}
    for row in ranking:
        h = by_code[row.code]
        quarters = row.figures.quarters
        trend = charts.lines([q for q, _, _ in quarters], {"达标率": [p / j if j else None for _, j, p in quarters]},
                             percent=True) if quarters else None
        pages.append(Page(f"colleges/{row.code}.md", college_tpl.render(
            code=row.code, name=row.name, figures=row.figures, harvested=h, age=row.age, stale=row.stale,
            site_link=_site_link(h.college.site), trend=trend, **base)))
    for rule, comparison in figures.rules.items():
        ordered = sorted(comparison.compared, key=lambda c: (-(_share_of(figures.colleges[c].rules.get(rule))),
                                                             order.get(c, 0)))
        pages.append(Page(f"rules/{rule.lower()}.md", rule_tpl.render(c=comparison, ordered=ordered, **base)))
    return pages


_COUNTED = ("pass", "fail", "notice", "due", "exempt", "n/a")


def _cells(f: RuleFigures) -> str:
    """A result's counts, share and sums as table cells (numbers and fixed words: nothing to escape)."""
    counts = "".join(f"<td>{f.counts[s]}</td>" for s in _COUNTED)
    return f"{counts}<td>{pct(f.share)}</td><td>{sums(f)}</td>"


def rule_rows(c: RuleComparison, ordered: list[str], colleges: dict[str, CollegeFigures],
              names: dict[str, str]) -> Markup:
    """A rule page's rows, one per compared college: 45 pages of 1,500 rows are built here, not by Jinja."""
    rows = []
    for code in ordered:
        f = colleges[code].rules.get(c.rule)
        if f is not None:
            link = f'<a href="../../colleges/{escape(code)}/">{text(names[code])}</a>'
            rows.append(f"<tr><td>{link}</td>{_cells(f)}</tr>")
    return Markup("\n".join(rows))


def college_rule_rows(figures: CollegeFigures, rules: dict[str, RuleComparison], code: str) -> Markup:
    """A college page's rows, one per rule it published (1,500 pages of 45 rows)."""
    rows = []
    for rule, f in sorted(figures.rules.items()):
        same = "是" if rules[rule].includes(code) else "否（版本不同）"
        rows.append(f'<tr><td><a href="../../rules/{escape(rule.lower())}/">{text(rule)}</a></td><td>{same}</td>'
                    f"{_cells(f)}</tr>")
    return Markup("\n".join(rows))


def ranked(usable: list[Harvested], figures: Figures, today: dt.date) -> list[Ranked]:
    """Colleges with current data first, each part by compliance (best first), then by freshness and code."""
    rows = []
    for h in usable:
        f = figures.colleges[h.college.code]
        age = (today - f.as_of).days
        rows.append(Ranked(h.college.code, h.college.name, f, age, age > STALE_DAYS))
    return sorted(rows, key=lambda r: (r.stale, -(r.figures.share if r.figures.share is not None else -1), r.age,
                                       r.code))


def _share_of(figures: RuleFigures | None) -> float:
    return -1.0 if figures is None or figures.share is None else figures.share


def share(counts: dict[str, int]) -> float | None:
    judged = counts["pass"] + counts["fail"]
    return counts["pass"] / judged if judged else None


def group_share(figures: CollegeFigures, group: str) -> float | None:
    passed, judged = figures.groups.get(group, (0, 0))
    return passed / judged if judged else None


def sums(figures: RuleFigures | RuleComparison) -> str:
    if figures.hidden:
        return "已隐去"
    if figures.count_sum is None:
        return "—"
    return f"{figures.count_sum} / {figures.required_sum}"


def html_block(body: str) -> Markup:
    """Finished HTML (escaped by Jinja) kept out of Markdown: a table of 1,500 rows is not parsed as Markdown
    (see render.stash_html); data-search-exclude keeps it out of the search index too."""
    return Markup(f"{_OPEN}\n{body.strip()}\n{_CLOSE}")


def _site_link(site: str | None) -> Markup | None:
    """The college's own site, linked only when the registry gives an http(s) address (checked by its schema)."""
    if not site:
        return None
    return Markup('<a href="{}" rel="external noopener">{}</a>').format(site, text(site))
