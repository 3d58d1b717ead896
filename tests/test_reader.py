"""What a reader from the 党委组织部 meets on a phone and a desktop (issue 16 items 6–10), in headless Chromium."""

from __future__ import annotations

import datetime as dt
import urllib.parse
from pathlib import Path

import pytest
from sitehelpers import REPO, copy_project, serve

from generator.sitebuild import build_site

pytestmark = pytest.mark.browser
AS_OF = dt.date(2026, 11, 20)
ARTIFACTS = REPO / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("reader"))
    build_site(project, Path("site"), AS_OF)
    with serve(project / "site") as url:
        yield url


def _page(browser, viewport: dict):
    context = browser.new_context(viewport=viewport, device_scale_factor=1)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    return context, page


@pytest.fixture
def phone(browser):
    context, page = _page(browser, PHONE)
    yield page
    context.close()


@pytest.fixture
def desktop(browser):
    context, page = _page(browser, DESKTOP)
    yield page
    context.close()


def _search(page, url: str, query: str) -> list[dict]:
    """Material's search driven by URL; every result link in order: path, fragment, title, highlighted term."""
    page.goto(url + "?q=" + urllib.parse.quote(query))
    page.wait_for_function("(m => m && /结果/.test(m.innerText))"
                           "(document.querySelector('.md-search-result__meta'))", timeout=20000)
    return page.eval_on_selector_all(".md-search-result__link", """els => els.map(e => {
        const u = new URL(e.href); return {path: u.pathname, fragment: u.hash,
            title: (e.querySelector('h1, h2') || e).innerText.replace(/\\u200b/g, ''),
            marked: new URLSearchParams(u.search).get('h') || ''}; })""")


# (query a reader typed, where the first result must lead, words its title must hold)
QUERIES = [
    ("党费", "/standards/", ["党费"]),
    ("主题党日", "/standards/", ["主题党日"]),
    ("连续6个月未交党费", "/standards/", ["DU-14", "连续", "未交党费"]),
    ("党员大会", "/standards/", ["党员大会"]),
    ("机电学生", "/branches/jidian-xs", ["机电", "学生"]),
    ("信息教工", "/branches/xinxi-js", ["信息", "教工"]),
]


@pytest.mark.parametrize(("query", "where", "words"), QUERIES)
def test_chinese_search_finds_what_was_typed_first(phone, site, query, where, words):
    results = _search(phone, site, query)
    # the first section result (a rule or a branch page), not a page that only shares the character 党
    first = next(r for r in results if r["fragment"] or r["path"].startswith("/branches/"))
    assert first["path"].startswith(where), (query, results[:4])
    assert all(word in first["title"] for word in words), (query, first)
    # a typed term is searched whole: 党费 is not cut down to 党
    assert all(len(term) >= 2 for term in first["marked"].split() if not term.isascii()), first


def test_branch_search_ranks_the_branches_of_both_words_first(phone, site):
    results = [r for r in _search(phone, site, "机电学生") if not r["fragment"]]
    assert [r["path"] for r in results[:3]] == [f"/branches/jidian-xs{i}/" for i in (1, 2, 3)], results[:4]
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "search-390x844.png"))


def test_a_term_search_leads_with_the_rule_not_every_page_with_its_first_character(desktop, site):
    results = _search(desktop, site, "党费")
    sections = [r for r in results if r["fragment"]]
    assert sections[0]["fragment"].startswith("#du-"), sections[:3]
    count = desktop.inner_text(".md-search-result__meta")
    assert "40" not in count, count   # before the fix: every page with 党, 40 results
    ARTIFACTS.mkdir(exist_ok=True)
    desktop.screenshot(path=str(ARTIFACTS / "search-1280x800.png"))
