"""Issue 11: a real calendar day can still be an impossible or an unlikely record (datebounds.py).

Bounds by what a column records, against the as-of date 2025-03-31 and the fixture's records_start 2025-01:
nothing before the Party's founding (1921-07-01) or more than ten years ahead (error, date-impossible); an
event after the as-of date (warning, future-date); a member's date more than 90 years back, running records
before records_start, dues months more than a year ahead (warning, date-implausible).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from conftest import FULL_RECORDS
from gitrepo import commit_isolated, run_git
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.pipeline import run_check

AS_OF = dt.date(2025, 3, 31)
BRANCH = "records/gongcheng/gongcheng-js1"


def _set_cell(root: Path, rel: str, row: int, column: str, value: str) -> None:
    """Write one cell of a CSV file (row as a person counts it: header = 1)."""
    file = root / rel
    rows = list(csv.reader(io.StringIO(file.read_text(encoding="utf-8"))))
    rows[row - 1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    file.write_text(out.getvalue(), encoding="utf-8")


def _replace(root: Path, rel: str, old: str, new: str) -> int:
    """Replace text in a file; return the line it stands on."""
    file = root / rel
    text = file.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def _dated(root: Path) -> list[tuple[str, str, int | None, str | None]]:
    run = run_check(root, as_of=AS_OF)
    return [(p.code, p.path, p.row, p.field) for p in run.problems]


# (file, row, column, value): one cell each; a CSV cell or a YAML value (row None: the line is looked up)
CSV_CASES = {
    "impossible": [
        ("members.csv", 2, "admitted_on", "0023-06-01"), ("members.csv", 3, "joined_on", "1921-06-30"),
        ("meetings.csv", 2, "date", "1900-01-08"), ("meetings.csv", 3, "date", "9999-01-01"),
        ("dues.csv", 2, "month", "1921-06"), ("dues.csv", 3, "month", "2099-01"),
        ("dues.csv", 4, "paid_on", "0001-01-01"), ("study.csv", 2, "date", "2036-01-01"),
        ("development.csv", 2, "applied_on", "1000-09-01"), ("members.csv", 7, "left_on", "2035-04-01"),
    ],
    "future-date": [
        ("members.csv", 2, "joined_on", "2025-04-01"), ("members.csv", 3, "full_on", "2030-01-01"),
        ("study.csv", 2, "date", "2025-04-01"), ("dues.csv", 2, "paid_on", "2025-12-31"),
        ("development.csv", 3, "activist_on", "2025-06-01"), ("meetings.csv", 2, "date", "2026-01-08"),
    ],
    "implausible": [
        ("members.csv", 2, "admitted_on", "1935-03-30"), ("members.csv", 3, "joined_on", "1930-01-01"),
        ("meetings.csv", 3, "date", "2019-01-15"), ("study.csv", 2, "date", "2024-12-31"),
        ("dues.csv", 2, "month", "2024-12"), ("dues.csv", 3, "month", "2026-03"),
        ("development.csv", 2, "applied_on", "1922-09-01"),
    ],
    "plausible": [
        ("members.csv", 2, "admitted_on", "1935-03-31"), ("members.csv", 3, "admitted_on", "1949-10-01"),
        ("members.csv", 7, "left_on", "2035-03-31"), ("members.csv", 8, "left_on", "2027-06-30"),
        ("dues.csv", 2, "month", "2026-02"), ("meetings.csv", 2, "date", "2025-01-01"),
        ("meetings.csv", 3, "date", "2025-03-31"), ("study.csv", 2, "date", "2025-01-01"),
    ],
}
CODES = {"impossible": "date-impossible", "future-date": "future-date", "implausible": "date-implausible"}


@pytest.mark.parametrize(("kind", "case"), [(k, c) for k, cases in CSV_CASES.items() for c in cases],
                         ids=[f"{k}-{c[0]}-{c[2]}-{c[3]}" for k, cases in CSV_CASES.items() for c in cases])
def test_a_csv_date_out_of_its_bounds_is_one_located_problem(make_repo, kind, case):
    name, row, column, value = case
    root = make_repo()
    if name == "members.csv" and column == "left_on":
        _set_cell(root, f"{BRANCH}/{name}", row, "left_reason", "转出")  # not an officer
    _set_cell(root, f"{BRANCH}/{name}", row, column, value)
    found = _dated(root)
    if kind == "plausible":
        assert found == []
    else:
        assert found == [(CODES[kind], f"{BRANCH}/{name}", row, column)]


# A roster date that cannot be true yet is one problem in the full fixture too, where the 民主评议 count and the
# by-election's full members are counted against the roster (Branch.partial: they wait for the date's fix).
@pytest.mark.parametrize(("row", "column", "value", "code"), [
    (2, "joined_on", "2025-04-01", "future-date"), (3, "full_on", "2030-01-01", "future-date"),
    (4, "admitted_on", "0023-06-01", "date-impossible"), (5, "joined_on", "9999-09-01", "date-impossible")])
def test_a_wrong_roster_date_is_not_counted_again(make_repo, row, column, value, code):
    root = make_repo(FULL_RECORDS)
    assert _dated(root) == []
    _set_cell(root, f"{BRANCH}/members.csv", row, column, value)
    assert _dated(root) == [(code, f"{BRANCH}/members.csv", row, column)]


YAML_CASES = [  # (file, old text, new text, code, key)
    ("branch.yaml", "founded_on: 2018-09-01", "founded_on: 1899-01-01", "date-impossible", "founded_on"),
    ("branch.yaml", "elected_on: 2024-05-10", "elected_on: 0001-01-01", "date-impossible", "elected_on"),
    ("branch.yaml", "elected_on: 2024-05-10", "elected_on: 2025-06-01", "future-date", "elected_on"),
    ("branch.yaml", "extended_until: null", "extended_until: 9999-12-31", "date-impossible", "extended_until"),
    ("exemptions.yaml", "expires_on: 2025-08-31", "expires_on: 2099-12-31", "date-impossible", "expires_on"),
    ("exemptions.yaml", "approved_on: 2025-06-20", "approved_on: 1066-10-14", "date-impossible", "approved_on"),
    ("organization.yaml", "records_start: 2025-01", "records_start: 1900-01", "date-impossible",
     "records_start"),
    ("organization.yaml", "records_start: 2025-01", "records_start: 2025-06", "date-implausible",
     "records_start"),
]


@pytest.mark.parametrize("case", YAML_CASES, ids=[f"{c[4]}-{c[2].split()[-1]}" for c in YAML_CASES])
def test_a_yaml_date_out_of_its_bounds_is_one_located_problem(make_repo, case):
    name, old, new, code, key = case
    root = make_repo()
    rel = "records/organization.yaml" if name == "organization.yaml" else f"{BRANCH}/{name}"
    line = _replace(root, rel, old, new)
    assert _dated(root) == [(code, rel, line, key)]


def test_a_planned_departure_and_a_long_exemption_are_not_warned_about(make_repo):
    root = make_repo()
    _set_cell(root, f"{BRANCH}/members.csv", 9, "left_on", "2028-06-30")
    _set_cell(root, f"{BRANCH}/members.csv", 9, "left_reason", "毕业转出")
    _replace(root, f"{BRANCH}/exemptions.yaml", "expires_on: 2025-08-31", "expires_on: 2030-08-31")
    assert _dated(root) == []


def test_an_impossible_founding_is_told_once_not_for_every_meeting(make_repo):
    root = make_repo()
    line = _replace(root, f"{BRANCH}/branch.yaml", "founded_on: 2018-09-01", "founded_on: 9999-12-31")
    assert _dated(root) == [("date-impossible", f"{BRANCH}/branch.yaml", line, "founded_on")]


def test_an_impossible_date_fails_the_check_an_unlikely_one_does_not(make_repo, capsys):
    root = make_repo()
    _set_cell(root, f"{BRANCH}/study.csv", 2, "date", "2005-02-20")
    assert main(["--root", str(root), "check", "--as-of", AS_OF.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "[date-implausible]" in out and "早于记录起始月份 2025-01" in out
    _set_cell(root, f"{BRANCH}/study.csv", 3, "date", "0023-01-16")
    assert main(["--root", str(root), "check", "--as-of", AS_OF.isoformat()]) == 1
    out = capsys.readouterr().out
    assert "[date-impossible] 日期 0023-01-16 不可能：早于中国共产党成立的 1921-07-01" in out


_FIRST = dt.date(1921, 7, 1)
_LAST = dt.date(2035, 3, 31)  # ten years after the as-of date
_START = dt.date(2025, 1, 1)  # the fixture's records_start


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_every_study_date_gets_what_its_bounds_say(make_repo, day):
    root = make_repo()
    _set_cell(root, f"{BRANCH}/study.csv", 2, "date", day.isoformat())
    found = {code for code, path, row, _field in _dated(root) if path == f"{BRANCH}/study.csv" and row == 2}
    if day < _FIRST or day > _LAST:
        assert found == {"date-impossible"}
    elif day > AS_OF:
        assert found == {"future-date"}
    elif day < _START:
        assert found == {"date-implausible"}
    else:
        assert found == set()


def test_a_flood_of_future_dates_is_capped_and_counted(make_repo):
    """Issue 11 class 3: 5,000 rows dated ahead are PER_KIND problems and one 另有 N 处同类问题, made cheaply."""
    from generator.problems.caps import PER_KIND

    root = make_repo()
    study = root / BRANCH / "study.csv"
    study.write_text("member,date,hours,kind\n" + "pa000001,2025-06-01,1,网络学习\n" * 5000, encoding="utf-8")
    run = run_check(root, as_of=AS_OF)
    listed = [p for p in run.problems if p.code == "future-date" and p.path == f"{BRANCH}/study.csv"]
    more = [p for p in run.problems if p.code == "more-problems" and p.path == f"{BRANCH}/study.csv"]
    assert len(listed) == PER_KIND
    assert len(more) == 1 and f"本文件另有 {5000 - PER_KIND:,} 处同类问题（future-date）" in more[0].message


@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01", "1921-06-30", "2200-01-01"])
def test_an_as_of_date_out_of_bounds_is_a_usage_error(make_repo, capsys, as_of):
    """--as-of 9999-12-31 had every monthly rule judged for 96,000 months (minutes); now exit 2 at once."""
    root = make_repo()
    assert main(["--root", str(root), "check", "--as-of", as_of]) == 2
    err = capsys.readouterr().err
    assert "日期应在 1921-07-01 至" in err and as_of in err


def test_a_look_back_warns_only_of_dates_after_the_records_were_committed(make_repo):
    """An --as-of before the last commit looks back at an earlier day: what had been written down by that commit
    lies after the day looked at, not in the future (2,381 such warnings buried the demo's check at 2025-06-30).
    A date after the commit is still told, naming both dates; and the ten-year ceiling counts from the commit."""
    root = make_repo()
    _set_cell(root, f"{BRANCH}/study.csv", 2, "date", "2025-06-10")  # after the as-of date, before the commit
    _set_cell(root, f"{BRANCH}/dues.csv", 2, "paid_on", "2025-12-31")  # after the commit too
    _set_cell(root, f"{BRANCH}/members.csv", 8, "left_on", "2035-06-30")  # > as-of + 10 years, < commit + 10 years
    _set_cell(root, f"{BRANCH}/members.csv", 8, "left_reason", "转出")
    run_git(root, "init", "-q", "-b", "main")
    commit_isolated(root, "记录", "2025-09-30T12:00:00+08:00")
    run = run_check(root, as_of=AS_OF)
    found = [(p.code, p.path, p.row, p.field) for p in run.problems]
    assert found == [("future-date", f"{BRANCH}/dues.csv", 2, "paid_on")], found
    assert run.problems[0].message == ("日期 2025-12-31 晚于记录最近一次提交的日期 2025-09-30（统计截止日 2025-03-31 "
                                       "更早）。请确认是否填错。")
    later = run_check(root, as_of=dt.date(2025, 10, 31))  # no look back: the as-of date is the bound
    assert [(p.code, p.row, p.message) for p in later.problems] == [
        ("future-date", 2, "日期 2025-12-31 晚于统计截止日 2025-10-31。请确认是否填错。")]
