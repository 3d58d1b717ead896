"""What a reader sees, in headless Chromium (Debian package) driven by Playwright. Never skipped."""

from __future__ import annotations

import datetime as dt
import urllib.parse
from pathlib import Path

import pytest
from sitehelpers import REPO, chromium, copy_project, serve

from generator.sitebuild import build_site

pytestmark = pytest.mark.browser
AS_OF = dt.date(2026, 11, 20)
ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("browser"))
    build_site(project, Path("site"), AS_OF)
    with serve(project / "site") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page = context.new_page()
    page.errors = []
    page.requests = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("request", lambda r: page.requests.append(r.url))
    yield page
    context.close()


def _external(urls: list[str]) -> list[str]:
    return [u for u in urls if urllib.parse.urlparse(u).hostname not in ("127.0.0.1", None)
            and not u.startswith(("data:", "blob:", "about:"))]


def test_home_renders_charts_offline(phone, site_url):
    phone.goto(site_url)
    phone.wait_for_selector(".zhibu-chart[data-chart-state='ready']", timeout=15000)
    charts = phone.eval_on_selector_all(".zhibu-chart", "els => els.map(e => e.getAttribute('data-chart-state'))")
    assert charts and all(state == "ready" for state in charts)
    assert phone.locator(".zhibu-chart svg").count() >= 1
    assert "需要关注的支部" in phone.content()
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "home-390x844.png"), full_page=False)
    assert not phone.errors, phone.errors
    assert not _external(phone.requests), _external(phone.requests)


def test_statistics_charts_ready(phone, site_url):
    phone.goto(site_url + "statistics/")
    phone.wait_for_function("document.querySelectorAll(\".zhibu-chart[data-chart-state='ready']\").length >= 6",
                            timeout=20000)
    assert not phone.errors, phone.errors
    assert not _external(phone.requests)


def test_chinese_search_finds_a_branch(phone, site_url):
    phone.goto(site_url + "?q=" + urllib.parse.quote("机电工程学院"))
    phone.wait_for_selector(".md-search-result__link", timeout=20000)
    assert "符合条件的结果" in phone.inner_text(".md-search-result__meta")
    links = phone.eval_on_selector_all(".md-search-result__link", "els => els.map(e => e.href)")
    assert any("/branches/jidian-" in link for link in links), links
    assert not _external(phone.requests)


def test_checklist_mark_links_to_evidence(phone, site_url):
    phone.goto(site_url)
    attention = phone.eval_on_selector_all("a[href*='branches/']", "els => els.map(e => e.href)")
    assert attention, "the home page lists branches needing attention"
    phone.goto(attention[0])
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "branch-390x844.png"), full_page=False)
    # Material rewrites in-page links to absolute URLs: compare fragments.
    page = phone.evaluate("location.pathname")
    links = phone.eval_on_selector_all(".zhibu-matrix a[class^='st-']", "els => els.map(e => [e.pathname, e.hash])")
    assert len(links) == phone.locator(".zhibu-matrix [class^='st-']").count()  # every mark is a link
    assert links and all(fragment.startswith("#") for _, fragment in links)
    here = {fragment for path, fragment in links if path == page}
    rules = {fragment for path, fragment in links if path != page}
    assert here and rules and {path for path, _ in links if path != page} == {"/standards/"}
    for fragment in here:
        assert phone.locator(f"[id='{fragment[1:]}']").count() == 1, fragment
    failing = phone.locator(".zhibu-matrix a.st-fail")
    assert failing.count() >= 1
    fragment = failing.first.evaluate("e => e.hash")
    failing.first.click()
    target = phone.locator(f"[id='{fragment[1:]}']")
    target.wait_for(state="visible")
    assert "规则说明" in target.inner_text()
    assert phone.evaluate("location.hash") == fragment
    row = phone.locator(".zhibu-matrix a.st-pass").first.evaluate("e => e.hash")
    assert row.startswith("#L-") and phone.locator(f"[id='{row[1:]}']").count() == 1
    assert not phone.errors, phone.errors
    phone.goto(site_url + "standards/")  # the marks without published rows explain themselves by their rule
    for fragment in rules:
        assert phone.locator(f"[id='{fragment[1:]}']").count() == 1, fragment
