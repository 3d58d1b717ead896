"""Every legend of the marks agrees with the marks the pages draw (generator.site.render.MARK, the one source).

docs/about.md is hand-written (it must read right on the forge too), and the branch page has its own legend line:
both are read here and compared with MARK and STATUS_ZH, so a mark changed in one place fails until all agree.
"""

from __future__ import annotations

import re

from conftest import REPO

from generator.site.render import MARK, STATUS_ZH

_CLASS = {"pass": "st-pass", "fail": "st-fail", "due": "st-due", "exempt": "st-exempt", "n/a": "st-na",
          "notice": "st-notice"}


def test_the_about_page_legend_shows_the_marks_the_pages_draw():
    text = (REPO / "docs/about.md").read_text(encoding="utf-8")
    rows = {c: (m, s) for c, m, s in re.findall(r'^\| <span class="(st-[a-z]+)">([^<]+)</span> \| ([^|]+?) \|', text,
                                                  re.MULTILINE)}
    assert rows == {_CLASS[s]: (MARK[s], STATUS_ZH[s]) for s in MARK}


def test_the_branch_page_legend_shows_the_marks_the_pages_draw():
    template = (REPO / "generator/site/templates/branch.md.j2").read_text(encoding="utf-8")
    legend = re.search(r'<p class="zhibu-legend">(.*?)</p>', template, re.DOTALL).group(1)
    shown = {c: (m, s) for c, m, s in re.findall(r'<span class="(st-[a-z]+)">([^<]+)</span> ([^\s<。]+)', legend)}
    assert shown == {_CLASS[s]: (MARK[s], STATUS_ZH[s]) for s in MARK}
