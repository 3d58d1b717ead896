"""Compliance rules at their boundaries: quarter edges, open periods, leap years, exemptions, dues runs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.pipeline import run_check

BRANCH = "records/gongcheng/gongcheng-js1"
ASSEMBLY = "2025-03-05-dydh,2025-03-05,党员大会,通报支部工作,8,7,"


def results(root: Path, as_of: dt.date, rule: str) -> dict[str, object]:
    """period -> Result for the fixture branch and one rule; the run itself must be free of errors."""
    run = run_check(root, as_of=as_of)
    assert run.errors == [], run.errors
    return {r.period: r for r in run.results if r.branch == "gongcheng-js1" and r.rule == rule}


def status(root: Path, as_of: dt.date, rule: str) -> dict[str, str]:
    return {period: r.status for period, r in results(root, as_of, rule).items()}


def edit(root: Path, name: str, old: str, new: str) -> None:
    file = root / BRANCH / name
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, (name, old)
    file.write_text(text.replace(old, new), encoding="utf-8")


def append(root: Path, name: str, lines: list[str]) -> None:
    with (root / BRANCH / name).open("a", encoding="utf-8") as handle:
        handle.write("".join(line + "\n" for line in lines))


# ── quarters ──

def test_assembly_on_last_day_of_quarter_counts(make_repo):
    root = make_repo()
    edit(root, "meetings.csv", ASSEMBLY, ASSEMBLY.replace(",2025-03-05,", ",2025-03-31,"))
    found = results(root, dt.date(2025, 6, 30), "MT-01")
    assert found["2025-Q1"].status == "pass" and found["2025-Q1"].count == 1 and found["2025-Q1"].required == 1


def test_assembly_on_first_day_of_quarter_counts(make_repo):
    root = make_repo()
    edit(root, "meetings.csv", ASSEMBLY, ASSEMBLY.replace(",2025-03-05,", ",2025-01-01,"))
    assert status(root, dt.date(2025, 3, 31), "MT-01")["2025-Q1"] == "pass"


def test_assembly_on_first_day_of_next_quarter_does_not_count(make_repo):
    root = make_repo()
    edit(root, "meetings.csv", ASSEMBLY, ASSEMBLY.replace(",2025-03-05,", ",2025-04-01,"))
    found = results(root, dt.date(2025, 6, 30), "MT-01")
    assert found["2025-Q1"].status == "fail" and found["2025-Q1"].count == 0
    assert found["2025-Q2"].status == "pass"


def test_open_quarter_is_due_not_fail(make_repo):
    root = make_repo()
    edit(root, "meetings.csv", ASSEMBLY + "\n", "")
    assert status(root, dt.date(2025, 2, 15), "MT-01") == {"2025-Q1": "due"}
    assert status(root, dt.date(2025, 3, 31), "MT-01") == {"2025-Q1": "due"}  # the last day is still open
    assert status(root, dt.date(2025, 4, 1), "MT-01") == {"2025-Q1": "fail", "2025-Q2": "due"}


def test_valid_fixture_q1(make_repo):
    assert status(make_repo(), dt.date(2025, 3, 31), "MT-01") == {"2025-Q1": "pass"}


# ── committee term across a leap day ──

def test_term_from_leap_day(make_repo):
    root = make_repo()
    edit(root, "branch.yaml", "elected_on: 2024-05-10", "elected_on: 2024-02-29")
    assert status(root, dt.date(2027, 2, 27), "BR-06") == {"once": "pass"}
    assert status(root, dt.date(2027, 3, 1), "BR-06") == {"once": "fail"}


def test_term_extension(make_repo):
    root = make_repo()
    edit(root, "branch.yaml", "elected_on: 2024-05-10", "elected_on: 2021-05-10")
    assert status(root, dt.date(2025, 3, 31), "BR-06") == {"once": "fail"}
    edit(root, "branch.yaml", "extended_until: null", "extended_until: 2025-05-01")
    assert status(root, dt.date(2025, 3, 31), "BR-06") == {"once": "pass"}
    edit(root, "branch.yaml", "extended_until: 2025-05-01", "extended_until: 2025-06-01")  # > 1 year past the end
    assert status(root, dt.date(2025, 3, 31), "BR-06") == {"once": "fail"}


# ── exemptions ──

def test_exemption_covers_its_months_only(make_repo):
    # The fixture exempts MT-07 (主题党日) from 2025-07-01 to 2025-08-31; no 主题党日 is recorded after March.
    found = status(make_repo(), dt.date(2025, 9, 30), "MT-07")
    assert found["2025-03"] == "pass"
    assert found["2025-06"] == "fail"
    assert found["2025-07"] == "exempt" and found["2025-08"] == "exempt"
    assert found["2025-09"] == "due"
    assert status(make_repo(), dt.date(2025, 10, 1), "MT-07")["2025-09"] == "fail"  # after expiry: not exempt


def test_exemption_ending_inside_a_period_does_not_cover_it(make_repo):
    root = make_repo()
    edit(root, "exemptions.yaml", "expires_on: 2025-08-31", "expires_on: 2025-07-30")
    found = status(root, dt.date(2025, 9, 30), "MT-07")
    assert found["2025-07"] == "fail" and found["2025-08"] == "fail"


def test_exemption_expired_before_period(make_repo):
    root = make_repo()
    edit(root, "exemptions.yaml", "from: 2025-07-01", "from: 2025-04-01")
    edit(root, "exemptions.yaml", "expires_on: 2025-08-31", "expires_on: 2025-04-30")
    found = status(root, dt.date(2025, 9, 30), "MT-07")
    assert found["2025-04"] == "exempt"
    assert found["2025-05"] == "fail" and found["2025-07"] == "fail"
    exempt = results(root, dt.date(2025, 9, 30), "MT-07")["2025-04"]
    assert "工程学院党委" in exempt.exemption


# ── dues ──

def _dues_all_paid_until_june(root: Path, unpaid: str | None, months: list[str]) -> None:
    """Dues rows for April–June for every member; `unpaid` has no row in `months`."""
    members = [f"pa00000{i}" for i in range(1, 9)]
    rows = [f"{month},{m},50.00,50.00,{month}-10" for month in ("2025-04", "2025-05", "2025-06") for m in members]
    file = root / BRANCH / "dues.csv"
    lines = file.read_text(encoding="utf-8").splitlines() + rows
    kept = [line for line in lines if not (unpaid and line.startswith(tuple(f"{m},{unpaid}," for m in months)))]
    assert len(lines) - len(kept) == (len(months) if unpaid else 0)
    file.write_text("\n".join(kept) + "\n", encoding="utf-8")


def test_dues_all_paid(make_repo):
    root = make_repo()
    _dues_all_paid_until_june(root, None, [])
    as_of = dt.date(2025, 7, 1)
    assert status(root, as_of, "DU-14W") == {"once": "pass"}
    assert status(root, as_of, "DU-14") == {"once": "pass"}
    assert set(status(root, as_of, "DU-09").values()) == {"pass", "due"}


def test_three_unpaid_months_warn_only(make_repo):
    root = make_repo()
    _dues_all_paid_until_june(root, "pa000005", ["2025-04", "2025-05", "2025-06"])
    as_of = dt.date(2025, 7, 1)
    warn = results(root, as_of, "DU-14W")["once"]
    assert (warn.status, warn.count, warn.required) == ("notice", 3, 3)  # an early warning, not a failure
    assert status(root, as_of, "DU-14") == {"once": "pass"}
    assert status(root, as_of, "DU-09")["2025-04"] == "fail"


def test_two_unpaid_months_no_warning(make_repo):
    root = make_repo()
    _dues_all_paid_until_june(root, "pa000005", ["2025-05", "2025-06"])
    assert status(root, dt.date(2025, 7, 1), "DU-14W") == {"once": "pass"}


def test_six_unpaid_months_fail_both(make_repo):
    root = make_repo()
    months = ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
    _dues_all_paid_until_june(root, "pa000005", months)
    as_of = dt.date(2025, 7, 1)
    assert status(root, as_of, "DU-14W") == {"once": "notice"}
    error = results(root, as_of, "DU-14")["once"]
    assert (error.status, error.count, error.required) == ("fail", 6, 6)


def _student_branch(root: Path, due: str) -> None:
    edit(root, "branch.yaml", "type: faculty", "type: student")
    edit(root, "members.csv", "pa000008,教职工,", "pa000008,学生,")
    file = root / BRANCH / "dues.csv"
    text = file.read_text(encoding="utf-8")
    for month in ("2025-01", "2025-02", "2025-03"):
        text = text.replace(f"{month},pa000008,50.00,50.00,", f"{month},pa000008,{due},{due},")
    file.write_text(text, encoding="utf-8")


def test_student_due_wrong_amount(make_repo):
    root = make_repo()
    _student_branch(root, "0.50")
    found = results(root, dt.date(2025, 3, 31), "DU-05")["2025"]
    assert (found.status, found.count, found.required) == ("fail", 0, 3)


def test_student_due_right_amount(make_repo):
    root = make_repo()
    _student_branch(root, "0.20")
    assert status(root, dt.date(2025, 3, 31), "DU-05") == {"2025": "pass"}


def test_student_rule_not_applied_to_faculty(make_repo):
    assert status(make_repo(), dt.date(2025, 3, 31), "DU-05") == {}
