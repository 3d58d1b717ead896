"""Plain-language changes between two refs, computed from the record files of a real Git repository."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from conftest import FULL_RECORDS
from gitrepo import BRANCH, append, commit, first_release_committed, replace, second_release_edits

from generator.history.changes import Change, describe_changes, overview, summary_lines, suppress_small
from generator.history.git import GitError

NAME = "工程学院教工第一党支部"
PUBLISHED = dt.date(2025, 3, 31)


@pytest.fixture
def repo(make_repo):
    root = make_repo()
    handle, _ = first_release_committed(root)
    return root, handle


def _texts(changes: list[Change], amendment: bool | None = None) -> list[str]:
    return [c.text for c in changes if amendment is None or c.amendment == amendment]


def test_ordinary_changes_and_amendments(repo):
    root, handle = repo
    second_release_edits(root)
    commit(handle, "second", "乙", "2025-04-30T18:00:00+08:00")
    changes = describe_changes(root, "HEAD~1", "HEAD", PUBLISHED)
    assert _texts(changes, amendment=False) == [
        f"{NAME}：支部委员会换届（2025-04-20 选举）",
        f"{NAME}：新增 2 次会议（支委会 1 次、主题党日 1 次）",
        f"{NAME}：1 名党员转为正式党员",
    ]
    assert _texts(changes, amendment=True) == [
        f"{NAME}：补录 1 次已发布时段内的会议（党课 1 次；2025-03）",
        f"{NAME}：更正 1 次已发布会议的记录（2025-01）",
    ]
    amended = [c for c in changes if c.amendment]
    assert [c.periods for c in amended] == [("2025-03",), ("2025-01",)]
    assert {(c.unit, c.branch) for c in changes} == {("gongcheng", "gongcheng-js1")}
    assert [c.count for c in changes if c.kind == "meetings-added"] == [2, 1]
    assert overview(changes) == ("共 1 个支部的记录有变动：新增 2 次会议，1 名党员转为正式党员，"
                                 "1 个支部委员会换届或成立，1 个支部修改了已发布时段的记录。")
    assert overview([]) is None


def test_without_published_date_nothing_is_an_amendment(repo):
    root, handle = repo
    second_release_edits(root)
    commit(handle, "second", "乙", "2025-04-30T18:00:00+08:00")
    changes = describe_changes(root, "HEAD~1", "HEAD")
    assert not [c for c in changes if c.amendment]
    assert f"{NAME}：新增 3 次会议（支委会 1 次、党课 1 次、主题党日 1 次）" in _texts(changes)
    assert f"{NAME}：更正 1 次会议的记录" in _texts(changes)


def test_summary_lines_put_amendments_under_their_own_heading(repo):
    root, handle = repo
    second_release_edits(root)
    commit(handle, "second", "乙", "2025-04-30T18:00:00+08:00")
    lines = summary_lines(describe_changes(root, "HEAD~1", "HEAD", PUBLISHED))
    heading = next(i for i, line in enumerate(lines) if "修改了已经发布的时段" in line)
    assert f"- {NAME}：1 名党员转为正式党员" in lines[:heading]
    assert f"- {NAME}：更正 1 次已发布会议的记录（2025-01）" in lines[heading:]
    assert summary_lines([]) == ["记录没有变动。"]


def test_no_member_ids_in_any_text(repo):
    root, handle = repo
    second_release_edits(root)
    folder = root / BRANCH
    append(folder / "dues.csv", "2025-04,pa000001,50.00,50.00,2025-04-10", "2025-04,pa000009,50.00,,")
    append(folder / "study.csv", "pa000009,2025-04-12,4,专题学习")
    replace(folder / "members.csv", "pa000007,教职工,g1,2018-06-01,2019-06-01,2019-09-01,,",
            "pa000007,教职工,g1,2018-06-01,2019-06-01,2019-09-01,2025-04-20,转出")
    commit(handle, "second", "乙", "2025-04-30T18:00:00+08:00")
    changes = describe_changes(root, "HEAD~1", "HEAD", PUBLISHED)
    texts = "\n".join(_texts(changes))
    assert f"{NAME}：登记 2 条党费记录" in texts
    assert f"{NAME}：新增 1 条学习记录" in texts
    assert f"{NAME}：1 名党员离开本支部" in texts
    ids = {line.split(",")[0] for line in (folder / "members.csv").read_text(encoding="utf-8").splitlines()[1:]}
    assert ids and not [i for i in ids if i in texts]


def test_branch_added_removed_and_standards(repo):
    root, handle = repo
    shutil.copytree(root / BRANCH, root / "records/gongcheng/gongcheng-js2")
    replace(root / "records/gongcheng/gongcheng-js2/branch.yaml", "code: gongcheng-js1", "code: gongcheng-js2")
    replace(root / "records/gongcheng/gongcheng-js2/branch.yaml", "name: 工程学院教工第一党支部",
            "name: 工程学院教工第二党支部")
    append(root / "standards/vocabulary.yaml", "# comment")
    commit(handle, "add", "乙", "2025-04-30T18:00:00+08:00")
    shutil.rmtree(root / BRANCH)
    commit(handle, "remove", "乙", "2025-05-30T18:00:00+08:00")
    added = describe_changes(root, "HEAD~2", "HEAD~1")
    assert "新增支部：工程学院教工第二党支部（名册 9 人）" in _texts(added)
    assert "检查标准更新（1 个文件）：今后的检查结果按新标准计算" in _texts(added)
    removed = describe_changes(root, "HEAD~1", "HEAD")
    assert _texts(removed) == [f"支部文件夹已删除：{NAME}"]
    assert [c.kind for c in removed] == ["branch-removed"]


def test_working_tree_and_unreadable_files(repo):
    root, handle = repo
    append(root / BRANCH / "meetings.csv", "2025-04-08-zwh,2025-04-08,支委会,研究第二季度工作,4,4,")
    assert _texts(describe_changes(root, "HEAD", None)) == [f"{NAME}：新增 1 次会议（支委会 1 次）"]
    assert describe_changes(root, "HEAD", "HEAD") == []
    (root / BRANCH / "study.csv").write_bytes("member,date\n党员,2025-04-01\n".encode("gbk"))
    assert f"{NAME}：study.csv 无法解析，变动未能统计" in _texts(describe_changes(root, "HEAD", None))


def test_unknown_ref_is_a_git_error(repo):
    root, _ = repo
    with pytest.raises(GitError, match="2099.01"):
        describe_changes(root, "2099.01", "HEAD")


def test_not_a_repository_is_a_git_error(make_repo):
    with pytest.raises(GitError):
        describe_changes(make_repo(), "HEAD~1", "HEAD")


def test_dues_paid_late_is_not_an_amendment_but_a_corrected_amount_is(repo):
    root, handle = repo
    folder = root / BRANCH
    replace(folder / "dues.csv", "2025-03,pa000008,50.00,50.00,2025-03-10", "2025-03,pa000008,50.00,,")
    commit(handle, "unpaid", "甲", "2025-03-31T19:00:00+08:00")
    replace(folder / "dues.csv", "2025-03,pa000008,50.00,,", "2025-03,pa000008,50.00,50.00,2025-04-03")
    replace(folder / "dues.csv", "2025-03,pa000007,50.00,50.00,2025-03-10", "2025-03,pa000007,40.00,40.00,2025-03-10")
    commit(handle, "paid", "甲", "2025-04-30T19:00:00+08:00")
    changes = describe_changes(root, "HEAD~1", "HEAD", PUBLISHED)
    assert [(c.text, c.amendment) for c in changes] == [
        (f"{NAME}：1 条党费记录更新（补交或更正）", False),
        (f"{NAME}：更正 1 条已发布月份的党费记录（2025-03）", True),
    ]


def test_small_development_counts_are_stated_without_numbers(repo):
    root, handle = repo
    append(root / BRANCH / "development.csv", "pb000002,2025-04-02,,,,,,", "pb000003,2025-04-03,,,,,,")
    commit(handle, "applicants", "乙", "2025-04-30T18:00:00+08:00")
    changes = describe_changes(root, "HEAD~1", "HEAD", PUBLISHED)
    assert _texts(changes) == [f"{NAME}：新增 2 名入党申请人"]
    shown = suppress_small(changes, 5)
    assert _texts(shown) == [f"{NAME}：发展党员记录有更新（涉及人数少于 5，不显示具体数字）"]
    assert overview(shown, 5) == "共 1 个支部的记录有变动：有新的入党申请人（部分支部人数少于 5，不显示合计）。"
    assert _texts(suppress_small(changes, 2)) == [f"{NAME}：新增 2 名入党申请人"]
    assert overview(changes, 2) == "共 1 个支部的记录有变动：新增 2 名入党申请人。"


def test_a_recorded_development_step_is_progress_not_a_correction(repo):
    """Filling in a step of development.csv's optional columns (上级党委审批, 入党宣誓 …) moves a person on."""
    root, handle = repo
    path = root / BRANCH / "development.csv"
    header, *rows = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([header + ",approved_on,oath_on", *(r + ",," for r in rows)]) + "\n", encoding="utf-8")
    commit(handle, "columns", "乙", "2025-04-01T18:00:00+08:00")
    text = path.read_text(encoding="utf-8")
    assert "2024-12-20,,," in text
    path.write_text(text.replace("2024-12-20,,,", "2024-12-20,,2025-02-10,2025-04-10", 1), encoding="utf-8")
    commit(handle, "oath", "乙", "2025-04-30T18:00:00+08:00")
    changes = describe_changes(root, "HEAD~1", "HEAD", PUBLISHED)
    assert _texts(changes) == [f"{NAME}：发展党员：1 人进入新阶段（入党宣誓 1 人）"]  # not 更正 1 条发展党员记录


def test_every_table_has_a_comparison():
    """A table of records with no comparison would make any change to it a crash of the changes page."""
    from generator.history.changes_tables import _COMPARE, KEYS
    from generator.records.load import TABLES

    assert set(_COMPARE) == set(TABLES)
    assert set(KEYS) == set(TABLES) - {"study"}  # study.csv has no primary key: the whole row is its key


@pytest.fixture
def full(make_repo):
    """The full fixture (every optional table and column) as the first release."""
    root = make_repo(records=FULL_RECORDS)
    handle, _ = first_release_committed(root)
    return root, handle


def test_rectification_and_appraisal_changes(full):
    root, handle = full
    folder = root / BRANCH
    append(folder / "rectification.csv", "2024-zg2,,2024,2025-06-30,,党员示范岗作用发挥不够，设立示范岗,否")
    append(folder / "appraisal.csv", "2023,,1,7,0,0,0")
    commit(handle, "second", "乙", "2025-04-30T18:00:00+08:00")
    assert _texts(describe_changes(root, "HEAD~1", "HEAD", PUBLISHED)) == [
        f"{NAME}：登记 1 项组织生活会整改事项",
        f"{NAME}：补录 1 个已发布年度的民主评议党员结果（2023-12）",
    ]
    replace(folder / "rectification.csv", "2025-06-30,,党员示范岗", "2025-06-30,2025-05-20,党员示范岗")
    replace(folder / "rectification.csv", "学习记录不够规范", "学习记录不规范")
    replace(folder / "appraisal.csv", "2024,,2,6,", "2024,,3,5,")
    commit(handle, "third", "乙", "2025-05-30T18:00:00+08:00")
    assert _texts(describe_changes(root, "HEAD~1", "HEAD", PUBLISHED)) == [
        f"{NAME}：1 项整改事项完成销号",
        f"{NAME}：更正 1 项已发布时段内的整改事项记录（2025-03）",
        f"{NAME}：更正 1 个已发布年度的民主评议党员结果（2024-12）",
    ]
    (folder / "rectification.csv").write_text("id,meeting,year,due,closed_on,item,internal\n", encoding="utf-8")
    (folder / "appraisal.csv").unlink()
    commit(handle, "fourth", "乙", "2025-06-30T18:00:00+08:00")
    assert _texts(describe_changes(root, "HEAD~1", "HEAD", PUBLISHED)) == [
        f"{NAME}：删除 1 项整改事项记录",
        f"{NAME}：删除 1 项已发布时段内的整改事项记录（2025-03）",
        f"{NAME}：删除 2 个已发布年度的民主评议党员结果（2023-12、2024-12）",
    ]


def test_an_empty_column_added_or_removed_changes_no_record(full):
    """A file that gains (or loses) an optional column left empty changed no row: it is not 更正 of every row."""
    root, handle = full
    for name in ("members.csv", "meetings.csv"):
        path = root / BRANCH / name
        path.write_text("".join(line + ",\n" for line in path.read_text(encoding="utf-8").splitlines()),
                        encoding="utf-8")
    replace(root / BRANCH / "members.csv", "lost_contact_until,", "lost_contact_until,note")
    replace(root / BRANCH / "meetings.csv", "also_kind,", "also_kind,note")
    commit(handle, "gain", "乙", "2025-04-30T18:00:00+08:00")
    assert describe_changes(root, "HEAD~1", "HEAD", PUBLISHED) == []
    # The added columns dropped again, and members.csv's lost_contact_until, empty in every row, with them.
    for name, columns in (("members.csv", 2), ("meetings.csv", 1)):
        path = root / BRANCH / name
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text("".join(line.rsplit(",", columns)[0] + "\n" for line in lines), encoding="utf-8")
    commit(handle, "lose", "乙", "2025-05-30T18:00:00+08:00")
    assert describe_changes(root, "HEAD~1", "HEAD", PUBLISHED) == []
