"""Reminders: calendar.ics per branch and unit (parsed back with icalendar) and the WeChat text, from the results."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from generator.pipeline import check
from generator.site.reminders import feeds

AS_OF = dt.date(2025, 3, 31)
BRANCH = "gongcheng-js1"


def _feeds(root, as_of=AS_OF):
    run = check(root, as_of=as_of)
    by_branch: dict = {}
    for r in run.results:
        by_branch.setdefault(r.branch, []).append(r)
    units = {code: unit.name for code, unit in run.ledger.units.items()}
    return feeds(run.ledger.organization.code, run.ledger.branches, units, by_branch, run.standards, as_of)[1]


def _events(ics: str) -> list:
    return list(Calendar.from_ical(ics).walk("VEVENT"))


def test_the_open_deadlines_are_all_day_events_with_stable_ids(make_repo):
    root = make_repo()
    files = _feeds(root)
    events = _events(files[f"branches/{BRANCH}/calendar.ics"])
    # on 2025-03-31 the year's 学时, 组织生活会 and 民主评议 are open; the committee was elected 2024-05-10 for 3 years
    assert sorted((e.decoded("dtstart"), str(e["summary"])) for e in events) == [
        (dt.date(2025, 12, 31), "截止：党员每年学习培训不少于32学时（ED-01，2025）"),
        (dt.date(2025, 12, 31), "截止：每年开展1次民主评议党员（MT-09，2025）"),
        (dt.date(2025, 12, 31), "截止：组织生活会每年至少召开1次（MT-08，2025）"),
        (dt.date(2027, 5, 10), "截止：支部委员会任期届满，按期换届选举")]
    for e in events:
        start, end = e.decoded("dtstart"), e.decoded("dtend")
        assert type(start) is dt.date and end - start == dt.timedelta(days=1)  # all-day
        assert e.decoded("dtstamp") == dt.datetime(2025, 3, 31, tzinfo=dt.UTC)  # the as-of date, not now
    assert len({str(e["uid"]) for e in events}) == 4
    assert _feeds(root) == files  # same records and date: the same bytes
    later = {str(e["summary"]): str(e["uid"]) for e in _events(_feeds(root, dt.date(2025, 4, 15))[
        f"branches/{BRANCH}/calendar.ics"])}
    assert {str(e["summary"]): str(e["uid"]) for e in events}.items() <= later.items()  # UIDs do not move
    unit = _events(files["units/gongcheng/calendar.ics"])
    assert {str(e["uid"]) for e in events} <= {str(e["uid"]) for e in unit}


def test_a_deadline_met_leaves_the_feed_and_the_wechat_text(make_repo):
    root = make_repo()
    meetings = root / f"records/gongcheng/{BRANCH}/meetings.csv"
    meetings.write_text(meetings.read_text(encoding="utf-8") + "2025-03-28-zzshh,2025-03-28,组织生活会,对照检查,8,8,\n",
                        encoding="utf-8")
    files = _feeds(root)
    summaries = [str(e["summary"]) for e in _events(files[f"branches/{BRANCH}/calendar.ics"])]
    assert len(summaries) == 3 and not [s for s in summaries if "MT-08" in s]
    text = files[f"branches/{BRANCH}/calendar.txt"]
    assert text.splitlines()[0] == "【工程学院教工第一党支部】待办截止提醒（数据截至 2025-03-31）"
    assert "2. 2025-12-31（周三）前 每年开展1次民主评议党员（MT-09，2025）" in text.splitlines()
    assert "MT-08" not in text and text.splitlines()[-1] == "共 3 项。"


def test_a_name_with_a_line_break_is_one_line_in_the_feeds():
    """A unit or branch name from the records may hold a line break (a YAML "\\n" escape): no feed may break on it."""
    from generator.site.reminders import TERM, Reminder, calendar_ics, wechat_text

    due = Reminder(dt.date(2025, 6, 30), "b1", TERM, "2022-06-30", "支部委员会任期届满，按期换届选举")
    names = {"b1": "第一\n党支部", "b2": "第二\t党支部\x07"}
    ics = calendar_ics("demo", "工程学院\r\n党委", [due], names, dt.date(2025, 3, 31))
    cal = Calendar.from_ical(ics)
    assert str(cal["x-wr-calname"]) == "工程学院 党委 待办截止"
    event = cal.walk("VEVENT")[0]
    assert str(event["summary"]) == "【第一 党支部】截止：支部委员会任期届满，按期换届选举"
    text = wechat_text("工程学院\n党委", [due], names, dt.date(2025, 3, 31))
    assert text.splitlines()[:2] == ["【工程学院 党委】待办截止提醒（数据截至 2025-03-31）",
                                     "1. 2025-06-30（周一）前 第一 党支部：支部委员会任期届满，按期换届选举"]
