"""The 参与 page as a secretary sees it in Chromium, on a phone (390 px) and a desktop (1280 px)."""

from __future__ import annotations

import pytest
from sitehelpers import REPO

pytestmark = pytest.mark.browser
ARTIFACTS = REPO / "test-artifacts"


@pytest.mark.parametrize("width", [390, 1280])
def test_contribute_examples_show_as_copyable_blocks(browser, demo_site_url, width):
    context = browser.new_context(viewport={"width": width, "height": 844}, device_scale_factor=1)
    page = context.new_page()
    page.goto(demo_site_url + "contribute/")
    # The example rows inside the numbered steps are blocks whose text keeps its lines (copy gives them back).
    blocks = page.eval_on_selector_all("article ol > li pre", "els => els.map(e => e.innerText)")
    assert any(b.startswith("id,date,kind,topic,expected,present,group\n2025-03-12-ztdr,") for b in blocks), blocks
    assert any("exemptions:\n  - rule: MT-07" in b for b in blocks), blocks
    # A note shows as a quotation with its bold title, not as '!!! warning' or '**'.
    text = page.inner_text("article")
    assert "!!!" not in text and "**" not in text and "{ #" not in text
    assert page.locator("article blockquote strong", has_text="只写化名编号").count() == 1
    # The page itself never scrolls sideways on a phone; wide code blocks scroll inside themselves.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, overflow
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"contribute-{width}.png"), full_page=True)
    context.close()
