"""Rules that now say what their sources say (issue 10 §1), each tested at its boundaries on the fixture branch.

Each test quotes the source's words in its docstring; the expected values are read off the calendar and the
text, never computed by the code under test.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from test_rules import BRANCH, edit, results, status

from generator.cli import main
from generator.pipeline import run_check

MEMBERS = "pa000001 pa000002 pa000003 pa000004 pa000005 pa000006 pa000007 pa000008".split()


def _rewrite(root: Path, name: str, text: str) -> None:
    (root / BRANCH / name).write_text(text, encoding="utf-8")


def _committee(root: Path, members: str, elected: str = "2024-05-10") -> None:
    """Replace the fixture's committee: `members` is YAML list items (one per person)."""
    text = (root / BRANCH / "branch.yaml").read_text(encoding="utf-8")
    head, _, tail = text.partition("committee:")
    rest = tail[tail.index("maintainers:"):]
    _rewrite(root, "branch.yaml", f"{head}committee:\n  elected_on: {elected}\n  term_years: 3\n"
                                  f"  extended_until: null\n  members:\n{members}{rest}")


def _secretary_only(root: Path, secretary: str) -> None:
    text = (root / BRANCH / "branch.yaml").read_text(encoding="utf-8")
    head, _, tail = text.partition("committee:")
    _rewrite(root, "branch.yaml", f"{head}secretary:\n{secretary}{tail[tail.index('maintainers:'):]}")


# ── DV-02: the talk within one month ──

def _applicant(root: Path, applied: str, talked: str = "") -> None:
    with (root / BRANCH / "development.csv").open("a", encoding="utf-8") as handle:
        handle.write(f"pb000002,{applied},{talked},,,,,\n")


def test_applicant_never_talked_to_fails_after_one_month(make_repo):
    """2014 细则: "党组织收到入党申请书后，应当在一个月内派人同入党申请人谈话" — past the month with no talk
    is a failure, inside it the talk is still due."""
    root = make_repo()
    _applicant(root, "2025-01-10")
    assert status(root, dt.date(2025, 2, 10), "DV-02") == {"once": "due"}  # the month ends on 2025-02-10
    found = results(root, dt.date(2025, 2, 11), "DV-02")["once"]
    assert found.status == "fail" and found.people == 1
    assert "1 人已超过 1 个月仍无谈话记录" in found.note
    assert (f"{BRANCH}/development.csv", 4) in found.evidence


def test_talk_on_the_last_day_of_the_month_passes(make_repo):
    """"在一个月内…谈话": a talk exactly one month after the application is in time, one day later is not."""
    root = make_repo()
    _applicant(root, "2025-01-10", "2025-02-10")
    assert status(root, dt.date(2025, 3, 31), "DV-02") == {"once": "pass"}
    root = make_repo()
    _applicant(root, "2025-01-10", "2025-02-11")
    assert status(root, dt.date(2025, 3, 31), "DV-02") == {"once": "fail"}


def test_talk_recorded_after_the_as_of_date_is_not_yet_a_talk(make_repo):
    """A talk dated after the as-of date has not happened yet on that date: inside the month it is still open."""
    root = make_repo()
    _applicant(root, "2025-03-20", "2025-04-02")
    assert status(root, dt.date(2025, 3, 31), "DV-02") == {"once": "due"}


# ── DU-14 / DU-09: a gap is a gap when it happens ──

def _dues(root: Path, member: str, months: dict[str, str | None], until: str = "2025-12") -> None:
    """Dues rows for every fixture member from 2025-04 to `until`, paid on the 10th; `months` overrides
    one member's payment day (None: unpaid)."""
    lines = (root / BRANCH / "dues.csv").read_text(encoding="utf-8").splitlines()
    lines = [line for line in lines if not line.startswith(tuple(f"{m},{member}," for m in months))]
    year, month = 2025, 4
    while f"{year}-{month:02d}" <= until:
        label = f"{year}-{month:02d}"
        for m in MEMBERS:
            if m == member and label in months:
                continue
            lines.append(f"{label},{m},50.00,50.00,{label}-10")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    for label, paid in months.items():
        lines.append(f"{label},{member},50.00,50.00,{paid}" if paid else f"{label},{member},50.00,,")
    _rewrite(root, "dues.csv", "\n".join(lines) + "\n")


SIX = ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]


def test_six_months_back_paid_in_one_go_still_fail(make_repo):
    """教育管理条例 第三十一条（六）: "没有正当理由，连续6个月…不交纳党费" — paying eight months at once later does not
    undo the six months that passed unpaid (a month counts as unpaid until its paid_on)."""
    root = make_repo()
    _dues(root, "pa000005", {m: "2025-08-05" for m in [*SIX, "2025-07", "2025-08"]})
    error = results(root, dt.date(2025, 9, 1), "DU-14")["once"]
    assert (error.status, error.count, error.required, error.people) == ("fail", 7, 6, 1)
    assert "事后补交不改变" in error.note


def test_run_is_measured_at_each_month_end(make_repo):
    """"连续6个月": January paid on 30 June means that at the end of June only February–June (5 months) were
    unpaid; paid on 1 July, January was still unpaid at the end of June: six months."""
    root = make_repo()
    _dues(root, "pa000005", {"2025-01": "2025-06-30", **{m: "2025-07-20" for m in SIX[1:]}})
    found = results(root, dt.date(2025, 8, 1), "DU-14")["once"]
    assert (found.status, found.count) == ("pass", 5)
    root = make_repo()
    _dues(root, "pa000005", {"2025-01": "2025-07-01", **{m: "2025-07-20" for m in SIX[1:]}})
    found = results(root, dt.date(2025, 8, 1), "DU-14")["once"]
    assert (found.status, found.count) == ("fail", 6)


def test_warning_follows_the_same_run(make_repo):
    """The local 3-month warning (DU-14W) measures the same runs: three months unpaid at a month's end is a
    reminder even after they were back-paid; the notice never shows as a failure."""
    root = make_repo()
    _dues(root, "pa000005", {m: "2025-04-15" for m in SIX[:3]})
    warn = results(root, dt.date(2025, 9, 1), "DU-14W")["once"]
    assert (warn.status, warn.count, warn.required) == ("notice", 3, 3)
    assert status(root, dt.date(2025, 9, 1), "DU-14") == {"once": "pass"}
    root = make_repo()
    _dues(root, "pa000005", {m: "2025-03-31" for m in SIX[:3]})  # March paid on its own last day
    assert results(root, dt.date(2025, 9, 1), "DU-14W")["once"].count == 2


def test_back_payment_within_six_months_passes_later_fails(make_repo):
    """2008 规定: "补交党费的时间一般不得超过六个月" — January back-paid on 31 July passes, on 1 August fails."""
    root = make_repo()
    _dues(root, "pa000005", {"2025-01": "2025-07-31"})
    assert status(root, dt.date(2025, 9, 1), "DU-09")["2025-01"] == "pass"
    root = make_repo()
    _dues(root, "pa000005", {"2025-01": "2025-08-01"})
    late = results(root, dt.date(2025, 9, 1), "DU-09")["2025-01"]
    assert (late.status, late.people) == ("fail", 1)
    assert "超过 6 个月才补交党费" in late.note


def test_quarterly_payment_approved_by_the_branch(make_repo):
    """2008 规定: "遇到特殊情况，经党支部同意，可以每季度交纳一次" — with dues_payment: quarterly in branch.yaml a
    month is on time until its quarter's end; monthly, the same unpaid January fails in February."""
    root = make_repo()
    _dues(root, "pa000005", {"2025-01": None, "2025-02": None, "2025-03": None})
    assert status(root, dt.date(2025, 2, 15), "DU-09")["2025-01"] == "fail"
    edit(root, "branch.yaml", "maintainers:", "dues_payment: quarterly\nmaintainers:")
    assert status(root, dt.date(2025, 2, 15), "DU-09")["2025-01"] == "due"
    assert status(root, dt.date(2025, 3, 31), "DU-09")["2025-01"] == "due"  # the quarter's last day
    assert status(root, dt.date(2025, 4, 1), "DU-09")["2025-01"] == "fail"


def test_quarterly_payment_at_quarter_end_is_never_a_gap(make_repo):
    """Paid once a quarter on the quarter's last day, no month is ever in arrears (DU-14W and DU-09 pass)."""
    root = make_repo()
    edit(root, "branch.yaml", "maintainers:", "dues_payment: quarterly\nmaintainers:")
    paid = {f"2025-{m:02d}": f"2025-{m + (-m) % 3:02d}-{30 if m + (-m) % 3 in (6, 9) else 31}" for m in range(1, 10)}
    _dues(root, "pa000005", paid, until="2025-09")
    assert results(root, dt.date(2025, 10, 1), "DU-14W")["once"].count == 0
    found = status(root, dt.date(2025, 10, 1), "DU-09")
    assert {found[f"2025-{m:02d}"] for m in range(1, 10)} == {"pass"}


def test_dues_rounding_setting(make_repo):
    """settings.dues_rounding (本校做法): a due of 15.36 yuan collected as 15 yuan is in full only when the school
    rounds to the yuan."""
    root = make_repo()
    edit(root, "dues.csv", "2025-03,pa000005,50.00,50.00,", "2025-03,pa000005,15.36,15.00,")
    assert status(root, dt.date(2025, 4, 1), "DU-09")["2025-03"] == "fail"
    org = root / "records/organization.yaml"
    _add_setting(org, "dues_rounding: '1'")
    assert status(root, dt.date(2025, 4, 1), "DU-09")["2025-03"] == "pass"


def test_the_annual_ledger_reads_a_month_as_the_dues_rules_do(make_repo):
    """The Party site's 年度台账 counts a member's month as paid in full exactly when DU-09 does: 15.00 yuan for
    15.36 is short at the cent, and in full where the school rounds to the yuan."""
    from generator.site.annual import annual_ledger

    root = make_repo()
    edit(root, "dues.csv", "2025-03,pa000005,50.00,50.00,", "2025-03,pa000005,15.36,15.00,")

    def march(run) -> tuple[int, int]:
        [branch] = run.ledger.branches
        book = annual_ledger(branch, [r for r in run.results if r.branch == branch.code], 2025,
                             run.ledger.organization.settings)
        month = next(m for m in book.dues if m.month == "2025-03")
        return month.paid_in_full, month.rows

    full, rows = march(run_check(root, as_of=dt.date(2025, 4, 1)))
    assert full == rows - 1
    _add_setting(root / "records/organization.yaml", "dues_rounding: '1'")
    assert march(run_check(root, as_of=dt.date(2025, 4, 1))) == (rows, rows)


# ── BR-05: persons, 兼任, 被选举权, size ──

def _person(roles: str, member: str) -> str:
    return f"    - roles: [{roles}]\n      member: {member}\n"


FOUR = _person("书记", "pa000001") + _person("组织委员", "pa000002") + _person("宣传委员", "pa000003")


def test_concurrent_roles_count_one_person(make_repo):
    """支部条例 第二十条: "设书记和组织委员、宣传委员、纪检委员等" — the 纪检委员 may be held by another member (兼任):
    three persons holding the four roles pass, and the page lists both roles of that person."""
    root = make_repo()
    _committee(root, _person("书记", "pa000001") + _person("组织委员, 纪检委员", "pa000002")
               + _person("宣传委员", "pa000003"))
    assert status(root, dt.date(2025, 3, 31), "BR-05") == {"once": "pass"}
    edit(root, "branch.yaml", "[组织委员, 纪检委员]", "[组织委员]")
    found = results(root, dt.date(2025, 3, 31), "BR-05")["once"]
    assert found.status == "fail" and "纪检委员" in found.note


def test_committee_size_in_persons(make_repo):
    """第二十条: "党支部委员会由3至5人组成，一般不超过7人" — 5 passes, 6 and 7 are a notice (提醒), 8 fails."""
    others = ["pa000004", "pa000005", "pa000006", "pa000007"]

    def size(extra: int) -> str:
        root = make_repo()
        members = FOUR + _person("纪检委员", "pa000004") + "".join(_person("委员", m) for m in others[1:1 + extra])
        _committee(root, members)
        return results(root, dt.date(2025, 3, 31), "BR-05")["once"]

    assert size(1).status == "pass"  # 5 persons
    six = size(2)
    assert six.status == "notice" and "支委会 6 人" in six.note
    assert size(3).status == "notice"  # 7 persons
    root = make_repo()
    members = FOUR + _person("纪检委员", "pa000004") + "".join(_person("委员", m) for m in others[1:])
    members += _person("委员", "pa000008")  # 8 persons (pa000008 is probationary: fails on that too)
    _committee(root, members)
    assert results(root, dt.date(2026, 3, 31), "BR-05")["once"].status == "fail"


def test_probationary_member_cannot_be_elected(make_repo):
    """选举工作条例 第五条: "预备党员没有表决权、选举权和被选举权" — a committee member who was not yet full on the
    election day fails, even after becoming full later."""
    root = make_repo()
    _committee(root, FOUR + _person("纪检委员", "pa000008"), elected="2025-03-01")
    edit(root, "members.csv", "pa000008,教职工,g1,2024-12-20,,", "pa000008,教职工,g1,2024-12-20,2025-12-20,")
    found = results(root, dt.date(2026, 3, 31), "BR-05")["once"]
    assert found.status == "fail" and "纪检委员在选举日 2025-03-01 尚不是正式党员" in found.note
    root = make_repo()
    _committee(root, FOUR + _person("纪检委员", "pa000008"), elected="2025-12-20")
    edit(root, "members.csv", "pa000008,教职工,g1,2024-12-20,,", "pa000008,教职工,g1,2024-12-20,2025-12-20,")
    assert status(root, dt.date(2026, 3, 31), "BR-05") == {"once": "pass"}  # full on the election day


def test_old_role_format_gets_a_coded_problem_that_says_how(make_repo, capsys):
    """An old branch.yaml (role: 书记) is still read, and `zhibu check` names the conversion."""
    root = make_repo()
    edit(root, "branch.yaml", "- roles: [书记]", "- role: 书记")
    code = main(["--root", str(root), "check", "--as-of", "2025-03-31", "--format", "json"])
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert code == 1
    found = [p for p in problems if p["code"] == "officer-role-format"]
    assert len(found) == 1 and "roles: [书记]" in found[0]["message"]
    assert found[0]["path"] == f"{BRANCH}/branch.yaml"
    run = run_check(root, as_of=dt.date(2025, 3, 31))  # nothing is lost: the committee is still judged
    assert [r.status for r in run.results if r.rule == "BR-05"] == ["pass"]


# ── BR-09 and BR-06 on the election date ──

def test_secretary_seniority_is_judged_on_the_election_day(make_repo):
    """支部条例 第二十三条: "党支部书记…一般应当具有1年以上党龄" — pa000007 became full on 2019-06-01: elected
    2020-06-01 is a year, elected 2020-05-31 is not, however many years later the check runs."""
    root = make_repo()
    _committee(root, _person("书记", "pa000007") + _person("组织委员", "pa000002") + _person("宣传委员", "pa000003")
               + _person("纪检委员", "pa000004"), elected="2020-06-01")
    assert status(root, dt.date(2025, 3, 31), "BR-09") == {"once": "pass"}
    edit(root, "branch.yaml", "elected_on: 2020-06-01", "elected_on: 2020-05-31")
    found = results(root, dt.date(2025, 3, 31), "BR-09")["once"]
    assert found.status == "notice" and "2020-05-31" in found.note


def test_branch_without_committee_has_a_term_too(make_repo):
    """选举工作条例 第二条 covers "支部委员会（含不设委员会的党支部）"; 第二十一条 "一般每届任期3年" — a secretary
    elected on 2021-05-10 is within the term on 2024-05-09 and overdue on 2024-05-10."""
    root = make_repo()
    _secretary_only(root, "  - roles: [书记]\n    member: pa000001\n    elected_on: 2021-05-10\n")
    assert status(root, dt.date(2024, 5, 9), "BR-06") == {"once": "pass"}
    overdue = results(root, dt.date(2024, 5, 10), "BR-06")["once"]
    assert overdue.status == "fail" and "支部书记任期已于 2024-05-10 届满" in overdue.note


def test_branch_without_committee_must_record_the_election(make_repo):
    root = make_repo()
    _secretary_only(root, "  - roles: [书记]\n    member: pa000001\n")
    found = results(root, dt.date(2025, 3, 31), "BR-06")["once"]
    assert found.status == "fail" and "elected_on" in found.note


# ── DV-13: full membership exactly when probation ends ──

def test_probation_ends_exactly_twelve_months_after_admission(make_repo):
    """2014 细则 第三十二条: "预备期为一年…应当按期转为正式党员" — full on 2025-12-20 for admission on 2024-12-20;
    the day of the meeting (2026-01-05) is the usual mistake and fails, and so does a day too early."""
    for full, expected in (("2025-12-20", "pass"), ("2026-01-05", "fail"), ("2025-12-19", "fail")):
        root = make_repo()
        edit(root, "members.csv", "pa000008,教职工,g1,2024-12-20,,", f"pa000008,教职工,g1,2024-12-20,{full},")
        edit(root, "development.csv", "2024-12-20,\n", f"2024-12-20,{full}\n")
        found = results(root, dt.date(2026, 3, 31), "DV-13")["once"]
        assert found.status == expected, full
        if full == "2026-01-05":
            assert "支部大会讨论转正或上级党委审批的日期填成了转正日期" in found.note


def _extension(root: Path, months: str, full: str) -> None:
    members = (root / BRANCH / "members.csv").read_text(encoding="utf-8").splitlines()
    members = [members[0] + ",probation_extended_months"] + [line + "," for line in members[1:]]
    text = "\n".join(members).replace("pa000008,教职工,g1,2024-12-20,,2024-12-20,,,",
                                      f"pa000008,教职工,g1,2024-12-20,{full},2024-12-20,,,{months}")
    _rewrite(root, "members.csv", text + "\n")
    edit(root, "development.csv", "2024-12-20,\n", f"2024-12-20,{full}\n")
    dev = (root / BRANCH / "development.csv").read_text(encoding="utf-8").splitlines()
    dev = [dev[0] + ",probation_extended_months"] + [line + "," for line in dev[1:]]
    _rewrite(root, "development.csv", "\n".join(dev).replace(f"{full},", f"{full},{months}") + "\n")


def test_recorded_extension_of_six_to_twelve_months(make_repo):
    """第三十二条: "可以延长一次预备期，延长时间不能少于半年，最长不超过一年" — 6 months (full 18 months after
    admission) and 12 months (24) pass; an extension of 5 months fails, as does a date that does not match
    the extension."""
    cases = (("6", "2026-06-20", "pass"), ("12", "2026-12-20", "pass"), ("5", "2026-05-20", "fail"),
             ("6", "2026-07-20", "fail"))
    for months, full, expected in cases:
        root = make_repo()
        _extension(root, months, full)
        run = run_check(root, as_of=dt.date(2027, 1, 31))
        assert run.errors == [], run.errors
        found = next(r for r in run.results if r.rule == "DV-13")
        assert found.status == expected, (months, full, found.note)


# ── MT-01Q: quorum only for a vote; MT-02: the committee quorum ──

def _voting(root: Path, line: str) -> None:
    meetings = (root / BRANCH / "meetings.csv").read_text(encoding="utf-8").splitlines()
    meetings = [meetings[0] + ",voting_expected,voting_present"] + [x + ",," for x in meetings[1:]]
    text = "\n".join(meetings).replace("2025-03-05,党员大会,通报支部工作,8,7,,,", line)
    _rewrite(root, "meetings.csv", text + "\n")


def test_assembly_without_a_vote_is_not_judged_for_quorum(make_repo):
    """支部条例 第十一条: "表决必须有半数以上有表决权的党员到会方可进行" — quorum is a condition for voting: an assembly
    that records no vote (no voting_expected column at all, or an empty cell) leaves MT-01Q n/a."""
    assert status(make_repo(), dt.date(2025, 3, 31), "MT-01Q") == {"2025-Q1": "n/a"}
    root = make_repo()
    _voting(root, "2025-03-05,党员大会,通报支部工作,8,7,,,")
    assert status(root, dt.date(2025, 3, 31), "MT-01Q") == {"2025-Q1": "n/a"}


def test_vote_needs_more_than_half_of_voting_members(make_repo):
    """"半数以上有表决权的党员到会": 4 of 7 voting members is more than half; 4 of 8 and 3 of 7 are not."""
    for expected, present, verdict in ((7, 4, "pass"), (8, 4, "fail"), (7, 3, "fail")):
        root = make_repo()
        _voting(root, f"2025-03-05,党员大会,讨论接收预备党员,8,7,,{expected},{present}")
        found = results(root, dt.date(2025, 3, 31), "MT-01Q")["2025-Q1"]
        assert found.status == verdict, (expected, present)
    assert "未超过应到会 7 人的半数" in found.note


def test_committee_meeting_needs_half_of_the_committee(make_repo):
    """支部条例 第十二条: "须有半数以上委员到会方可进行" — with 4 committee members, 3 present holds the meeting,
    2 present does not, and January then has no committee meeting."""
    root = make_repo()
    edit(root, "meetings.csv", "2025-01-08,支委会,研究年度工作计划,4,4,", "2025-01-08,支委会,研究年度工作计划,4,3,")
    assert status(root, dt.date(2025, 3, 31), "MT-02")["2025-01"] == "pass"
    edit(root, "meetings.csv", "2025-01-08,支委会,研究年度工作计划,4,3,", "2025-01-08,支委会,研究年度工作计划,4,2,")
    found = results(root, dt.date(2025, 3, 31), "MT-02")["2025-01"]
    assert found.status == "fail" and "未超过委员 4 人的半数" in found.note


# ── ED-01: which study kinds count is a local setting ──

def test_study_kinds_counted_is_a_local_setting(make_repo):
    """教育管理条例 第二十条: "党员每年集中学习培训时间一般不少于32学时" — which study kinds count as 集中学习培训 is
    the school's reading (settings.study_kinds_counted): 网络学习 counts by default, not when the school says so."""
    root = make_repo()
    lines = [f"{m},2025-0{q}-15,8,{kind}" for m in MEMBERS for q, kind in
             ((3, "集中学习培训"), (4, "集中学习培训"), (5, "集中学习培训"), (6, "网络学习"))]
    _rewrite(root, "study.csv", "member,date,hours,kind\n" + "\n".join(lines) + "\n")
    assert status(root, dt.date(2026, 1, 1), "ED-01")["2025"] == "pass"
    org = root / "records/organization.yaml"
    _add_setting(org, "study_kinds_counted: [集中学习培训]")
    found = results(root, dt.date(2026, 1, 1), "ED-01")["2025"]
    assert found.status == "fail" and "计入的学习形式：集中学习培训" in found.note


def _add_setting(org: Path, line: str) -> None:
    """One more entry under organization.yaml's settings: (the file goes on after that block)."""
    text = org.read_text(encoding="utf-8")
    assert "\nsettings:\n" in text
    org.write_text(text.replace("\nsettings:\n", f"\nsettings:\n  {line}\n", 1), encoding="utf-8")
