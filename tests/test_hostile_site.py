"""Hostile record text on the real site, in headless Chromium: inert, literal, contained. Never skipped."""

from __future__ import annotations

import datetime as dt
import urllib.parse
from pathlib import Path

import pytest
from hostile import (
    APPROVER,
    AUTHOR,
    BRANCH_NAME,
    GROUP_NAME,
    LONG,
    OFFICER_NAMES,
    REASON,
    SITE_TITLE,
    TOPICS,
    UNIT_NAME,
    make_hostile_project,
)
from sitehelpers import serve

from generator.pipeline import run_check
from generator.site.build import build_site
from generator.site.render import MAX_TEXT, TRUNCATED

pytestmark = pytest.mark.browser
AS_OF = dt.date(2025, 3, 31)


def _shown(text: str) -> str:
    """Record text as the page shows it: one line, runs of white space as one space, cut at the limit."""
    flat = " ".join(text.split())
    return flat if len(flat) <= MAX_TEXT else flat[:MAX_TEXT] + TRUNCATED


PAGES = {  # page → record texts that must appear on it literally
    "": [SITE_TITLE],
    "units/": [UNIT_NAME],
    "units/gongcheng/": [UNIT_NAME, BRANCH_NAME],
    "branches/gongcheng-js1/": [BRANCH_NAME, UNIT_NAME, GROUP_NAME, REASON, APPROVER, *OFFICER_NAMES, *TOPICS,
                                AUTHOR],
    "statistics/": [UNIT_NAME],
    "standards/": [],
    "data/": [],
    "changes/": [BRANCH_NAME, UNIT_NAME],  # the fixture is a Git repository: clean release 2025.02, then payloads
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    project = make_hostile_project(tmp_path_factory.mktemp("hostile"), git=True)
    run = run_check(project, as_of=AS_OF)
    assert not run.errors, [(p.code, p.path, p.row) for p in run.errors]  # the payloads are valid records
    build_site(project, Path("site"), AS_OF)
    return project / "site"


@pytest.fixture(scope="module")
def site_url(hostile_site):
    with serve(hostile_site) as url:
        yield url


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()


def _unfold(page) -> None:
    """Open every folded section (the branch page folds its meeting evidence by year), as a reader would."""
    page.eval_on_selector_all("details", "all => all.forEach(d => { d.open = true; })")
    assert page.locator("details:not([open])").count() == 0


def _assert_inert(page) -> None:
    assert page.dialogs == [], f"a dialog opened: {page.dialogs}"
    assert page.evaluate("typeof window.__zhibu_pwned") == "undefined", "a script from record text ran"
    bad = page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
        .filter(a => /^on/i.test(a.name) || /^\\s*(javascript|vbscript|data):/i.test(a.value))
        .map(a => e.tagName + ' ' + a.name + '=' + a.value))""")
    assert bad == [], bad
    scripts = page.eval_on_selector_all("script", "els => els.map(e => e.textContent)")
    assert not [s for s in scripts if "zhibu_pwned" in s or "alert(" in s]


@pytest.mark.parametrize("path", list(PAGES))
def test_hostile_text_is_inert_literal_and_contained(phone, site_url, path):
    phone.goto(site_url + path)
    phone.wait_for_load_state("networkidle")
    _unfold(phone)
    _assert_inert(phone)
    body = phone.inner_text("body")
    for value in PAGES[path]:
        assert _shown(value) in body, f"{value[:40]!r} not shown literally on {path or 'home'}"
    assert _shown(SITE_TITLE) in phone.inner_text(".md-header__topic")
    assert phone.title().endswith(_shown(SITE_TITLE))
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{path or 'home'} is {width}px wide on a 390px screen"
    columns = phone.evaluate("""() => [...document.querySelectorAll('article table')].map(t =>
        [...t.rows].map(r => [...r.cells].reduce((n, c) => n + c.colSpan, 0)))""")
    for table in columns:
        assert len(set(table)) == 1, f"a table lost its shape on {path or 'home'}: {table}"


def test_long_text_is_cut_with_a_visible_mark(phone, site_url):
    phone.goto(site_url + "branches/gongcheng-js1/")
    _unfold(phone)
    cell = phone.locator("td", has_text=TRUNCATED)
    assert cell.count() == 1
    shown = cell.inner_text()
    assert shown == LONG[:MAX_TEXT] + TRUNCATED
    cell.scroll_into_view_if_needed()
    mark = cell.evaluate("""td => { const node = [...td.childNodes].pop(); const r = document.createRange();
        r.setStart(node, node.length - 6); r.setEnd(node, node.length); return r.getBoundingClientRect().toJSON(); }""")
    assert 0 <= mark["left"] and mark["right"] <= 390 and mark["width"] > 0, mark  # seen without scrolling sideways


def test_table_breaker_stays_in_its_cell(phone, site_url):
    phone.goto(site_url + "branches/gongcheng-js1/")
    _unfold(phone)
    row = phone.locator("tr", has_text="| --- | --- | --- |")
    assert row.count() == 1
    cells = row.locator("td").all_inner_texts()
    assert len(cells) == 5 and cells[3] == "| --- | --- | --- |"


def test_rtl_override_does_not_reorder_the_text_after_it(phone, site_url):
    """An officer name with U+202E sits before 宣传委员 in one cell: that word must still read left to right."""
    phone.goto(site_url + "branches/gongcheng-js1/")
    order = phone.evaluate("""() => {
        const cell = [...document.querySelectorAll('td')].find(td => td.textContent.includes('宣传委员'));
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf('宣传委员');
            if (at < 0) continue;
            const x = i => { const r = document.createRange(); r.setStart(node, at + i); r.setEnd(node, at + i + 1);
                             return r.getBoundingClientRect().left; };
            return [x(0), x(1), x(2), x(3)];
        }
    }""")
    assert order == sorted(order), order


def test_chart_tooltips_stay_inert(phone, site_url):
    phone.goto(site_url + "statistics/")
    phone.wait_for_function("document.querySelectorAll(\".zhibu-chart[data-chart-state='ready']\").length >= 1",
                            timeout=20000)
    for chart in phone.locator(".zhibu-chart[data-chart-state='ready']").all():
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        for fx in (0.3, 0.5, 0.7):
            for fy in (0.3, 0.5, 0.7):
                phone.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
    _assert_inert(phone)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_search_results_stay_inert(phone, site_url):
    phone.goto(site_url + "?q=" + urllib.parse.quote("comment"))
    phone.wait_for_selector(".md-search-result__link", timeout=20000)
    _assert_inert(phone)
    assert phone.eval_on_selector_all(".md-search-result__link", "els => els.length") >= 1
