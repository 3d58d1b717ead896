"""Our own standards text is shown whole on the standards page: only record text, which anyone may write, is cut.

The hostile-input limit (render.MAX_TEXT, with the mark …（已截断）) once cut BR-05's and MT-06's requirements
half way: a Party worker auditing the rules must read every requirement, reading and fix in full.
"""

from __future__ import annotations

import datetime as dt
import re

import yaml
from sitehelpers import REPO, copy_project

from generator.pipeline import run_check
from generator.site.render import MAX_TEXT, TRUNCATED, render_site
from generator.site.statistics import compute


def _words(value: str) -> str:
    """A standards text as a reader sees it: YAML's folded line breaks between Chinese characters removed."""
    flat = " ".join(value.split())
    return re.sub(r"(?<=[\u4e00-\u9fff，。；：、）（“”]) (?=[\u4e00-\u9fff，。；：、）（“”])", "", flat)


def test_every_rule_text_is_shown_whole(tmp_path):
    project = copy_project(tmp_path / "p", REPO / "tests/data/valid/records")
    run = run_check(project, as_of=dt.date(2025, 3, 31))
    [page] = [p.content for p in render_site(run, compute(run.ledger, run.results, run.as_of))
              if p.path == "standards/index.md"]
    assert TRUNCATED not in page
    rules = yaml.safe_load((REPO / "standards/rules.yaml").read_text(encoding="utf-8"))
    rules = rules["rules"] if isinstance(rules, dict) else rules
    long = [(r["id"], key) for r in rules for key in ("requirement", "fix")
            if len(" ".join(str(r.get(key, "")).split())) > MAX_TEXT]
    assert ("BR-05", "requirement") in long and ("MT-06", "requirement") in long  # the test means something
    plain = re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), page)
    for rule, key in long:
        rule_text = next(r for r in rules if r["id"] == rule)[key]
        assert _words(rule_text)[-40:] in plain, (rule, key)  # the end of the text is on the page


def test_the_theme_day_fix_does_not_present_a_vacation_exemption_as_the_regulation():
    """党员教育管理工作条例 第十六条: 党支部应当每月开展1次主题党日 — the text knows no vacation exemption."""
    rules = yaml.safe_load((REPO / "standards/rules.yaml").read_text(encoding="utf-8"))
    rules = rules["rules"] if isinstance(rules, dict) else rules
    fix = _words(next(r for r in rules if r["id"] == "MT-07")["fix"])
    assert "条例没有寒暑假可以不开展主题党日的规定" in fix
    assert "是否豁免由学校党组织决定（本校的做法，不是条例的规定）" in fix
