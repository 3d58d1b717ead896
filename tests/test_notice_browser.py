"""A notice as a reader sees it in Chromium: a neutral 提 mark, never a red ✗ (issue 10 §2)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
FAIL_RED = "rgb(183, 28, 28)"  # --zhibu-fail-fg in zhibu.css


def test_term_reminder_shows_a_neutral_mark_on_a_phone(browser, demo_site_url):
    """BR-07 (上级党组织"一般提前6个月提醒"): the demo's xinxi-js2 is within 6 months of its term's end."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(demo_site_url + "branches/xinxi-js2/")
        row = page.locator(".zhibu-matrix tr", has=page.locator("a[href$='#br-07']"))
        assert row.count() == 1
        mark = row.locator(".st-notice")
        assert mark.count() == 1 and mark.first.is_visible()
        assert mark.first.inner_text() == "提"
        assert mark.first.get_attribute("title") == "当前 提醒"
        assert row.locator(".st-fail").count() == 0 and "✗" not in row.inner_text()
        style = mark.first.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]")
        assert FAIL_RED not in style and style[0] != style[1], style
        legend = page.locator(".zhibu-legend")
        assert "提 提醒" in legend.inner_text()
        mark.first.click()
        target = page.locator("[id='e-br-07-once']")
        target.wait_for(state="visible")
        text = target.inner_text()
        assert "提醒" in text and "未达标" not in text and "✗" not in text
        page.goto(demo_site_url + "branches/lituixiu-lt1/")
        table = page.locator("table", has=page.locator("text=其余党员照常检查"))
        assert "<5 名党员（其余党员照常检查）" in table.inner_text()
        assert not errors, errors
    finally:
        context.close()


def test_temporary_branch_mark_leads_to_the_reason(browser, demo_site_url):
    """临时党支部"不收缴党费": the demo's temporary branch shows — for DU-09, and the mark opens the reason."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page = context.new_page()
    try:
        page.goto(demo_site_url + "branches/jiguan-ls1/")
        row = page.locator(".zhibu-matrix tr", has=page.locator("a[href$='#du-09']"))
        marks = row.locator("a.st-na")
        assert marks.count() >= 12 and row.locator(".st-fail, .st-pass").count() == 0
        marks.first.click()
        reason = page.locator("[id='na-du-09']")
        reason.wait_for(state="visible")
        assert "不收缴党费" in reason.inner_text()
        assert page.evaluate("location.hash") == "#na-du-09"
    finally:
        context.close()
