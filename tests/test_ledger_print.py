"""The annual ledger (年度台账) printed to PDF by Chromium: Chinese text, a running header with the as-of date
and commit, page numbers, each section on its own pages, table headers repeated, no meeting row cut."""

from __future__ import annotations

import csv
import io
import re
import unicodedata

import pytest
from pypdf import PdfReader
from sitehelpers import serve

BRANCH, YEAR = "jidian-js1", 2025
SECTIONS = ("一、会议及出勤", "二、检查清单", "三、豁免", "四、党费收缴（按月）", "五、发展党员")


# Chromium's PDF maps some Noto CJK glyphs back to radicals: Kangxi radicals (⼯, folded by NFKC) and these
# CJK radicals supplement characters, which NFKC leaves alone.
_RADICALS = str.maketrans({"\u2eda": "页", "\u2ea0": "民", "\u2ec4": "西", "\u2ed8": "青", "\u2ee2": "马"})


def _plain(text: str) -> str:
    """Text as compared here: radicals folded to ideographs, NFKC (，→ ,), no white space."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).translate(_RADICALS))


@pytest.fixture(scope="module")
def printed(demo_party_site, browser) -> list[str]:
    with serve(demo_party_site) as url:
        page = browser.new_page()
        page.goto(f"{url}branches/{BRANCH}/ledger/{YEAR}/")
        pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
        page.close()
    return [_plain(p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]


def test_every_page_names_its_date_commit_and_number(printed, demo_party_site):
    commit = re.search(r"生成自提交 <code>([^<]+)</code>",
                       (demo_party_site / "index.html").read_text(encoding="utf-8")).group(1)[:12]
    total = len(printed)
    assert 5 <= total <= 30, total  # five sections, each from a new page; a year of one branch
    for number, text in enumerate(printed, 1):
        assert _plain("机电工程学院教工第一党支部 2025 年度台账") in text, number
        assert _plain(f"数据截至 2026-11-20 · 提交 {commit}") in text, number
        assert _plain(f"第 {number} 页，共 {total} 页") in text, number
        assert "首页" not in text and "开放数据" not in text  # no navigation in print


def test_sections_start_on_new_pages_and_headers_repeat(printed):
    starts = [next(i for i, text in enumerate(printed) if _plain(title) in text) for title in SECTIONS]
    assert starts == sorted(starts) and len(set(starts)) == len(SECTIONS), starts
    meeting_pages = range(starts[0], starts[1])
    assert len(meeting_pages) >= 2  # the meetings table runs over pages: its header repeats on each
    assert all(_plain("日期 类型 主题 应到 实到") in printed[i] for i in meeting_pages)


def test_no_meeting_row_is_cut_across_pages(printed, demo_party_site):
    project = demo_party_site.parent
    with open(project / f"records/jidian/{BRANCH}/meetings.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["date"].startswith(str(YEAR))]
    assert len(rows) > 40
    for row in rows:  # a row cut by a page break leaves its date on one page and the rest of it on the next
        pages = [i for i, text in enumerate(printed) if row["date"] in text]
        line = _plain(f"{row['topic']}{row['expected']}{row['present']}")  # topic, 应到, 实到 of the same row
        assert any(line in printed[i] for i in pages), row["id"]
