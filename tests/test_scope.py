"""Which branches and members a rule applies to, per the sources (issue 10 §3).

临时党支部, 流动党员党支部 and 联合党支部 are judged by what their sources say; an approved exemption may
name members (离退休: study hours "不作硬性要求" for the frail), and the rule then judges the others.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from sitehelpers import REPO, copy_project

from generator.cli import main
from generator.pipeline import run_check
from generator.site.build import build_site

BRANCH = "records/gongcheng/gongcheng-js1"
FIXTURE = REPO / "tests/data/valid/records"
DUES = ("DU-09", "DU-14", "DU-14W")
DEVELOPMENT = ("DV-02", "DV-06", "DV-09", "DV-13")


def edit(root: Path, name: str, old: str, new: str) -> None:
    file = root / BRANCH / name
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, (name, old)
    file.write_text(text.replace(old, new), encoding="utf-8")


def unpaid_from_february(root: Path) -> None:
    """Every dues row after January is unpaid: a faculty branch fails DU-09, DU-14W and, later, DU-14."""
    file = root / BRANCH / "dues.csv"
    rows = file.read_text(encoding="utf-8").splitlines()
    kept = [rows[0]] + [r for r in rows[1:] if r.startswith("2025-01,")]
    file.write_text("\n".join(kept) + "\n", encoding="utf-8")


def results(root: Path, as_of: dt.date) -> dict[str, list]:
    run = run_check(root, as_of=as_of)
    assert run.errors == [], run.errors
    found: dict[str, list] = {}
    for r in run.results:
        found.setdefault(r.rule, []).append(r)
    return found


def check_json(capsys, root: Path, as_of: str) -> dict:
    code = main(["--root", str(root), "check", "--as-of", as_of, "--format", "json"])
    assert code == 0
    return json.loads(capsys.readouterr().out)["summary"]["compliance"]


def _section(html: str, heading: str) -> str:
    """The article text under an h2 heading, up to the next h2 (the navigation repeats the heading)."""
    found = re.search(rf"<h2[^>]*>{heading}.*?(?=<h2|</article>)", html, re.DOTALL)
    assert found, heading
    return found.group(0)


# ── 临时党支部 ──

def test_temporary_branch_dues_development_and_term_rules_do_not_apply(make_repo, capsys):
    """临时党支部: "一般不发展党员、处分处置党员，不收缴党费，不选举党代表大会代表和进行换届。
    临时党支部书记、副书记和委员由批准其成立的党组织指定".

    The same records fail the dues rules in a faculty branch; in a temporary branch they are n/a with the
    reason, and so are development and term rules.
    """
    as_of = dt.date(2025, 9, 30)
    faculty = make_repo()
    unpaid_from_february(faculty)
    before = results(faculty, as_of)
    assert {r.status for r in before["DU-09"] if r.period == "2025-03"} == {"fail"}
    assert before["DU-14"][0].status == "fail"
    temporary = make_repo()
    unpaid_from_february(temporary)
    edit(temporary, "branch.yaml", "type: faculty", "type: temporary")
    after = results(temporary, as_of)
    for rule in DUES:
        assert {r.status for r in after[rule]} == {"n/a"}, rule
        assert all("不收缴党费" in r.note for r in after[rule]), rule
    assert len(after["DU-09"]) == len(before["DU-09"])  # one n/a per month, as many as the judged months
    for rule in DEVELOPMENT:
        assert [(r.status, "一般不发展党员" in r.note) for r in after[rule]] == [("n/a", True)], rule
    for rule in ("BR-06", "BR-07"):
        assert [(r.status, "进行换届" in r.note) for r in after[rule]] == [("n/a", True)], rule
    assert after["MT-01"][0].status == "pass"  # the branch still holds its meetings
    counts = check_json(capsys, temporary, "2025-09-30")
    assert counts["fail"] < check_json(capsys, faculty, "2025-09-30")["fail"]


@pytest.fixture(scope="module")
def temporary_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("temporary"), FIXTURE)
    file = project / BRANCH / "branch.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("type: faculty", "type: temporary"), encoding="utf-8")
    build_site(project, Path("site"), dt.date(2025, 3, 31))
    return project / "site"


def test_temporary_branch_page_explains_why_rules_do_not_apply(temporary_site):
    html = (temporary_site / "branches/gongcheng-js1/index.html").read_text(encoding="utf-8")
    section = _section(html, "不适用的规则")
    for rule in (*DUES, *DEVELOPMENT, "BR-06", "BR-07"):
        assert f">{rule}</a>" in section, rule
    assert "不收缴党费" in section and "一般不发展党员" in section and "进行换届" in section
    row = re.search(r'<tr><t[hd][^>]*><a href="[^"]*#du-09">DU-09</a>.*?</tr>', html, re.DOTALL).group(0)
    assert 'class="st-na"' in row and "st-fail" not in row
    assert 'href="#na-du-09"' in row  # the mark leads to the reason on this page
    assert re.search(r'<li id="na-du-09">.*不收缴党费.*?</li>', html)
    standards = (temporary_site / "standards/index.html").read_text(encoding="utf-8")
    du09 = standards.split('id="du-09"', 1)[1].split("<h2", 1)[0]
    assert "临时党支部：临时党支部“不收缴党费”" in du09


# ── 流动党员党支部 ──

def test_mobile_branch_dues_are_the_home_branchs_duty(make_repo):
    """党费 "按照组织关系所在地缴纳，党组织在哪里，就交到哪里": a 流动党员党支部's members pay at home."""
    root = make_repo()
    unpaid_from_february(root)
    edit(root, "branch.yaml", "type: faculty", "type: mobile")
    found = results(root, dt.date(2025, 9, 30))
    for rule in DUES:
        assert {r.status for r in found[rule]} == {"n/a"}, rule
        assert all("组织关系所在地" in r.note for r in found[rule]), rule
    # "对组织关系不在本党支部的流动党员民主评议等情况，应当通报其原所在党支部": the branch appraises, so MT-09 applies
    assert [r.status for r in found["MT-09"]] == ["due"]


# ── 联合党支部 ──

def _two_full_members(root: Path) -> None:
    """Five of the seven full members transferred out on 2025-01-15 (a probationary member stays)."""
    file = root / BRANCH / "members.csv"
    text = file.read_text(encoding="utf-8")
    for n in range(3, 8):
        text = re.sub(rf"^(pa00000{n},.*),,$", r"\1,2025-01-15,转出", text, flags=re.MULTILINE)
    file.write_text(text, encoding="utf-8")


def test_joint_branch_needs_three_full_members_too(make_repo):
    """支部工作条例 第四条: "凡是有正式党员3人以上的，都应当成立党支部"; 第五条 forms a 联合党支部 so that small
    units reach that number, and gives it no exemption."""
    root = make_repo()
    edit(root, "branch.yaml", "type: faculty", "type: joint\ncovered_units: [图书馆, 档案馆]")
    edit(root, "branch.yaml", "committee:\n  elected_on", "old_committee:\n  elected_on")
    (root / BRANCH / "branch.yaml").write_text(
        re.sub(r"old_committee:.*?(?=maintainers:)", "secretary:\n  - roles: [书记]\n    member: pa000001\n",
               (root / BRANCH / "branch.yaml").read_text(encoding="utf-8"), flags=re.DOTALL), encoding="utf-8")
    _two_full_members(root)
    run = run_check(root, as_of=dt.date(2025, 3, 31))
    assert run.errors == [], run.errors
    br01 = [r for r in run.results if r.rule == "BR-01"]
    assert [(r.status, r.count, r.required) for r in br01] == [("fail", 2, 3)]


@pytest.mark.parametrize(("units", "expected"), [(5, "pass"), (6, "notice")])
def test_joint_branch_covers_at_most_five_units_as_a_notice(make_repo, units, expected):
    """支部工作条例 第五条: "联合党支部覆盖单位一般不超过5个" — 一般, so a sixth unit is a reminder, not a failure."""
    root = make_repo()
    names = ", ".join(f"单位{i}" for i in range(1, units + 1))
    edit(root, "branch.yaml", "type: faculty", f"type: joint\ncovered_units: [{names}]")
    found = results(root, dt.date(2025, 3, 31))
    assert [(r.status, r.count, r.required) for r in found["BR-03"]] == [(expected, units, 5)]


def test_covered_units_rule_only_for_joint_branches(make_repo):
    found = results(make_repo(), dt.date(2025, 3, 31))
    assert "BR-03" not in found


# ── exemptions that name members (离退休) ──

EXEMPT_TWO = """  - rule: ED-01
    from: {start}
    expires_on: 2025-12-31
    reason: 年老体弱、行动不便，经院党委批准学习学时不作硬性要求
    approver: 工程学院党委
    approved_on: 2024-12-20
    members: [{members}]
"""


def _study_short_for_two(root: Path) -> None:
    """pa000001–pa000006 reach 32 hours in 2025; pa000007 and pa000008 keep their 8 hours."""
    with (root / BRANCH / "study.csv").open("a", encoding="utf-8") as handle:
        for n in range(1, 7):
            handle.write(f"pa00000{n},2025-06-20,24,集中学习培训\n")


def _exempt(root: Path, members: str, start: str = "2025-01-01") -> None:
    with (root / BRANCH / "exemptions.yaml").open("a", encoding="utf-8") as handle:
        handle.write(EXEMPT_TWO.format(start=start, members=members))


def _ed01(root: Path):
    found = results(root, dt.date(2026, 1, 10))["ED-01"]
    return next(r for r in found if r.period == "2025")


def test_named_members_are_left_out_and_the_others_judged(make_repo):
    """党员教育管理工作条例 第二十三条: "年老体弱、行动不便、身患重病甚至失能的党员" — study "不作硬性要求".

    Without the exemption the branch fails ED-01 for 2025; with both frail members named it passes, judged
    on the six others, and the result says how many were left out.
    """
    root = make_repo()
    _study_short_for_two(root)
    plain = _ed01(root)
    assert (plain.status, plain.count, plain.required, plain.people) == ("fail", 6, 8, 2)
    _exempt(root, "pa000007, pa000008")
    excused = _ed01(root)
    assert (excused.status, excused.count, excused.required, excused.excused) == ("pass", 6, 6, 2)
    assert "不作硬性要求" in excused.exemption


def test_member_exemption_judges_the_members_it_does_not_name(make_repo):
    root = make_repo()
    _study_short_for_two(root)
    _exempt(root, "pa000007")
    found = _ed01(root)
    assert (found.status, found.count, found.required, found.people, found.excused) == ("fail", 6, 7, 1, 1)


def test_only_members_in_the_branch_during_the_period_are_counted_as_exempted(make_repo):
    """An exempted member who had left the branch before the period is not one of its members then: the result
    and the branch page count only the members the exemption can excuse (here pa000008, not pa000007)."""
    root = make_repo()
    _study_short_for_two(root)
    edit(root, "members.csv", "pa000007,教职工,g1,2018-06-01,2019-06-01,2019-09-01,,",
         "pa000007,教职工,g1,2018-06-01,2019-06-01,2019-09-01,2024-06-30,转出")
    _exempt(root, "pa000007, pa000008")
    found = _ed01(root)
    assert (found.status, found.count, found.required, found.excused) == ("pass", 6, 6, 1)
    run = run_check(root, as_of=dt.date(2026, 1, 10))
    branch = next(b for b in run.ledger.branches if b.code == "gongcheng-js1")
    [exemption] = [e for e in branch.exemptions if e.members]
    assert [m.id for m in branch.members_exempted(exemption)] == ["pa000008"]


def test_member_exemption_must_cover_the_whole_period(make_repo):
    """As for whole-rule exemptions: a year is excused only when the exemption spans all of it."""
    root = make_repo()
    _study_short_for_two(root)
    _exempt(root, "pa000007, pa000008", start="2025-01-02")
    found = _ed01(root)
    assert (found.status, found.excused) == ("fail", None)


def test_member_exemption_for_a_branch_rule_is_refused(make_repo, capsys):
    """MT-01 is a duty of the branch, not of each member: naming members there is a problem, not a pass."""
    root = make_repo()
    with (root / BRANCH / "exemptions.yaml").open("a", encoding="utf-8") as handle:
        handle.write(EXEMPT_TWO.replace("ED-01", "MT-01").format(start="2025-01-01", members="pa000007"))
    code = main(["--root", str(root), "check", "--as-of", "2025-03-31", "--format", "json"])
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert code == 1
    assert [(p["code"], p["row"], p["field"]) for p in problems] == [("exemption-members-not-allowed", 8, "members")]
    assert "pa000007" not in problems[0]["message"]


@pytest.fixture(scope="module")
def exempted_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("exempted"), FIXTURE)
    _study_short_for_two(project)
    _exempt(project, "pa000007, pa000008")
    build_site(project, Path("site"), dt.date(2026, 1, 10))
    return project / "site"


def test_site_says_how_many_were_exempted_never_who(exempted_site):
    """Two exempted members are fewer than min_cell_size (5): the page says “<5”, never the ids."""
    html = (exempted_site / "branches/gongcheng-js1/index.html").read_text(encoding="utf-8")
    table = _section(html, "已批准的豁免")
    assert "&lt;5 名党员（其余党员照常检查）" in table
    assert "全支部" in table  # the fixture's MT-07 summer exemption covers the whole branch
    # Every page, the standards page too: its worked cases (standards/cases) use their own pseudonyms (pz…).
    for file in exempted_site.rglob("*"):
        if file.is_file() and file.suffix in (".html", ".csv", ".json", ".xml", ".txt"):
            text = file.read_text(encoding="utf-8", errors="replace")
            assert "pa000007" not in text and "pa000008" not in text, file
    row = re.search(r'<tr><t[hd][^>]*><a href="[^"]*#ed-01">ED-01</a>.*?</tr>', html, re.DOTALL).group(0)
    assert 'class="st-pass"' in row and "st-fail" not in row


# ── the demo college exercises each behaviour ──

def test_demo_records_hold_a_temporary_branch_a_member_exemption_and_notices():
    """The demo (generated by `zhibu demo`) shows each new behaviour on its public pages."""
    run = run_check(REPO, as_of=dt.date(2026, 11, 20))
    assert run.errors == []
    branches = {b.code: b for b in run.ledger.branches}
    temporary = [code for code, b in branches.items() if b.type == "temporary"]
    assert temporary
    for r in run.results:
        if r.branch in temporary and r.rule in (*DUES, *DEVELOPMENT, "BR-06", "BR-07"):
            assert r.status == "n/a" and r.note, r
    named = [(b.code, e) for b in branches.values() for e in b.exemptions if e.members]
    assert named, "a member exemption in the demo"
    code, item = named[0]
    excused = [r for r in run.results if r.branch == code and r.rule == item.rule and r.excused]
    assert excused and all(r.status in ("pass", "due") for r in excused)
    assert any(r.status == "notice" for r in run.results)


@pytest.mark.parametrize("rule", ["ED-01", "DU-05"])
def test_demo_member_exemption_is_what_makes_its_branch_pass(tmp_path, rule):
    """Without the exemption the frail members' study hours fail ED-01, and the student whose dues were waived
    (免交, due 0) fails DU-05: neither exemption is decoration."""
    from sitehelpers import copy_project as copy

    project = copy(tmp_path / "p")
    file = next(p for p in project.glob("records/*/*/exemptions.yaml")
                if "members:" in (text := p.read_text(encoding="utf-8")) and f"rule: {rule}" in text)
    file.unlink()
    branch = file.parent.name
    run = run_check(project, as_of=dt.date(2026, 11, 20))
    found = [r.status for r in run.results if r.branch == branch and r.rule == rule and r.period == "2025"]
    assert found == ["fail"]


def test_a_type_both_applying_and_not_applying_is_refused(make_repo, capsys):
    """A rule cannot both apply to temporary branches and say it does not: the check names the line."""
    root = make_repo()
    path = root / "standards/rules.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("- id: DU-09")
    old = "  applies_to: [faculty, admin, student, postgrad, joint, retired]\n"
    at = text.index(old, start)
    path.write_text(text[:at] + old.replace("retired]", "retired, temporary]") + text[at + len(old):],
                    encoding="utf-8")
    code = main(["--root", str(root), "check", "--as-of", "2025-03-31", "--format", "json"])
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert code == 1
    found = [p for p in problems if p["path"] == "standards/rules.yaml"]
    assert len(found) == 1 and found[0]["field"] == "not_applicable" and "applies_to" in found[0]["message"]
