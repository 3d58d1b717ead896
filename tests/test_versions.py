"""Rules have versions: a later version takes over from its effective date (issue 10 §4).

The fixture tests/data/versions/two-versions.yaml holds two versions of DV-06 and of MT-07; the second
versions are invented for the test (the 2026 细则 could not be read, so nothing real is encoded from it).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml
from sitehelpers import REPO, copy_project, set_organization

from generator.cli import main
from generator.pipeline import run_check
from generator.site.build import build_site

BRANCH = "records/gongcheng/gongcheng-js1"
FIXTURE = REPO / "tests/data/valid/records"
VERSIONS = REPO / "tests/data/versions/two-versions.yaml"


def with_versions(root: Path, entries: list[dict] | None = None) -> None:
    """Put the fixture's versions in place of the real entries with the same ids in standards/rules.yaml."""
    entries = entries if entries is not None else yaml.safe_load(VERSIONS.read_text(encoding="utf-8"))
    path = root / "standards/rules.yaml"
    rules = yaml.safe_load(path.read_text(encoding="utf-8"))
    ids = {e["id"] for e in entries}
    out, placed = [], set()
    for rule in rules:
        if rule["id"] in ids:
            if rule["id"] not in placed:
                out += [e for e in entries if e["id"] == rule["id"]]
                placed.add(rule["id"])
            continue
        out.append(rule)
    path.write_text(yaml.safe_dump(out, allow_unicode=True, sort_keys=False), encoding="utf-8")


def candidates(root: Path, *rows: str) -> None:
    with (root / BRANCH / "development.csv").open("a", encoding="utf-8") as handle:
        handle.write("".join(row + "\n" for row in rows))


def judged(root: Path, as_of: dt.date, rule: str) -> dict:
    run = run_check(root, as_of=as_of)
    assert run.errors == [], run.errors
    return {r.period: r for r in run.results if r.branch == "gongcheng-js1" and r.rule == rule}


@pytest.mark.parametrize(("activist_on", "target_on", "expected"), [
    ("2025-05-31", "2026-05-31", "pass"),   # began under the 2014 text: 12 months suffice
    ("2025-06-01", "2026-06-01", "fail"),   # began under the later version: 18 months needed
    ("2025-06-01", "2026-12-01", "pass"),
])
def test_a_development_case_is_judged_by_the_version_in_force_when_it_began(make_repo, activist_on, target_on,
                                                                             expected):
    """2014 细则 第十三条: "对经过一年以上培养教育和考察…的入党积极分子…可列为发展对象"; the test's second
    version asks 18 months from 2025-06-01. The same interval passes or fails by the day it began."""
    root = make_repo()
    with_versions(root)
    candidates(root, f"pc000001,2025-01-10,2025-01-30,{activist_on},{target_on},,,")
    result = judged(root, dt.date(2026, 12, 31), "DV-06")["once"]
    assert result.status == expected
    assert (result.count, result.required) == ((2, 2) if expected == "pass" else (1, 2))  # pa000008 + pc000001
    if expected == "fail":
        assert result.note.startswith("依据测试年版：1 人")


def test_without_versions_the_same_case_passes(make_repo):
    """Control: under the real DV-06 alone (12 months), the case that failed above passes."""
    root = make_repo()
    candidates(root, "pc000001,2025-01-10,2025-01-30,2025-06-01,2026-06-01,,,")
    assert judged(root, dt.date(2026, 12, 31), "DV-06")["once"].status == "pass"


def test_a_period_is_judged_by_the_version_in_force_on_its_first_day(make_repo):
    """教育管理条例 第十六条: "党支部应当每月开展1次主题党日"; the test's second version asks 2 a month from April."""
    root = make_repo()
    with_versions(root)
    with (root / BRANCH / "meetings.csv").open("a", encoding="utf-8") as handle:
        handle.write("2025-04-10-ztdr,2025-04-10,主题党日,学习新修订条例,8,8,\n")
    found = judged(root, dt.date(2025, 5, 31), "MT-07")
    assert [(p, r.status, r.count, r.required) for p, r in sorted(found.items())] == [
        ("2025-01", "pass", 1, 1), ("2025-02", "pass", 1, 1), ("2025-03", "pass", 1, 1),
        ("2025-04", "fail", 1, 2), ("2025-05", "due", 0, 2)]
    assert found["2025-04"].note.startswith("依据2025-04-01起施行的版本：")


def test_overlapping_versions_are_refused_by_zhibu_check(make_repo, capsys):
    entries = yaml.safe_load(VERSIONS.read_text(encoding="utf-8"))
    for entry in entries:
        if entry["id"] == "MT-07" and entry.get("valid_from"):
            entry["valid_from"] = "2025-03-01"  # overlaps the first version's March
    root = make_repo()
    with_versions(root, entries)
    code = main(["--root", str(root), "check", "--as-of", "2025-05-31", "--format", "json"])
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert code == 1
    found = [p for p in problems if p["path"] == "standards/rules.yaml"]
    assert len(found) == 1 and "有效期重叠" in found[0]["message"], found


@pytest.fixture(scope="module")
def versions_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("versions"), FIXTURE)
    with_versions(project)
    candidates(project, "pc000001,2025-01-10,2025-01-30,2025-06-01,2026-06-01,,,")
    set_organization(project, min_cell_size=1)  # the single failing case may be stated, with its version
    build_site(project, Path("site"), dt.date(2026, 12, 31))
    return project / "site"


def test_standards_page_shows_both_versions_with_their_dates(versions_site):
    html = (versions_site / "standards/index.html").read_text(encoding="utf-8")
    first = html.split('id="dv-06"', 1)[1].split("<h2", 1)[0]
    second = html.split('id="dv-06-2025-06-01"', 1)[1].split("<h2", 1)[0]
    assert "— 至 2025-05-31（2014年版" in first
    assert "2025-06-01 至 今（测试年版" in second
    # the 2014 notice is for DV rules that have no later version only
    assert "依据2014年版细则，2026年修订版条文尚未核对" not in first
    assert "依据2014年版细则，2026年修订版条文尚未核对" in html.split('id="dv-02"', 1)[1].split("<h2", 1)[0]
    page = (versions_site / "branches/gongcheng-js1/index.html").read_text(encoding="utf-8")
    explained = re.search(r'<p id="e-dv-06-once"[^>]*>(.*?)</p>', page, re.DOTALL)
    assert explained and "依据测试年版：1 人的间隔不符合要求（应不少于 18 个月）" in explained.group(1)
    assert "培养18个月以上" in explained.group(1)  # titled by the version in force on the as-of date


def test_every_dv_rule_says_the_2026_text_is_not_yet_checked():
    """Until the 2026 发展党员工作细则 is read, the standards page says so under every DV rule."""
    from generator.site.render import render_site
    from generator.site.statistics import compute

    run = run_check(REPO, as_of=dt.date(2026, 11, 20))
    page = next(p for p in render_site(run, compute(run.ledger, run.results, run.as_of))
                if p.path == "standards/index.md").content
    dv = [r.id for r in run.standards.rules if r.id.startswith("DV-")]
    assert len(dv) >= 4
    for rule_id in dv:
        section = page.split(f"{{ #{rule_id.lower()} }}", 1)[1].split("\n## ", 1)[0]
        assert "依据2014年版细则，2026年修订版条文尚未核对" in section, rule_id


def test_every_rule_type_reading_development_records_says_when_its_case_happened():
    """A development rule judges cases (persons); without a case date its versions could not split them."""
    from generator.rules import load_all
    from generator.rules.withheld import READS
    from generator.standards.versions import CASE_STAGE

    reading = {kind for kind, files in READS.items() if "development.csv" in files}
    assert reading >= {"development_interval", "development_training"}
    assert reading <= set(CASE_STAGE) | (set(READS) - set(load_all())), reading - set(CASE_STAGE)
