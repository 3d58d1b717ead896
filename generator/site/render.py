"""Render stage: Jinja2 templates (in the package) → Markdown pages, from plain data. No MkDocs here."""

from __future__ import annotations

import functools
import json
import re
import statistics
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from generator.history.timeline import SiteHistory
from generator.problems.typenames import TYPE_ZH
from generator.records import personal
from generator.records.control import CONTROL
from generator.rules import Result
from generator.rules.periods import ONCE, add_years
from generator.rules.reasons import merge_issues, span
from generator.site import annual, charts, reminders
from generator.site.audience import (
    KINDS,
    PUBLIC,
    Disclosure,
    part_marker,
    restricted,
)
from generator.site.development import development_stages, step_checks, step_funnel
from generator.site.duties import (
    GRADES,
    appraisal_years,
    college_rectification,
    rectification_years,
    relationship_counts,
    suppressed_cells,
)
from generator.site.election_stats import absence_summary, election_years
from generator.site.flowchart import flowchart
from generator.site.repolinks import RepositoryLinks
from generator.site.statistics import STAGES as STAGE_KEYS
from generator.site.statistics import Statistics, branch_funnel, few_people, suppress
from generator.standards import versions
from generator.standards.cases import pseudonyms
from generator.standards.vocabulary import Vocabulary

if TYPE_CHECKING:  # pipeline imports this module: the name only for type hints
    from generator.pipeline import CheckRun

# Labels of values (statuses and their marks, branch types, unit kinds) come from standards/vocabulary.yaml.
EXPLAINED = ("fail", "notice", "due", "exempt")  # statuses explained in a paragraph under the checklist
LEGEND = ("pass", "fail", "notice", "due", "exempt", "n/a")  # the order the legend and the tables list statuses in
MAX_TEXT = 200  # the longest free text the schemas allow (topic, reason); longer text is cut with a visible mark
TRUNCATED = "…（已截断）"
# HTML specials and Markdown specials, each replaced by a numeric character reference in one pass (two passes
# would escape the '#' of the first pass's references: &#34; shown as literal text).
_SPECIAL = re.compile(r"[&<>\"'\\`*_{}\[\]()#+!|~=-]")
_BIDI = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_ISOLATE_OPEN = re.compile(r"[\u2066-\u2068]")
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2018\u2019\u201c\u201d"  # CJK marks, ideographs, full-width, “”‘’
_WEB_ADDRESS = re.compile(r"https?://[^\s<>\"'|]+")
_BETWEEN_CJK = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")


def text(value: object) -> Markup:
    """Record text as inert literal text (see _text); the same few thousand values recur on every page."""
    return _text_cached(value) if isinstance(value, str | int) else _text(value)


@functools.lru_cache(maxsize=1 << 16, typed=True)  # typed: True is not 1
def _text_cached(value: str | int) -> Markup:
    return _text(value)


def standards_text(value: object) -> Markup:
    """Our own standards text (rules.yaml, the worked cases) as inert literal text, shown whole: a reader must see
    the whole requirement. Only record text, which anyone may write, is cut at MAX_TEXT."""
    return _text(value, None)


def _text(value: object, limit: int | None = MAX_TEXT) -> Markup:
    """Record text as inert literal text: one line, HTML-escaped, Markdown specials neutralised, truncated.

    Control characters become U+FFFD (visible); text with bidirectional controls (an RTL override) is wrapped
    in an isolate closed as often as needed, so the override cannot reorder the page text that follows it.
    The result is also safe inside a double-quoted YAML scalar (front matter): no quote, backslash or newline.
    Personal data is hidden even where no check looked (a Git author name): the check refuses it in records.
    """
    raw = CONTROL.sub("\ufffd", personal.redact(" ".join(str(value if value is not None else "").split())))
    cut = raw if limit is None or len(raw) <= limit else raw[:limit] + TRUNCATED
    if _BIDI.search(cut):
        cut = "\u2068" + cut + "\u2069" * (len(_ISOLATE_OPEN.findall(cut)) + 1)
    return Markup(_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", cut))


PUBLIC_EVIDENCE = ("meetings.csv", "branch.yaml")


def evidence_anchor(path: str, line: int, published: tuple[str, ...] = PUBLIC_EVIDENCE) -> str | None:
    """The in-page anchor of an evidence row, for files whose rows the branch page publishes."""
    name = path.rsplit("/", 1)[-1]
    if name not in published:
        return None
    return f"L-{name.split('.')[0]}-{line}"


def evidence_link(path: str, line: int, links: RepositoryLinks | None = None,
                  published: tuple[str, ...] = PUBLIC_EVIDENCE) -> Markup:
    """A link to a published evidence row; rows not published link into the repository, when it is known."""
    name = path.rsplit("/", 1)[-1]
    target = evidence_anchor(path, line, published)
    if target is not None:
        return Markup('<a href="#{}">{} 第 {} 行</a>').format(target, name, line)
    url = links.file(path, line) if links else None
    if url is None:
        return Markup("{} 第 {} 行").format(name, line)
    return Markup('<a href="{}">{} 第 {} 行</a>').format(url, name, line)


def repository_link(path: str, label: str, links: RepositoryLinks) -> Markup:
    """`label` linked to a folder of the repository at this build's commit, or plain text without a repository_url."""
    url = links.folder(path)
    return Markup('<a href="{}">{}</a>').format(url, label) if url else Markup("{}").format(label)


def folded(value: object) -> Markup:
    """Standards text folded by YAML (`>-`): line breaks became spaces, which Chinese does not put between words."""
    return standards_text(_BETWEEN_CJK.sub("", str(value if value is not None else "")))


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def chart_pct(value: float | None) -> str:
    """A share as a chart's label shows it (one decimal, 100 not 100.0): the table under a chart says the same."""
    return "—" if value is None else f"{round(value * 100, 1):g}%"


@dataclass
class Page:
    path: str  # docs-relative, e.g. branches/jidian-js1.md
    content: str
    kinds: tuple[str, ...] = ()  # what the page as a whole shows (党务公开目录 kinds, site/audience.py); () = always


_OPEN, _CLOSE = "<!-- zhibu:html -->", "<!-- /zhibu:html -->"
_BLOCK = re.compile(re.escape(_OPEN) + r"\n(.*?)\n" + re.escape(_CLOSE), re.DOTALL)


def stash_html(content: str) -> tuple[str, list[str]]:
    """Take the large HTML blocks out of a page: Markdown gets one comment per block, the blocks go back later.

    Python-Markdown passes raw HTML through unchanged but parses every tag to find where a block ends,
    which was most of the build time of a branch page; the blocks are finished HTML (escaped by Jinja),
    so they can skip Markdown entirely and be put back into the converted page (`restore_html`).
    """
    blocks: list[str] = []

    def take(match: re.Match) -> str:
        blocks.append(match.group(1))
        return f"<!-- zhibu-block {len(blocks) - 1} -->"

    return _BLOCK.sub(take, content), blocks


def restore_html(html: str, blocks: list[str], searchable: bool | None = None) -> str:
    """Put the stashed blocks back into the page's HTML: all, or only those the search may (not) index.

    Blocks marked data-search-exclude can go back after the search plugin has read the page, which saves
    it parsing thousands of tags it would skip anyway.
    """

    def put(match: re.Match) -> str:
        block = blocks[int(match.group(1))]
        if searchable is not None and searchable == ("data-search-exclude" in block[: block.find(">")]):
            return match.group(0)
        return block

    return re.sub(r"<!-- zhibu-block (\d+) -->", put, html)


def part(body: str, *kinds: str) -> Markup:
    """The `part` filter: a part of a page that shows content of `kinds` (audience.Disclosure keeps or drops it)."""
    marked = str(escape(body))  # the body of a filter block is already Markup; an expression's value is escaped
    for kind in kinds:
        marked = part_marker(kind, marked)
    return Markup(marked)


def render_site(run: CheckRun, stats: Statistics, history: SiteHistory | None = None,
                disclosure: Disclosure | None = None) -> list[Page]:
    """Every generated page of the site, each part marked with what it shows; `history` (from Git) adds last
    changes and the changes page. Which pages and parts the build's audience gets is decided at the end, in one
    place (audience.restricted); without a `disclosure`, every page and part (tests, `zhibu pages` of old)."""
    return list(render_pages(run, stats, history, disclosure))


def render_pages(run: CheckRun, stats: Statistics, history: SiteHistory | None = None,
                 disclosure: Disclosure | None = None) -> Iterator[Page]:
    """render_site one page at a time, in the same order: a build writes each page as it comes, so the pages
    of 6,000 branches are never all held at once."""
    disclosure = disclosure or Disclosure(PUBLIC, dict.fromkeys(KINDS, PUBLIC))
    return restricted(_every_page(run, stats, history, disclosure), disclosure)  # here, and only here


def _every_page(run: CheckRun, stats: Statistics, history: SiteHistory | None, disclosure: Disclosure
                ) -> Iterator[Page]:
    """Every page, rendered as it is asked for (render_pages decides which this audience reads)."""
    from generator.site.opendata import COLUMN_KINDS, TABLE_KINDS

    published = PUBLIC_EVIDENCE if disclosure.allows("meetings") else ("branch.yaml",)  # rows the pages will show
    env = Environment(loader=PackageLoader("generator.site", "templates"), undefined=StrictUndefined, autoescape=True,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    few = functools.partial(few_people, threshold=run.ledger.organization.min_cell_size)
    vocab = run.standards.vocab
    org = run.ledger.organization
    links = RepositoryLinks(org.repository_url, org.repository_forge, run.commit or "")
    env.globals.update(anchor_of=lambda path, line: evidence_anchor(path, line, published),
                       evidence_link=lambda path, line: evidence_link(path, line, links, published),
                       table_kinds=TABLE_KINDS, column_kinds=COLUMN_KINDS, type_zh=TYPE_ZH,
                       disclosure_label=lambda kind: vocab.label("disclosure_kinds", kind),
                       disclosure_value=lambda value: vocab.label("disclosure_audiences", str(value)),
                       repository_link=lambda path, label: repository_link(path, label, links),
                       branch_funnel=branch_funnel, add_years=add_years, few=few, source_link=source_link,
                       span=lambda periods: span(periods, vocab.label("periods", ONCE, "result")),
                       version_label=versions.label, reminder_label=reminders.label, flowchart=flowchart,
                       step_funnel=lambda: step_funnel(run.ledger.branches, run.as_of),
                       step_checks=lambda: step_checks(run.standards.processes, run.results),
                       rectification_years=lambda branch: rectification_years(branch, run.as_of),
                       relationship_counts=lambda: relationship_counts(run.ledger, run.as_of),
                       college_rectification=lambda: college_rectification(run.ledger, run.as_of),
                       appraisal_years=lambda branches: appraisal_years(branches, run.as_of),
                       grades=[vocab.label("appraisal_grades", g) for g in GRADES],
                       suppressed_cells=lambda counts: suppressed_cells(counts, org.min_cell_size),
                       chart_counts=lambda counts: [int(c) if c.isdigit() else None
                                                    for c in suppressed_cells(counts, org.min_cell_size)])
    env.filters.update(t=text, st=standards_text, folded=folded, pct=pct, chart_pct=chart_pct,
                       basename=lambda path: path.rsplit("/", 1)[-1],
                       mark=lambda s: vocab.label("result_statuses", s, "mark"),
                       status_zh=lambda s: vocab.label("result_statuses", s), status_class=status_class,
                       type_zh=lambda s: vocab.label("branch_types", s),
                       kind_zh=lambda s: vocab.label("unit_kinds", s, "short"),
                       severity_zh=lambda s: vocab.label("severities", s),
                       stage_zh=lambda s: vocab.label("development_stages", s),
                       step_zh=lambda s: vocab.label("development_stages", s) if s in STAGE_KEYS
                       else vocab.label("development_steps", s),
                       period_zh=lambda s: vocab.label("periods", s),
                       period_result=lambda p: vocab.label("periods", ONCE, "result") if p == ONCE else p,
                       sup=lambda v: suppress(int(v), run.ledger.organization.min_cell_size),
                       html_block=lambda body: Markup(f"{_OPEN}\n{body.strip()}\n{_CLOSE}"),
                       chart=chart_html, pseudonyms=pseudonyms, part=part)
    rules = {same[0].id: next((r for r in same if r.in_force(run.as_of)), same[-1])
             for same in versions.by_id(run.standards.rules)}  # the version in force names the rule
    base = {**statistics_series(stats, org.min_cell_size), "org": org, "as_of": run.as_of,
            "commit": run.commit or "（未提交）", "stats": stats, "rules": rules, "run": run, "charts": charts,
            "history": history or SiteHistory(), "legend": LEGEND,
            "audience": disclosure.audience, "election_years": election_years(run.ledger),
            "absences": absence_summary(run.ledger, run.results, run.as_of),
            "absence_alert_months": org.settings.get("absence_alert_months", 3)}
    by_branch: dict[str, list[Result]] = defaultdict(list)
    for r in run.results:
        by_branch[r.branch].append(r)
    yield Page("index.md", env.get_template("home.md.j2").render(**base))
    yield Page("units/index.md", env.get_template("units.md.j2").render(**base))
    yield Page("statistics.md", env.get_template("statistics.md.j2").render(**base), ("statistics",))
    yield Page("standards/index.md", env.get_template("standards.md.j2").render(**base), ("standards",))
    yield Page("standards/formats.md", env.get_template("formats.md.j2").render(**base), ("standards",))
    yield Page("data/index.md", env.get_template("data.md.j2").render(**base), ("open_data",))
    yield Page("changes.md", env.get_template("changes.md.j2").render(**base), ("changes",))
    unit_tpl, branch_tpl = env.get_template("unit.md.j2"), env.get_template("branch.md.j2")
    for code, unit in sorted(run.ledger.units.items()):
        branches = sorted((b for b in run.ledger.branches if b.unit == code), key=lambda b: b.code)
        yield Page(f"units/{code}.md", unit_tpl.render(unit=unit, unit_code=code, branches=branches, **base))
    open_items, feed_files = reminders.feeds(org.code, run.ledger.branches,
                                             {code: unit.name for code, unit in run.ledger.units.items()},
                                             by_branch, run.standards, run.as_of)
    yield from (Page(path, content, ("calendar",)) for path, content in sorted(feed_files.items()))
    ledger_tpl = env.get_template("ledger.md.j2")
    for branch in sorted(run.ledger.branches, key=lambda b: b.code):
        years = annual.ledger_years(by_branch[branch.code])
        for year in years:
            yield Page(f"branches/{branch.code}/ledger/{year}.md", ledger_tpl.render(
                branch=branch, book=annual.annual_ledger(branch, by_branch[branch.code], year,
                                                      run.ledger.organization.settings), stages=annual.STAGES,
                **base), ("annual_ledger",))
        checklist = matrix(by_branch[branch.code], rules, vocab, published)
        yield Page(f"branches/{branch.code}.md",
                   branch_tpl.render(branch=branch, matrix=checklist, reminders=open_items[branch.code],
                                     ledger_years=years, wechat=feed_files[f"branches/{branch.code}/calendar.txt"],
                                     issues=merge_issues(checklist["issues"], few),
                                     dev_stages=development_stages(branch, run.standards.processes,
                                                                   by_branch[branch.code], run.as_of),
                                     **base))


def source_link(source: dict) -> Markup:
    """A cited document and article; the document's title links to its text when rules.yaml gives a web address."""
    title, article = text(source.get("source") or ""), text(source.get("article") or "")
    url = str(source.get("url") or "")
    if not _WEB_ADDRESS.fullmatch(url):  # only http(s) addresses become links (no javascript:, no spaces)
        return title + article
    link = Markup('<a href="{}" rel="external noopener" title="打开原文（外部网站）">{}</a>')
    return link.format(url, title) + article


def chart_html(option: dict) -> Markup:
    """A chart's element; its note (an axis that does not start at 0) is written above it as text."""
    option = dict(option)
    note, bar_px = option.pop("note", None), option.pop("bar_px", None)
    height = ""
    if bar_px:  # labels of several lines: room per category, plus the value axis
        height = f' data-height="{bar_px * len(option["yAxis"]["data"]) + 48}"'
    html = Markup('<div class="zhibu-chart"{} data-chart="{}"></div>').format(
        Markup(height), json.dumps(option, ensure_ascii=False, sort_keys=True))
    return Markup('<p class="zhibu-chart-note">{}</p>\n').format(note) + html if note else html


def matrix(results: list[Result], rules: dict, vocab: Vocabulary, published: tuple[str, ...] = PUBLIC_EVIDENCE) -> dict:
    """Rows of rules × columns of years (plus one for structural rules); each cell the marks of its results.

    The marks are made here rather than by a template macro: a 1,000-branch site has a quarter of a million.
    """
    years = sorted({r.period[:4] for r in results if r.period != ONCE}, reverse=True)  # newest first on a phone
    by_rule: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        by_rule[r.rule].append(r)
    rows = []
    marks, words = vocab.labels("result_statuses", "mark"), vocab.labels("result_statuses")
    now = vocab.label("periods", ONCE, "result")  # 当前
    for rule_id in rules:
        mine = by_rule.get(rule_id)
        if not mine:
            continue
        cells: dict[str, list[str]] = {y: [] for y in years}
        once: list[str] = []
        for r in mine:
            (once if r.period == ONCE else cells[r.period[:4]]).append(mark_html(r, marks, words, now, published))
        rows.append({"rule": rules[rule_id], "once": Markup("".join(once)),
                     "cells": {y: Markup("".join(marks)) for y, marks in cells.items()}})
    issues = [r for r in results if r.status in EXPLAINED]
    # rules that do not apply, once each with every distinct reason: the sources exclude this type of branch
    # (temporary, mobile …), or an optional record the rule reads is missing (rectification.csv …)
    excluded: dict[str, list[str]] = {}
    for r in results:
        if r.status == "n/a" and r.note and r.rule in rules and r.note not in excluded.get(r.rule, ()):
            excluded.setdefault(r.rule, []).append(r.note)
    return {"years": years, "rows": rows, "issues": issues, "now": now,
            "not_applicable": [(rules[rule_id], "；".join(excluded[rule_id])) for rule_id in rules
                               if rule_id in excluded]}


def status_class(status: str) -> str:
    """The CSS class of a status's mark (n/a has no slash in its class)."""
    return "st-na" if status == "n/a" else f"st-{status}"


def mark_html(r: Result, marks: dict[str, str], words: dict[str, str], now: str,
              published: tuple[str, ...] = PUBLIC_EVIDENCE) -> str:
    """One checklist mark: readable without colour, and a link to its evidence.

    A pass links to its meeting row; a pass whose rows are not published (dues, study, development) and a
    rule that does not apply link to the rule's explanation; anything else links to the paragraph below
    that says why. `marks` and `words`: each status's mark and name (vocabulary.yaml result_statuses); `now`: how a
    structural rule's result names its period (periods once result).
    """
    when = escape(now if r.period == ONCE else r.period)
    rule = escape(f"../../standards/#{r.rule.lower()}")
    mark, word = escape(marks.get(r.status, r.status)), escape(words.get(r.status, r.status))
    if r.status == "pass":
        target = evidence_anchor(*r.evidence[0], published) if r.evidence else None
        if target:
            return f'<a class="st-pass" href="#{escape(target)}" title="{when} {word}">{mark}</a>'
        return f'<a class="st-pass" href="{rule}" title="{when} {word}（见规则说明）">{mark}</a>'
    if r.status == "n/a" and r.note:  # excluded by the sources, or an optional record missing: the reason is below
        return f'<a class="st-na" href="#na-{escape(r.rule.lower())}" title="{when} {word}（理由见下方）">{mark}</a>'
    if r.status == "n/a":
        return f'<a class="st-na" href="{rule}" title="{when} {word}（见规则说明）">{mark}</a>'
    return (f'<a class="st-{escape(r.status)}" href="#e-{escape(r.rule.lower())}-{escape(r.period.lower())}" '
            f'title="{when} {word}">{mark}</a>')


# Up to this many units, the statistics page shows each unit (a line, a bar and a table row of its own); a
# college with more (6,000 branches: 754 units) gets their spread and the units that lag, and each unit's
# figures stay on its own page and on the units page: 754 lines are no chart, and the tables were most of
# a 515 kB page.
UNITS_ONE_BY_ONE = 30
LAGGING_UNITS = 10  # the units listed as lagging behind on the statistics page of a large college
# the bands of the dues collection rate a large college's units are counted in: (label, lowest rate, below)
DUES_BANDS = (("100%", 1.0, 2.0), ("95% 至 100%（不含）", 0.95, 1.0), ("90% 至 95%（不含）", 0.90, 0.95),
              ("80% 至 90%（不含）", 0.80, 0.90), ("不足 80%", -1.0, 0.80))


@dataclass(frozen=True)
class Spread:
    """How the units' shares of one quarter spread: None where no unit had a result judged."""

    quarter: str
    units: int  # units with a share this quarter
    low: float | None = None
    lower: float | None = None  # lower quartile
    median: float | None = None
    upper: float | None = None  # upper quartile
    high: float | None = None


def unit_spread(stats: Statistics) -> list[Spread]:
    """Per quarter, the lowest, quartiles, median and highest of the units' shares (inclusive quartiles)."""
    out = []
    for i, (quarter, _share) in enumerate(stats.share_trend):
        values = sorted(v for series in stats.unit_trend.values() if (v := series[i][1]) is not None)
        if not values:
            out.append(Spread(quarter, 0))
            continue
        lower, median, upper = (statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1
                                else values * 3)
        out.append(Spread(quarter, len(values), values[0], round(lower, 4), round(median, 4), round(upper, 4),
                          values[-1]))
    return out


def lagging_units(stats: Statistics, key: str) -> list[tuple[str, dict]]:
    """The units with the lowest `key` (share or dues_rate) over the last 12 months, lowest first, by code on ties;
    only units below 100 % (a unit that met every requirement is not behind, however the others did)."""
    ranked = sorted((u[key], code) for code, u in stats.units.items() if u[key] is not None and u[key] < 1)
    return [(code, stats.units[code]) for _value, code in ranked[:LAGGING_UNITS]]


def dues_bands(stats: Statistics) -> list[tuple[str, int]]:
    """How many units collected their dues at each band's rate (units with no dues owed are counted apart)."""
    rates = [u["dues_rate"] for u in stats.units.values()]
    counted = [(label, sum(1 for r in rates if r is not None and low <= r < below)) for label, low, below in DUES_BANDS]
    return [*counted, ("无应交党费", sum(1 for r in rates if r is None))]


def statistics_series(stats: Statistics, threshold: int) -> dict:
    """Chart series derived from the statistics, as template globals (callables keep templates short)."""
    kinds = sorted({k for row in stats.meetings_monthly for k in row["kinds"]})
    return {
        "units_one_by_one": len(stats.units) <= UNITS_ONE_BY_ONE,
        "unit_spread": unit_spread, "lagging_units": lagging_units, "dues_bands": dues_bands,
        "spread_series": lambda spread: {"最高": [s.high for s in spread], "上四分位数": [s.upper for s in spread],
                                         "中位数": [s.median for s in spread], "下四分位数": [s.lower for s in spread],
                                         "最低": [s.low for s in spread]},
        "stats_rule_shares": lambda s: [
            (c["pass"] / (c["pass"] + c["fail"])) if (c["pass"] + c["fail"]) else None for c in s.by_rule.values()],
        "unit_series": lambda s: {s.units[u]["name"]: [v for _, v in series] for u, series in s.unit_trend.items()},
        "meeting_series": lambda s: {k: [row["kinds"].get(k, 0) for row in s.meetings_monthly] for k in kinds},
        "attendance_series": lambda s: [row["present"] / row["expected"] if row["expected"] else None
                                        for row in s.meetings_monthly],
        "rule_series": lambda s: {rule: [v for _, v in series] for rule, series in s.rule_trend.items()},
        "dues_series": lambda s: [row["rate"] for row in s.dues_monthly],
        "dues_by_unit": lambda s: [(u["name"], u["dues_rate"]) for u in s.units.values()],
        "suppressed_values": lambda items: [None if 0 < n < threshold else n for _, n in items],
    }
