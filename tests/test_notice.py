"""Reminders are not failures: an unmet advisory rule (severity `warning`) is `notice` (提醒), end to end.

Issue 10 §2 and design.md §4: a notice is "shown as 提醒, never as 未达标, and never counted in a 达标率".
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml
from frictionless import Package
from sitehelpers import REPO, copy_project

from generator.cli import main
from generator.pipeline import run_check
from generator.site.build import build_site

BRANCH = "records/gongcheng/gongcheng-js1"
FIXTURE = REPO / "tests/data/valid/records"
AS_OF = "2025-03-31"
CONTRACT = ["pass", "fail", "due", "exempt", "n/a", "notice"]  # design.md §4, in its order


def not_double_leader(root: Path) -> None:
    """The fixture's teacher-branch secretary is not (yet) a 双带头人."""
    file = root / BRANCH / "branch.yaml"
    text = file.read_text(encoding="utf-8")
    assert text.count("double_leader: true") == 1
    file.write_text(text.replace("double_leader: true", "double_leader: false"), encoding="utf-8")


def check_json(capsys, root: Path, as_of: str = AS_OF) -> tuple[int, dict]:
    code = main(["--root", str(root), "check", "--as-of", as_of, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_cultivation_target_is_a_notice_in_zhibu_check(make_repo, capsys):
    """教党〔2018〕26号: "使教师党支部书记普遍成为'双带头人'" — a target (普遍), so a reminder, not a failure."""
    baseline = check_json(capsys, make_repo())[1]["summary"]["compliance"]
    root = make_repo()
    not_double_leader(root)
    code, report = check_json(capsys, root)
    counts = report["summary"]["compliance"]
    assert code == 0
    assert list(counts) == CONTRACT
    assert counts["notice"] == baseline["notice"] + 1 == 1
    assert counts["fail"] == baseline["fail"]
    assert counts["pass"] == baseline["pass"] - 1
    main(["--root", str(root), "check", "--as-of", AS_OF])
    text = capsys.readouterr().out
    assert "提醒 HE-01 教工党支部书记为“双带头人”：当前" in text
    assert "提醒 1" in text and "未达标 0" in text


@pytest.mark.parametrize(("as_of", "expected"), [("2026-11-09", "pass"), ("2026-11-10", "notice"),
                                                 ("2027-05-09", "notice"), ("2027-05-10", "n/a")])
def test_term_reminder_is_a_notice_from_six_months_before(make_repo, as_of, expected):
    """支部工作条例: "上级党组织一般提前6个月提醒任期届满的党支部做好换届准备" — the higher body's duty.

    The fixture committee was elected 2024-05-10 for 3 years: the term ends 2027-05-10, the reminder
    starts 2026-11-10; from the end itself the term has expired, which is BR-06's matter.
    """
    run = run_check(make_repo(), as_of=dt.date.fromisoformat(as_of))
    found = [r for r in run.results if r.branch == "gongcheng-js1" and r.rule == "BR-07"]
    assert [r.status for r in found] == [expected]
    assert all(r.status != "fail" for r in run.results if r.rule in {"BR-07", "HE-01", "BR-02", "BR-09", "DU-14W"})


def test_every_advisory_rule_gives_notice_and_no_error_rule_does(make_repo):
    """The mapping follows the declared severity: warning → notice, error → fail, for every rule."""
    rules = yaml.safe_load((REPO / "standards/rules.yaml").read_text(encoding="utf-8"))
    severity = {r["id"]: r["severity"] for r in rules}
    assert {rid for rid, s in severity.items() if s == "warning"} >= {"BR-02", "BR-07", "HE-01", "DU-14W"}
    run = run_check(REPO, as_of=dt.date(2026, 11, 20))  # the demo records hold a shortfall for every rule
    for r in run.results:
        if r.status == "fail":
            assert severity[r.rule] == "error", r
    noticed = {r.rule for r in run.results if r.status == "notice"}
    assert {"BR-02", "BR-07", "HE-01", "DU-14W"} <= noticed
    advisory_parts = ("BR-05", "BR-06", "DV-12")  # their 一般 parts (DV-12: 特殊情况可适当延长)
    assert all(severity[rule] == "warning" or rule in advisory_parts for rule in noticed)


def test_vocabulary_and_outputs_list_every_status():
    """standards/vocabulary.yaml result_statuses is the contract; every output knows each status's word."""
    from generator.report import jobsummary
    from generator.rules import STATUSES
    from generator.site import render

    vocabulary = yaml.safe_load((REPO / "standards/vocabulary.yaml").read_text(encoding="utf-8"))
    items = {i["key"]: i for i in vocabulary["result_statuses"]["items"]}
    assert list(items) == CONTRACT == list(STATUSES)
    assert items["notice"]["zh"] == "提醒"
    assert set(render.LEGEND) == set(jobsummary.ORDER) == set(CONTRACT)
    assert items["notice"]["mark"] not in {"✗", items["fail"]["mark"]}
    assert all(item["zh"] and item["mark"] for item in items.values())


@pytest.fixture(scope="module")
def notice_site(tmp_path_factory) -> Path:
    """The fixture with a secretary who is not a 双带头人, built into a site (as of 2025-03-31)."""
    project = copy_project(tmp_path_factory.mktemp("notice"), FIXTURE)
    not_double_leader(project)
    build_site(project, Path("site"), dt.date.fromisoformat(AS_OF))
    return project / "site"


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("plain"), FIXTURE)
    build_site(project, Path("site"), dt.date.fromisoformat(AS_OF))
    return project / "site"


def _row(html: str, rule: str) -> str:
    row = re.search(rf'<tr><t[hd][^>]*><a href="[^"]*#{rule.lower()}">{rule}</a>.*?</tr>', html, re.DOTALL)
    assert row, rule
    return row.group(0)


def test_branch_page_shows_a_neutral_mark_never_a_cross(notice_site):
    """The checklist shows 提 (st-notice) for HE-01; no ✗ and no 未达标 anywhere for a notice."""
    html = (notice_site / "branches/gongcheng-js1/index.html").read_text(encoding="utf-8")
    row = _row(html, "HE-01")
    assert 'class="st-notice"' in row and "提醒" in row
    assert "✗" not in row and "st-fail" not in row and "未达标" not in row
    legend = html[html.index('class="zhibu-legend"'):]
    legend = legend[: legend.index("</p>")]
    assert '<span class="st-notice">提</span> 提醒' in legend
    explained = re.search(r'<p id="e-he-01-once"[^>]*>(.*?)</p>', html, re.DOTALL)
    assert explained, "the notice is explained under the checklist"
    assert "提醒" in explained.group(1) and "未达标" not in explained.group(1) and "✗" not in explained.group(1)
    assert "✗" not in html.split('class="zhibu-legend"')[1].split("</p>", 1)[1]  # no cross outside the legend


def test_notice_does_not_lower_any_share_or_enter_attention(notice_site, plain_site):
    """达标率 counts only pass and fail; 需要关注的支部 counts only 未达标."""
    for page in ("index.html", "units/gongcheng/index.html", "branches/gongcheng-js1/index.html"):
        shares = [re.findall(r"\d+%", (site / page).read_text(encoding="utf-8")) for site in (notice_site, plain_site)]
        assert shares[0] == shares[1], page
    home = (notice_site / "index.html").read_text(encoding="utf-8")
    attention = home[home.index("需要关注的支部"):]
    assert "gongcheng-js1" not in attention[: attention.index("达标率 =")]
    branches = list(csv.DictReader((notice_site / "data/branches.csv").open(encoding="utf-8")))
    plain = list(csv.DictReader((plain_site / "data/branches.csv").open(encoding="utf-8")))
    assert [(b["share"], b["fails_12m"]) for b in branches] == [(b["share"], b["fails_12m"]) for b in plain]


def test_compliance_csv_says_notice_and_the_package_declares_it(notice_site):
    rows = list(csv.DictReader((notice_site / "data/compliance.csv").open(encoding="utf-8")))
    he01 = [r for r in rows if r["rule"] == "HE-01"]
    assert [(r["branch"], r["status"]) for r in he01] == [("gongcheng-js1", "notice")]
    descriptor = json.loads((notice_site / "data/datapackage.json").read_text(encoding="utf-8"))
    compliance = next(r for r in descriptor["resources"] if r["name"] == "compliance")
    status = next(f for f in compliance["schema"]["fields"] if f["name"] == "status")
    assert status["constraints"]["enum"] == CONTRACT
    assert Package(str(notice_site / "data/datapackage.json")).validate().valid


def test_package_rejects_a_status_outside_the_contract(notice_site, tmp_path):
    """The enum is enforced by Frictionless: a row saying 'warning' is invalid."""
    data = tmp_path / "data"
    data.mkdir()
    for file in (notice_site / "data").glob("*"):
        if file.is_file():
            (data / file.name).write_bytes(file.read_bytes())
    text = (data / "compliance.csv").read_text(encoding="utf-8")
    (data / "compliance.csv").write_text(text.replace(",notice,", ",warning,", 1), encoding="utf-8")
    report = Package(str(data / "datapackage.json")).validate()
    assert not report.valid
    assert "constraint-error" in {row[0] for row in report.flatten(["type"])}


def test_standards_page_names_the_schools_strict_reading_of_yiban(notice_site):
    """Where a source says 一般 and the rule is an error, the page says this is the school's reading.

    The quoted words must be the source's own words, as the rule's requirement quotes them.
    """
    rules = yaml.safe_load((REPO / "standards/rules.yaml").read_text(encoding="utf-8"))
    html = (notice_site / "standards/index.html").read_text(encoding="utf-8")
    not_enforced = {"MT-08": "一般安排在第四季度: the quarter is not checked"}
    for rule in rules:
        reading = rule.get("school_reading")
        section = html.split(f'id="{rule["id"].lower()}"', 1)[1].split("<h2", 1)[0]
        if reading:
            assert rule["severity"] == "error", rule["id"]
            assert reading in rule["requirement"].replace("\n", ""), rule["id"]
            assert f"原文为“{reading}”，本校按硬性要求检查" in section and "这是本校的理解" in section, rule["id"]
        else:
            assert "这是本校的理解" not in section, rule["id"]
            if rule["severity"] == "error" and "一般" in rule["requirement"]:
                assert rule["id"] in not_enforced, f"{rule['id']} says 一般 but has no school_reading"
        if rule["severity"] == "warning":
            assert "不是未达标" in section, rule["id"]


def test_every_notice_of_the_demo_is_marked_as_a_notice_on_its_page(tmp_path):
    """Across the whole demo site: each notice result's mark is 提 (st-notice), never ✗ (st-fail)."""
    project = copy_project(tmp_path / "demo")
    as_of = dt.date(2026, 11, 20)
    build_site(project, Path("site"), as_of)
    notices = [r for r in run_check(project, as_of=as_of).results if r.status == "notice"]
    assert len({r.rule for r in notices}) >= 4  # BR-02, BR-07, BR-09, HE-01, DU-14W … in the demo
    for r in notices:
        html = (project / f"site/branches/{r.branch}/index.html").read_text(encoding="utf-8")
        marks = re.findall(rf'<a class="([^"]+)" href="#e-{r.rule.lower()}-{r.period.lower()}"[^>]*>([^<]*)</a>', html)
        assert marks == [("st-notice", "提")], (r.branch, r.rule, marks)
