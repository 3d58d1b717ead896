"""What a reader sees, in headless Chromium (Debian package) driven by Playwright. Never skipped."""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from collections import Counter

import pytest
from sitehelpers import REPO

pytestmark = pytest.mark.browser
AS_OF = dt.date(2026, 11, 20)
ARTIFACTS = REPO / "test-artifacts"


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


def test_home_renders_charts_offline(phone, demo_site_url):
    phone.goto(demo_site_url)
    phone.wait_for_selector(".zhibu-chart[data-chart-state='ready']", timeout=15000)
    charts = phone.eval_on_selector_all(".zhibu-chart", "els => els.map(e => e.getAttribute('data-chart-state'))")
    assert charts and all(state == "ready" for state in charts)
    assert phone.locator(".zhibu-chart svg").count() >= 1
    assert "需要关注的支部" in phone.content()
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "home-390x844.png"), full_page=False)
    assert not phone.errors, phone.errors
    assert not _external(phone.requests), _external(phone.requests)


def test_statistics_charts_ready(phone, demo_site_url):
    phone.goto(demo_site_url + "statistics/")
    phone.wait_for_function("document.querySelectorAll(\".zhibu-chart[data-chart-state='ready']\").length >= 6",
                            timeout=20000)
    assert not phone.errors, phone.errors
    assert not _external(phone.requests)


def test_chinese_search_finds_a_branch(phone, demo_site_url):
    phone.goto(demo_site_url + "?q=" + urllib.parse.quote("机电工程学院"))
    phone.wait_for_selector(".md-search-result__link", timeout=20000)
    assert "符合条件的结果" in phone.inner_text(".md-search-result__meta")
    links = phone.eval_on_selector_all(".md-search-result__link", "els => els.map(e => e.href)")
    assert any("/branches/jidian-" in link for link in links), links
    assert not _external(phone.requests)


def test_checklist_mark_links_to_evidence(phone, demo_site_url):
    phone.goto(demo_site_url)
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
    # the mark's period is named in its explanation (a paragraph merged over several periods names each)
    paragraph = target.locator("xpath=ancestor-or-self::p[1]")
    assert "规则说明" in paragraph.inner_text()
    assert phone.evaluate("location.hash") == fragment
    row = phone.locator(".zhibu-matrix a.st-pass").first.evaluate("e => e.hash")
    assert row.startswith("#L-") and phone.locator(f"[id='{row[1:]}']").count() == 1
    assert not phone.errors, phone.errors
    phone.goto(demo_site_url + "standards/")  # the marks without published rows explain themselves by their rule
    for fragment in rules:
        assert phone.locator(f"[id='{fragment[1:]}']").count() == 1, fragment


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def _first_unit(page, demo_site_url: str) -> None:
    page.goto(demo_site_url + "units/")
    links = page.eval_on_selector_all("article a[href]", "els => els.map(e => e.href)")
    units = [u for u in links if re.search(r"/units/[a-z0-9-]+/$", u)]
    assert units, links
    page.goto(units[0])


def _column(page, index: int) -> list[float]:
    return page.eval_on_selector_all(
        f"table.zhibu-sortable tbody tr td:nth-child({index})", "els => els.map(e => parseFloat(e.dataset.sort))")


def test_unit_table_is_styled_and_sorts_by_a_header_button(phone, demo_site_url):
    _first_unit(phone, demo_site_url)
    table = phone.locator("table.zhibu-sortable")
    table.wait_for()
    cell = phone.eval_on_selector("table.zhibu-sortable tbody td", """e => {
        const s = getComputedStyle(e);
        return [parseFloat(s.borderTopWidth), parseFloat(s.paddingLeft), parseFloat(s.paddingTop)]; }""")
    assert cell[0] >= 0.5 and cell[1] >= 8 and cell[2] >= 6, cell
    headers = phone.locator("table.zhibu-sortable thead th")
    assert headers.count() == phone.locator("table.zhibu-sortable thead th > button.zhibu-sort").count() >= 4
    weight = phone.eval_on_selector("table.zhibu-sortable thead .zhibu-sort", "e => getComputedStyle(e).fontWeight")
    assert int(weight) >= 600
    after = "e => getComputedStyle(e, '::after').content"
    share = phone.locator("table.zhibu-sortable thead .zhibu-sort", has_text="达标率").first
    th = share.locator("xpath=..")
    index = 1 + th.evaluate("e => Array.prototype.indexOf.call(e.parentNode.children, e)")
    assert th.get_attribute("aria-sort") is None and "↕" in share.evaluate(after)
    share.click()
    assert th.get_attribute("aria-sort") == "ascending" and "▲" in share.evaluate(after)
    values = _column(phone, index)
    assert len(values) >= 2 and values == sorted(values)
    share.focus()
    phone.keyboard.press("Enter")   # a real button: the keyboard sorts too
    assert th.get_attribute("aria-sort") == "descending" and "▼" in share.evaluate(after)
    assert _column(phone, index) == sorted(values, reverse=True)
    assert phone.locator("table.zhibu-sortable thead th[aria-sort]").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "unit-390x844.png"), full_page=False)
    assert not phone.errors, phone.errors


def _line_boxes(page, selector: str) -> list[int]:
    """How many lines each matching cell's text takes on screen."""
    return page.eval_on_selector_all(selector, """els => els.map(e => {
        const r = document.createRange(); r.selectNodeContents(e);
        return new Set(Array.from(r.getClientRects()).map(b => Math.round(b.top))).size; })""")


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_meeting_dates_stay_on_one_line(device, request, demo_site_url):
    page = request.getfixturevalue(device)
    page.goto(demo_site_url)
    branch = page.eval_on_selector_all("a[href*='branches/']", "els => els.map(e => e.href)")[0]
    page.goto(branch)
    page.eval_on_selector_all(".zhibu-meetings details", "els => els.forEach(e => { e.open = true; })")
    dates = page.eval_on_selector_all("tr[id^='L-meetings-'] td:nth-child(2)", "els => els.map(e => e.innerText)")
    assert dates and all(len(d) == 10 and d[4] == "-" for d in dates), dates[:3]
    assert set(_line_boxes(page, "tr[id^='L-meetings-'] td:nth-child(2)")) == {1}


def _chart_texts(page, index: int) -> dict:
    """Every text drawn in the index-th chart: content and box, plus the chart's own box."""
    return page.eval_on_selector_all(".zhibu-chart", """(els, i) => {
        const el = els[i], c = el.getBoundingClientRect();
        const texts = Array.from(el.querySelectorAll('svg text')).filter(t => t.textContent.trim()).map(t => {
            const b = t.getBoundingClientRect();
            return {text: t.textContent.trim(), left: b.left, right: b.right, top: b.top, bottom: b.bottom}; });
        return {height: c.height, left: c.left, right: c.right, top: c.top, bottom: c.bottom, texts: texts}; }""",
                                     index)


def _overlaps(texts: list[dict]) -> list[tuple[str, str]]:
    out = []
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            if a["left"] < b["right"] - 1 and b["left"] < a["right"] - 1 and a["top"] < b["bottom"] - 1 \
                    and b["top"] < a["bottom"] - 1:
                out.append((a["text"], b["text"]))
    return out


def _chart_after(page, heading: str) -> int:
    """Index of the first chart after the heading that contains `heading`."""
    return page.evaluate("""h => {
        const head = Array.from(document.querySelectorAll('article h2')).find(e => e.textContent.includes(h));
        const charts = Array.from(document.querySelectorAll('.zhibu-chart'));
        return charts.findIndex(c => head.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING); }""",
                         heading)


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_statistics_bar_charts_label_every_category(device, request, demo_site_url):
    page = request.getfixturevalue(device)
    page.goto(demo_site_url + "statistics/")
    page.wait_for_function("document.querySelectorAll(\".zhibu-chart[data-chart-state='ready']\").length >= 6",
                           timeout=20000)
    page.wait_for_timeout(300)   # a resize after the fonts load redraws once
    # rule chart: one bar per rule in the data table below it, each rule code and its share drawn
    rows = page.eval_on_selector_all("details table tbody", "els => Array.from(els[0].rows).map("
                                     "r => Array.from(r.cells).map(c => c.textContent.trim()))")
    rules = [row[0].split()[0] for row in rows]
    assert len(rules) >= 10
    chart = _chart_texts(page, _chart_after(page, "各规则达标情况"))
    assert chart["height"] >= 22 * len(rules), (chart["height"], len(rules))
    drawn = [t["text"] for t in chart["texts"]]
    assert set(rules) <= set(drawn), set(rules) - set(drawn)
    # each rule's share (passed / (passed + failed), from the table) is written at its bar
    shares = Counter(f"{round(100 * int(r[1]) / (int(r[1]) + int(r[2])), 1):g}%" for r in rows if int(r[1]) + int(r[2]))
    assert len(shares) >= 2 and not shares - Counter(drawn), shares - Counter(drawn)
    # development stages: every stage name and its number, none cut off at the chart's edges
    stages = page.eval_on_selector_all("article h2", "els => els.map(e => e.textContent)")
    assert any("发展党员" in s for s in stages)
    index = _chart_after(page, "发展党员")
    table = page.evaluate("""i => {
        const c = document.querySelectorAll('.zhibu-chart')[i];
        const t = Array.from(document.querySelectorAll('article table')).find(
            e => c.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING);
        return Array.from(t.tBodies[0].rows).map(r => [r.cells[0].textContent.trim(), r.cells[1].textContent.trim()]);
        }""", index)
    funnel = _chart_texts(page, index)
    drawn = [t["text"] for t in funnel["texts"]]
    for name, number in table:
        assert name in drawn, (name, drawn)
        if number.isdigit():
            assert number in drawn, (number, drawn)
    for result in (chart, funnel):
        assert not _overlaps(result["texts"]), _overlaps(result["texts"])
        inside = [t["text"] for t in result["texts"] if t["left"] >= result["left"] - 1 and
                  t["right"] <= result["right"] + 1 and t["top"] >= result["top"] - 1 and
                  t["bottom"] <= result["bottom"] + 1]
        assert inside == [t["text"] for t in result["texts"]], "a label is cut off at the chart's edge"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"statistics-{device}.png"), full_page=False)
    assert not page.errors, page.errors


CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’"


# The text of a block as HTML gives it: code spans become \0 (spaces around code are wanted), line breaks
# and nested blocks \1; a newline in the Markdown source stays whitespace, which the browser shows as a space.
BLOCK_TEXT = """e => { const parts = [];
    const walk = n => { for (const c of n.childNodes) {
        if (c.nodeType === Node.TEXT_NODE) { parts.push(c.data); }
        else if (c.nodeName === 'CODE') { parts.push('\\u0000'); }
        else if (['BR', 'UL', 'OL', 'TABLE', 'P', 'PRE', 'DIV'].includes(c.nodeName)) { parts.push('\\u0001'); }
        else { walk(c); } } };
    walk(e); return parts.join(''); }"""


@pytest.mark.parametrize("path", ["about/", "contribute/", "releases/", "standards/"])
def test_hand_written_pages_do_not_split_chinese_with_spaces(phone, demo_site_url, path):
    phone.goto(demo_site_url + path)
    blocks = phone.eval_on_selector_all("article :is(p, li, td)", f"els => els.map({BLOCK_TEXT})")
    assert len(blocks) >= 5
    text = [re.sub(r"\s+", " ", b) for b in blocks]
    stray = [m.group(0) for b in text for m in re.finditer(f".{{0,6}}[{CJK}] +[{CJK}].{{0,6}}", b)]
    assert not stray, stray


def test_process_flowcharts_fit_a_phone(phone, demo_site_url):
    """The standards page's process maps (standards/processes.yaml as inline SVG drawn at build time) read on a
    390 px phone: no sideways scrolling, every label drawn (a CJK font has width) inside its own step's box,
    each chart titled for a screen reader, and the same steps as text below it. Nothing is fetched."""
    phone.goto(demo_site_url + "standards/")
    found = phone.evaluate("""() => [...document.querySelectorAll('svg.zb-flowchart')].map(svg => {
        const chart = svg.getBoundingClientRect();
        const labels = [...svg.querySelectorAll('g.zb-step')].flatMap(step => {
            const box = step.querySelector('rect').getBoundingClientRect();
            return [...step.querySelectorAll('text')].map(t => {
                const r = t.getBoundingClientRect();
                return {text: t.textContent, width: r.width, height: r.height,
                        inside: r.left >= box.left && r.right <= box.right && r.top >= box.top
                                && r.bottom <= box.bottom};
            });
        });
        return {left: chart.left, right: chart.right, title: svg.querySelector('title').textContent,
                role: svg.getAttribute('role'), labels};
    })""")
    width = phone.evaluate("document.documentElement.clientWidth")
    assert phone.evaluate("document.documentElement.scrollWidth") <= width == 390
    titles = [chart["title"] for chart in found]
    assert titles == ["流程图：发展党员（从递交入党申请书到转为正式党员）", "流程图：党支部换届选举",
                      "流程图：组织关系转接", "流程图：组织生活会及其整改"]
    for chart in found:
        assert chart["role"] == "img" and 0 <= chart["left"] and chart["right"] <= width, chart["title"]
        assert chart["labels"], chart["title"]
        for label in chart["labels"]:
            assert label["width"] > 0 and label["height"] > 0, label
            assert label["inside"], f"{chart['title']}: “{label['text']}” runs out of its box"
    assert any(label["text"] == "检查：DV-10、DV-10L" for label in found[0]["labels"])
    summaries = phone.eval_on_selector_all("details summary", "els => els.map(e => e.textContent)")
    assert "文字版：发展党员（从递交入党申请书到转为正式党员）（17 步）" in summaries
    assert not phone.errors, phone.errors
    assert not _external(phone.requests), _external(phone.requests)


def test_branch_development_section_reads_on_a_phone(phone, demo_site_url):
    """A branch's 发展党员 section at 390 px: the stage table fits without scrolling sideways (the checks are
    listed below it, not in a fourth column), counts only, each check linked to its rule."""
    phone.goto(demo_site_url + "branches/jidian-xs1/")
    section = phone.evaluate("""() => {
        const head = document.getElementById('development');
        let table = head.nextElementSibling;
        while (table && !table.querySelector('table')) table = table.nextElementSibling;
        const t = table.querySelector('table'), wrap = t.parentElement;
        const list = table.nextElementSibling;
        return {tableWidth: t.scrollWidth, room: wrap.clientWidth,
                heads: [...t.querySelectorAll('th')].map(h => h.textContent),
                checks: [...list.querySelectorAll('a')].map(a => a.textContent)};
    }""")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert section["heads"] == ["阶段", "目前在此阶段", "累计到达"]
    assert section["tableWidth"] <= section["room"], section
    assert {"DV-04", "DV-07", "DV-08", "DV-10", "DV-12", "DV-19", "DV-21"} <= set(section["checks"])
    assert not re.search(r"\bp(?=[a-z]*\d)[a-z0-9]{7}\b", phone.inner_text("article")), "a pseudonymous id shown"
    assert not phone.errors, phone.errors
