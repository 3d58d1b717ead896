"""Every legend of the marks agrees with the marks the pages draw: vocabulary.yaml result_statuses, the one source.

docs/about.md is hand-written (it must read right on the forge too), and the branch page draws its legend line from
the vocabulary: both are read here and compared with the vocabulary's marks and names, so a mark changed in one place
fails until all agree.
"""

from __future__ import annotations

import re

from conftest import REPO

from generator.site.render import LEGEND, status_class
from generator.standards.catalogue import load_standards

VOCAB = load_standards(REPO / "standards").vocab
SHOWN = {status_class(s): (VOCAB.label("result_statuses", s, "mark"), VOCAB.label("result_statuses", s))
         for s in LEGEND}


def test_the_legend_lists_every_status_with_its_own_mark():
    assert sorted(LEGEND) == sorted(VOCAB.labels("result_statuses"))
    marks = [mark for mark, _ in SHOWN.values()]
    assert len(set(marks)) == len(marks) and all(marks)
    assert {c for c in SHOWN} == {"st-pass", "st-fail", "st-due", "st-exempt", "st-na", "st-notice"}


def test_the_about_page_legend_shows_the_marks_the_pages_draw():
    text = (REPO / "docs/about.md").read_text(encoding="utf-8")
    rows = {c: (m, s) for c, m, s in re.findall(r'^\| <span class="(st-[a-z]+)">([^<]+)</span> \| ([^|]+?) \|', text,
                                                  re.MULTILINE)}
    assert rows == SHOWN


def test_the_branch_page_legend_shows_the_marks_the_pages_draw():
    page = (REPO / "tests/golden/branches/gongcheng-js1.md").read_text(encoding="utf-8")
    legend = re.search(r'<p class="zhibu-legend">(.*?)</p>', page, re.DOTALL).group(1)
    shown = {c: (m, s) for c, m, s in re.findall(r'<span class="(st-[a-z]+)">([^<]+)</span> ([^\s<。]+)', legend)}
    assert shown == SHOWN
    assert list(shown) == [status_class(s) for s in LEGEND]
