"""Small-count suppression at its threshold, as published on branch and statistics pages."""

from __future__ import annotations

from generator.statistics import suppress


def test_suppression_threshold():
    assert suppress(0, 5) == "0"
    assert suppress(1, 5) == "<5"
    assert suppress(4, 5) == "<5"
    assert suppress(5, 5) == "5"
    assert suppress(6, 3) == "6"


def test_branch_page_suppresses_development_counts():
    from pathlib import Path

    golden = (Path(__file__).parent / "golden/branches/gongcheng-js1.md").read_text(encoding="utf-8")
    section = golden[golden.index("## 发展党员"):golden.index("## 接下来要做的")]
    assert "| 递交申请 | &lt;5 |" in section  # two applicants in the fixture: below the threshold of 5
