"""组织生活会 rectification (MT-08R): "会后制定整改措施，逐一整改落实" — items past due and still open fail their
year; the branch page counts open and closed items per year and shows an item's text only when the school
marked it public (internal 否), never when it is internal or left unmarked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.pipeline import run_check
from generator.site.render import render_site
from generator.site.statistics import compute

BRANCH = "records/gongcheng/gongcheng-js1"
ORG_LIFE = "2025-01-24-zzshh,2025-01-24,组织生活会,年度组织生活会,8,8,\n"
ITEMS = ("id,meeting,year,due,closed_on,item,internal\n"
         "2025-zg-01,2025-01-24-zzshh,,2025-02-28,2025-02-20,主题党日形式单一，结合专业开展志愿服务,否\n"
         "2025-zg-02,2025-01-24-zzshh,,2025-03-15,,学习笔记不规范，统一学习记录本,是\n"
         "2025-zg-03,,2025,2025-06-30,,个别党员参加组织生活不积极，逐一谈心,\n")
AS_OF = dt.date(2025, 3, 31)


def _repo(make_repo, items: str = ITEMS) -> Path:
    root = make_repo()
    with (root / BRANCH / "meetings.csv").open("a", encoding="utf-8") as handle:
        handle.write(ORG_LIFE)
    (root / BRANCH / "rectification.csv").write_text(items, encoding="utf-8")
    return root


def _mt08r(root: Path, as_of: dt.date = AS_OF) -> dict[str, tuple[str, str]]:
    run = run_check(root, as_of=as_of)
    assert run.errors == [], [f"{p.code} {p.path}:{p.row} {p.message}" for p in run.errors]
    return {r.period: (r.status, r.note) for r in run.results if r.rule == "MT-08R"}


def test_an_item_open_past_its_due_date_fails_the_year_of_its_meeting(make_repo):
    found = _mt08r(_repo(make_repo))
    assert found["2025"][0] == "fail"
    assert "1 项整改已过期限仍未完成" in found["2025"][1]  # 2025-zg-02, due 2025-03-15; zg-03 is not yet due


def test_closing_the_late_item_leaves_the_year_in_progress_until_the_last_due_date(make_repo):
    items = ITEMS.replace("2025-03-15,,", "2025-03-15,2025-03-30,")
    assert _mt08r(_repo(make_repo, items))["2025"][0] == "due"  # zg-03 still open, due 2025-06-30
    assert _mt08r(_repo(make_repo, items), dt.date(2025, 7, 1))["2025"][0] == "fail"


def test_without_the_optional_file_the_rule_does_not_apply_and_says_why(make_repo):
    found = _mt08r(make_repo())
    assert {status for status, _ in found.values()} == {"n/a"}
    assert all("rectification.csv" in note for _, note in found.values())


def test_branch_page_counts_items_and_shows_only_public_text(make_repo):
    run = run_check(_repo(make_repo), as_of=AS_OF)
    pages = render_site(run, compute(run.ledger, run.results, run.as_of))
    page = next(p.content for p in pages if p.path == "branches/gongcheng-js1.md")
    assert "| 2025 | 3 | 1 | 2 | 1 |" in page  # 3 items, 1 closed, 2 open, 1 of them overdue
    assert "主题党日形式单一，结合专业开展志愿服务（已完成）" in page
    every = "\n".join(p.content for p in pages)
    assert "学习笔记不规范" not in every  # internal 是
    assert "逐一谈心" not in every  # unmarked: in doubt, not published
