"""The rest of the rules audit (rules-audit.md §1–§2), each tested at its boundaries on the fixture branch.

Each test quotes the source's words in its docstring; the expected values are read off the calendar and the
text, never computed by the code under test.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from recordedits import with_also_kind
from sitehelpers import REPO, copy_project
from test_rules import BRANCH, edit, results, status

from generator.pipeline import run_check
from generator.site.build import build_site
from generator.site.statistics import compute

AS_OF = dt.date(2025, 6, 30)


def _rules() -> dict[str, dict]:
    return {r["id"]: r for r in yaml.safe_load((REPO / "standards/rules.yaml").read_text(encoding="utf-8"))}


def _setting(root: Path, line: str) -> None:
    org = root / "records/organization.yaml"  # under settings:, wherever that block stands in the file
    text = org.read_text(encoding="utf-8")
    assert "\nsettings:\n" in text
    org.write_text(text.replace("\nsettings:\n", f"\nsettings:\n  {line}\n", 1), encoding="utf-8")


@pytest.fixture(scope="module")
def built_site_dir(tmp_path_factory) -> Path:
    """The valid fixture built into a site as of 2025-06-30."""
    project = copy_project(tmp_path_factory.mktemp("audit-rest"), REPO / "tests/data/valid/records")
    build_site(project, Path("site"), AS_OF)
    return project / "site"


# ── BR-02: a stricter local maximum for student branches ──

def _student_branch(root: Path, members: int) -> None:
    """The fixture branch as a student branch with `members` members in all (8 in the fixture)."""
    edit(root, "branch.yaml", "type: faculty", "type: student")
    with (root / BRANCH / "members.csv").open("a", encoding="utf-8") as handle:
        for n in range(9, members + 1):
            handle.write(f"pa{n:06d},学生,g1,2020-06-01,2021-06-01,2021-09-01,,\n")


def test_student_branch_maximum_is_a_local_setting_off_by_default(make_repo):
    """支部条例 第四条: "党支部党员人数一般不超过50人"; a school may be stricter for student branches
    (信阳师范: 学生党支部 "最多不超过30人", local practice). By default the national 50 holds: 31 members pass;
    with the school's 30, 31 is a notice (提醒, never 未达标) and 30 passes."""
    root = make_repo()
    _student_branch(root, 31)
    assert status(root, AS_OF, "BR-02") == {"once": "pass"}
    _setting(root, "student_branch_max_members: 30")
    found = results(root, AS_OF, "BR-02")["once"]
    assert found.status == "notice" and found.count == 31 and found.required == 30
    assert "本校学生党支部上限 30 人（本校做法）" in found.note
    root = make_repo()
    _student_branch(root, 30)
    _setting(root, "student_branch_max_members: 30")
    assert status(root, AS_OF, "BR-02") == {"once": "pass"}


def test_student_branch_maximum_leaves_other_branches_alone(make_repo):
    """The local maximum is for 学生党支部 only: a faculty branch of 31 members still has the national 50."""
    root = make_repo()
    with (root / BRANCH / "members.csv").open("a", encoding="utf-8") as handle:
        for n in range(9, 32):
            handle.write(f"pa{n:06d},教职工,g1,2020-06-01,2021-06-01,2021-09-01,,\n")
    _setting(root, "student_branch_max_members: 30")
    assert status(root, AS_OF, "BR-02") == {"once": "pass"}


# ── MT-08: the citation says where 第四季度 comes from ──

def test_fourth_quarter_is_cited_to_the_branch_regulation_not_the_education_regulation():
    """"一般安排在第四季度" is in 支部条例 第十七条, not in 教育管理条例 第十七条 (whose words are "党支部每年至少
    召开1次组织生活会，也可以根据工作需要随时召开，一般以党员大会、党支部委员会会议或者党小组会形式进行")."""
    rule = _rules()["MT-08"]
    text = rule["requirement"].replace("\n", "")
    assert rule["source"] == "《中国共产党党员教育管理工作条例》"
    assert ("党支部每年至少召开1次组织生活会，也可以根据工作需要随时召开，"
            "一般以党员大会、党支部委员会会议或者党小组会形式进行") in text
    assert "“一般安排在第四季度”出自《支部工作条例（试行）》第十七条" in text
    branch_regulation = [s for s in rule["other_sources"] if s["source"] == "《中国共产党支部工作条例（试行）》"]
    assert branch_regulation and "一般安排在第四季度" in branch_regulation[0]["article"]


def test_semester_rules_for_party_lectures_are_named_as_not_expressible(built_site_dir):
    """Local rules such as "每学期不少于2次" cannot be set yet: the standards page says so under MT-06."""
    html = (built_site_dir / "standards/index.html").read_text(encoding="utf-8")
    section = html.split('id="mt-06"', 1)[1].split("<h2", 1)[0]
    assert "按学期规定次数的学校做法（如“每学期不少于2次”）目前无法设置" in section


# ── DU-05: a student's waived dues need the higher committee's approval ──

def _student_dues(root: Path, waived: str, exempted: str | None) -> None:
    """The fixture branch as a student branch, every member a student paying 0.20 in January 2025, except
    `waived`, whose due is 0 (免交); `exempted` is named in an approved DU-05 member exemption for 2025."""
    edit(root, "branch.yaml", "type: faculty", "type: student")
    members = root / BRANCH / "members.csv"
    members.write_text(members.read_text(encoding="utf-8").replace(",教职工,", ",学生,"), encoding="utf-8")
    rows = [f"2025-01,pa00000{n},{'0' if f'pa00000{n}' == waived else '0.20'},"
            f"{'0' if f'pa00000{n}' == waived else '0.20'},2025-01-10" for n in range(1, 9)]
    (root / BRANCH / "dues.csv").write_text("month,member,due,paid,paid_on\n" + "\n".join(rows) + "\n",
                                            encoding="utf-8")
    if exempted:
        with (root / BRANCH / "exemptions.yaml").open("a", encoding="utf-8") as handle:
            handle.write(f"  - rule: DU-05\n    from: 2025-01-01\n    expires_on: 2025-12-31\n"
                         f"    reason: 家庭经济困难，经批准免交党费\n    approver: 工程学院党委\n"
                         f"    approved_on: 2024-12-20\n    members: [{exempted}]\n")


def test_waived_student_dues_without_approval_fail_with_the_reason(make_repo):
    """2008 规定 第六条: "学生党员…每月交纳党费0.2元"; "交纳党费确有困难的党员，经党支部研究，报上一级党委批准后，
    可以少交或者免交" — a due of 0 with no recorded approval fails, and the note says approval is needed."""
    root = make_repo()
    _student_dues(root, "pa000005", None)
    found = results(root, dt.date(2026, 1, 5), "DU-05")["2025"]
    assert found.status == "fail" and found.people == 1 and found.count == 7 and found.required == 8
    assert "少交或免交党费须经党支部研究、报上一级党委批准" in found.note
    assert "exemptions.yaml" in found.note and "pa000005" not in found.note


def test_waived_student_dues_with_an_approved_member_exemption_pass(make_repo):
    """"报上一级党委批准后，可以少交或者免交": with the approval recorded for that member, DU-05 judges the other
    students only (7 rows at 0.20) and passes; the site learns how many were excused, never who."""
    root = make_repo()
    _student_dues(root, "pa000005", "pa000005")
    found = results(root, dt.date(2026, 1, 5), "DU-05")["2025"]
    assert found.status == "pass" and found.excused == 1 and found.count == 7
    assert "工程学院党委" in found.exemption


def test_an_approval_for_another_member_does_not_cover_the_waived_one(make_repo):
    """The approval names its members: an exemption for pa000006 leaves pa000005's 0 unapproved."""
    root = make_repo()
    _student_dues(root, "pa000005", "pa000006")
    assert status(root, dt.date(2026, 1, 5), "DU-05")["2025"] == "fail"


# ── BR-05 (d): a small branch that keeps a committee; BR-06: a term other than 3 years ──

def test_small_branch_keeping_a_committee_is_a_notice(make_repo):
    """支部条例 第二十条: "正式党员不足7人的党支部，设1名书记" — a branch of 6 full members that keeps its committee is
    reminded (提醒, never 未达标); with 7 full members the committee is required and passes."""
    root = make_repo()  # 7 full members (pa000001–pa000007) and one probationary member (pa000008)
    assert status(root, AS_OF, "BR-05") == {"once": "pass"}
    edit(root, "members.csv", "pa000007,教职工,g1,2018-06-01,2019-06-01,2019-09-01,,",
         "pa000007,教职工,g1,2025-01-10,,2025-01-10,,")
    found = results(root, AS_OF, "BR-05")["once"]
    assert found.status == "notice"
    assert "正式党员 6 人，不足 7 人" in found.note and "一般不设支部委员会" in found.note


def test_term_other_than_three_years_is_a_notice_until_it_expires(make_repo):
    """支部条例 第二十一条: "其他基层单位党支部委员会一般每届任期3年" (党章 第三十一条 allows 三年至五年): a recorded
    term_years of 5 is reminded while the term runs, and still fails once the five years are over."""
    root = make_repo()
    edit(root, "branch.yaml", "term_years: 3", "term_years: 5")
    found = results(root, AS_OF, "BR-06")["once"]
    assert found.status == "notice" and "每届任期记为 5 年" in found.note and "一般每届任期3年" in found.note
    # elected 2024-05-10 + 5 years: the term ends on 2029-05-10
    assert status(root, dt.date(2029, 5, 9), "BR-06") == {"once": "notice"}
    assert status(root, dt.date(2029, 5, 10), "BR-06") == {"once": "fail"}
    root = make_repo()
    assert status(root, AS_OF, "BR-06") == {"once": "pass"}


def test_secretary_only_branch_page_shows_the_checked_term(tmp_path):
    """A branch without a committee: its secretary's term is the one BR-06 checks (default_term_years), and the
    rule's title names the secretary too (选举条例 第二条: "支部委员会（含不设委员会的党支部）")."""
    project = copy_project(tmp_path / "p", REPO / "tests/data/valid/records")
    text = (project / BRANCH / "branch.yaml").read_text(encoding="utf-8")
    head, _, tail = text.partition("committee:")
    (project / BRANCH / "branch.yaml").write_text(
        f"{head}secretary:\n  - roles: [书记]\n    member: pa000001\n    elected_on: 2023-03-01\n"
        f"{tail[tail.index('maintainers:'):]}", encoding="utf-8")
    rules = (project / "standards/rules.yaml").read_text(encoding="utf-8")
    (project / "standards/rules.yaml").write_text(
        rules.replace("params: {default_term_years: 3, max_extension_months: 12}",
                      "params: {default_term_years: 4, max_extension_months: 12}"), encoding="utf-8")
    build_site(project, Path("site"), AS_OF)
    html = (project / "site/branches/gongcheng-js1/index.html").read_text(encoding="utf-8")
    assert "2023-03-01，任期 4 年（不设委员会的按一般每届任期计算），2027-03-01 届满" in html
    assert "任期 3 年" not in html
    assert "按期换届（支部委员会；不设委员会的为书记）" in _rules()["BR-06"]["title"]


# ── One meeting, several kinds: also_kind (同时作为) ──

def test_one_assembly_row_counts_as_org_life_and_appraisal_and_attendance_once(make_repo):
    """教育管理条例 第十七条: 组织生活会 "一般以党员大会、党支部委员会会议或者党小组会形式进行"; 第十八条: 民主评议
    "可以结合组织生活会一并进行". One 党员大会 row with also_kind 组织生活会、民主评议党员 satisfies MT-01, MT-08 and
    MT-09; without also_kind the same row satisfies MT-01 only; statistics count its attendance once."""
    root = make_repo()
    meetings, text = with_also_kind(root)
    meetings.write_text(text + "2025-12-20-dydh,2025-12-20,党员大会,年度组织生活会,8,8,,组织生活会、民主评议党员\n",
                        encoding="utf-8")
    as_of = dt.date(2026, 1, 5)
    assert status(root, as_of, "MT-08")["2025"] == "pass"
    assert status(root, as_of, "MT-09")["2025"] == "pass"
    assert status(root, as_of, "MT-01")["2025-Q4"] == "pass"
    run = run_check(root, as_of=as_of)
    stats = compute(run.ledger, run.results, as_of)
    december = next(row for row in stats.meetings_monthly if row["month"] == "2025-12")
    assert (december["expected"], december["present"], dict(december["kinds"])) == (8, 8, {"党员大会": 1})
    meetings.write_text(text + "2025-12-20-dydh,2025-12-20,党员大会,年度组织生活会,8,8,,\n", encoding="utf-8")
    assert status(root, as_of, "MT-08")["2025"] == "fail"
    assert status(root, as_of, "MT-09")["2025"] == "fail"


def test_also_kind_outside_the_vocabulary_is_a_clear_problem(make_repo, capsys):
    """A value that is not a meeting kind (a comma instead of 、, or a typo) is named with its file, row and column."""
    import json

    from generator.cli import main

    root = make_repo()
    meetings, text = with_also_kind(root)
    meetings.write_text(text + "2025-03-20-dydh,2025-03-20,党员大会,组织生活会,8,8,,组织生活会;民主评议\n",
                        encoding="utf-8")
    code = main(["--root", str(root), "check", "--as-of", "2025-03-31", "--format", "json"])
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert code == 1
    found = [p for p in problems if p["code"] == "constraint-error" and p["path"].endswith("meetings.csv")]
    assert found and found[0]["row"] == 13 and "also_kind" in json.dumps(found[0], ensure_ascii=False), found
    assert "几种用顿号“、”隔开" in found[0]["message"], found
