"""Releases: two tagged releases of a real temporary Git repository, built into a versions tree and read back,
in files and in headless Chromium (version selector keeps the reader on the same page)."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import git
import pytest
from gitrepo import BRANCH, append, commit, first_release_committed, init, second_release_edits, tag
from sitehelpers import chromium, copy_project, digest, serve

from generator.cli import main
from generator.history.git import GitError
from generator.history.releasetags import list_releases
from generator.history.timeline import site_history
from generator.site.releases import build_releases

VALID = Path(__file__).parent / "data/valid/records"
NAME = "工程学院教工第一党支部"


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """A project with releases 2025.03 (as-of in the tag message) and 2025.04 (as-of = tag date), built once."""
    root = copy_project(tmp_path_factory.mktemp("releases") / "project", VALID)
    repo, first = first_release_committed(root)
    tag(repo, "2025.03", "2025-04-02T09:00:00+08:00", "2025 年 3 月发布\n\nas-of: 2025-03-31\n")
    second_release_edits(root)
    second = commit(repo, "second", "乙", "2025-04-30T18:00:00+08:00")
    tag(repo, "2025.04", "2025-04-30T20:00:00+08:00", "2025 年 4 月发布")
    tag(repo, "v1", "2025-04-30T20:00:00+08:00", None)  # not a release name: ignored
    out = build_releases(root, root.parent / "site").out
    return {"root": root, "site": out, "first": first, "second": second}


def _text(path: Path) -> str:
    """The visible text of a built page: tags removed, entities decoded, whitespace collapsed."""
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"<script.*?</script>", " ", raw, flags=re.S)
    raw = re.sub(r"</?(strong|code|em|a|span)\b[^>]*>", "", raw)  # inline markup: no word break
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw)).split())


def test_release_tags_and_their_as_of_dates(released):
    releases = list_releases(released["root"])
    assert [(r.name, r.as_of, r.source) for r in releases] == [
        ("2025.03", dt.date(2025, 3, 31), "标签说明"), ("2025.04", dt.date(2025, 4, 30), "标签日期")]
    assert [r.commit for r in releases] == [released["first"], released["second"]]


def test_lightweight_tag_uses_commit_date_and_bad_as_of_is_refused(make_repo):
    root = make_repo()
    repo = init(root)
    commit(repo, "first", "甲", "2025-05-31T23:30:00+08:00")
    tag(repo, "2025.05", "2025-06-03T10:00:00+08:00", None)
    tag(repo, "2025.5", "2025-06-03T10:00:00+08:00", None)  # not zero-padded: not a release
    tag(repo, "2025.13", "2025-06-03T10:00:00+08:00", None)
    tag(repo, "x/2025.05", "2025-06-03T10:00:00+08:00", None)
    tag(repo, "latest", "2025-06-03T10:00:00+08:00", None)
    assert [r.name for r in list_releases(root, r".+")] == ["2025.05", "2025.13", "2025.5"]  # no "x/…", no latest
    assert [(r.name, r.as_of, r.source) for r in list_releases(root)] == [("2025.05", dt.date(2025, 5, 31), "提交日期")]
    tag(repo, "2025.06", "2025-06-30T10:00:00+08:00", "as-of: 2025-06-31")
    with pytest.raises(GitError, match="2025.06"):
        list_releases(root)


def test_changes_follow_the_release_pattern(make_repo):
    root = make_repo()
    repo, _ = first_release_committed(root)
    tag(repo, "r1", "2025-03-31T20:00:00+08:00", None)
    second_release_edits(root)
    commit(repo, "second", "乙", "2025-04-30T18:00:00+08:00")
    tag(repo, "r2", "2025-04-30T20:00:00+08:00", None)
    history = site_history(root, [BRANCH], release="r2", pattern=r"r\d+")
    assert (history.release.name, history.previous.name, history.previous.as_of) == ("r2", "r1", dt.date(2025, 3, 31))
    assert f"{NAME}：更正 1 次已发布会议的记录（2025-01）" in [c.text for c in history.changes if c.amendment]
    assert history.last[BRANCH].author == "乙"
    assert site_history(root, [BRANCH]).previous is None  # r1 and r2 are not YYYY.MM releases


def test_unreleased_build_compares_with_the_latest_release(make_repo):
    root = make_repo()
    repo, _ = first_release_committed(root)
    tag(repo, "2025.03", "2025-03-31T20:00:00+08:00", None)
    at_tag = site_history(root, [BRANCH])
    assert (at_tag.release.name, at_tag.previous) == ("2025.03", None)  # a clean checkout of a tag is that release
    second_release_edits(root)  # not committed: a preview of the working tree
    preview = site_history(root, [BRANCH])
    assert (preview.release, preview.previous.name) == (None, "2025.03")
    assert f"{NAME}：1 名党员转为正式党员" in [c.text for c in preview.changes]
    assert preview.last[BRANCH].author == "甲"  # the last *commit*; uncommitted edits have no author yet


def test_versions_tree(released):
    site = released["site"]
    assert sorted(p.name for p in site.iterdir()) == ["2025.03", "2025.04", "index.html", "latest", "versions.json"]
    assert json.loads((site / "versions.json").read_text(encoding="utf-8")) == [
        {"version": "2025.04", "title": "2025.04", "aliases": ["latest"]},
        {"version": "2025.03", "title": "2025.03", "aliases": []},
    ]
    assert 'url=latest/' in (site / "index.html").read_text(encoding="utf-8")
    assert not [p for p in site.rglob("*") if p.is_symlink()]
    assert digest(site / "latest") == digest(site / "2025.04")
    assert digest(site / "2025.03") != digest(site / "2025.04")
    for version in ("2025.03", "2025.04"):
        assert '"version": {"provider": "mike"}' in (site / version / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/zhibu/2025.03/branches/gongcheng-js1/">' in (
        site / "2025.03/branches/gongcheng-js1/index.html").read_text(encoding="utf-8")
    assert "<loc>https://example.org/zhibu/2025.04/changes/</loc>" in (site / "2025.04/sitemap.xml").read_text(
        encoding="utf-8")
    assert "数据截至 2025-03-31" in _text(site / "2025.03/index.html")
    assert "数据截至 2025-04-30" in _text(site / "2025.04/index.html")


def test_changes_pages(released):
    site = released["site"]
    first = _text(site / "2025.03/changes/index.html")
    assert "本页是发布版本 2025.03（数据截至 2025-03-31）的变动说明。" in first
    assert "这是第一个发布版本，没有可以比较的上一版本。" in first
    second = _text(site / "2025.04/changes/index.html")
    assert "比较对象是上一发布版本 2025.03（数据截至 2025-03-31）" in second
    amendments, ordinary = second.split("对已发布时段的修改¶", 1)[1].split("新的记录和变动¶", 1)
    for sentence in (f"{NAME}：支部委员会换届（2025-04-20 选举）",
                     f"{NAME}：新增 2 次会议（支委会 1 次、主题党日 1 次）",
                     f"{NAME}：1 名党员转为正式党员"):
        assert sentence in ordinary and sentence not in amendments
    assert "以下修改涉及上一版本已经公开的时段（2025-03-31 及以前）" in amendments
    assert ordinary.split()[0] == "工程学院党委¶"  # the new records, grouped under their unit
    assert "概览：共 1 个支部的记录有变动：新增 2 次会议，1 名党员转为正式党员" in second
    page = (site / "2025.04/changes/index.html").read_text(encoding="utf-8")
    assert '<a href="../../2025.03/branches/gongcheng-js1/">2025.03 版的该支部页</a>' in page
    assert (site / "2025.04/changes/../../2025.03/branches/gongcheng-js1/index.html").is_file()
    for sentence in (f"{NAME}：补录 1 次已发布时段内的会议（党课 1 次；2025-03）",
                     f"{NAME}：更正 1 次已发布会议的记录（2025-01）"):
        assert sentence in amendments and sentence not in ordinary


def test_branch_page_shows_last_change(released):
    site = released["site"]
    assert (f"记录最近修改 2025-03-31，甲，提交 {released['first'][:8]}"
            in _text(site / "2025.03/branches/gongcheng-js1/index.html"))
    assert (f"记录最近修改 2025-04-30，乙，提交 {released['second'][:8]}"
            in _text(site / "2025.04/branches/gongcheng-js1/index.html"))


def test_no_member_ids_in_any_version(released):
    ids = {line.split(",")[0] for line in (released["root"] / BRANCH / "members.csv").read_text(
        encoding="utf-8").splitlines()[1:]}
    assert len(ids) == 9
    for path in released["site"].rglob("*"):
        if path.suffix in (".html", ".json", ".csv", ".xml", ".md", ".txt"):
            text = path.read_text(encoding="utf-8")
            assert not [i for i in ids if i in text], path


def test_rebuild_from_tags_is_byte_identical(released, tmp_path, capsys):
    assert main(["--root", str(released["root"]), "releases", "--out", str(tmp_path / "again")]) == 0
    assert "已生成 2 个版本" in capsys.readouterr().out
    assert digest(tmp_path / "again") == digest(released["site"])


def test_head_adds_the_unreleased_records_as_a_version(released, tmp_path, capsys):
    clone = tmp_path / "clone"
    git.Repo.clone_from(str(released["root"]), clone)
    append(clone / BRANCH / "meetings.csv", "2025-05-09-zwh,2025-05-09,支委会,研究五月工作,4,4,")
    commit(git.Repo(clone), "third", "丙", "2025-05-10T18:00:00+08:00")
    assert main(["--root", str(clone), "releases", "--out", str(tmp_path / "site"), "--head", "main"]) == 0
    assert "已生成 3 个版本" in capsys.readouterr().out
    site = tmp_path / "site"
    assert json.loads((site / "versions.json").read_text(encoding="utf-8")) == [
        {"version": "main", "title": "main（未发布）", "aliases": []},
        {"version": "2025.04", "title": "2025.04", "aliases": ["latest"]},
        {"version": "2025.03", "title": "2025.03", "aliases": []},
    ]
    assert digest(site / "latest") == digest(released["site"] / "2025.04")
    page = _text(site / "main/changes/index.html")
    assert "本页列出当前记录（尚未发布）的变动。" in page
    assert "比较对象是上一发布版本 2025.04（数据截至 2025-04-30）" in page
    assert f"{NAME}：新增 1 次会议（支委会 1 次）" in page
    assert "数据截至 2025-05-10" in _text(site / "main/index.html")
    assert main(["--root", str(clone), "releases", "--out", str(tmp_path / "x"), "--head", "2025.04"]) == 2
    assert "不能与发布标签或 latest 重名" in capsys.readouterr().err


def test_no_release_tags_is_a_usage_error(make_repo, capsys):
    root = make_repo()
    commit(init(root), "first", "甲", "2025-03-31T18:00:00+08:00")
    assert main(["--root", str(root), "releases", "--out", str(root / "out")]) == 2
    assert "没有找到发布标签" in capsys.readouterr().err
    assert not (root / "out").exists()


def test_release_with_record_errors_is_refused(make_repo, capsys):
    root = make_repo()
    repo = init(root)
    commit(repo, "first", "甲", "2025-03-31T18:00:00+08:00")
    with (root / BRANCH / "meetings.csv").open("a", encoding="utf-8") as handle:
        handle.write("2025-04-31-bad,2025-04-31,党课,日期不存在,8,8,\n")
    commit(repo, "broken", "乙", "2025-04-30T18:00:00+08:00")
    tag(repo, "2025.04", "2025-04-30T20:00:00+08:00", "as-of: 2025-04-30")
    assert main(["--root", str(root), "releases", "--out", str(root / "out")]) == 1
    err = capsys.readouterr().err
    assert "发布 2025.04（提交" in err and "meetings.csv" in err
    assert not (root / "out").exists()


@pytest.mark.browser
def test_version_selector_switches_on_the_same_page(released):
    with serve(released["site"]) as url, chromium() as browser:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url)  # the root redirects to latest/
        page.wait_for_url("**/latest/")
        page.goto(url + "2025.03/branches/gongcheng-js1/")
        page.wait_for_selector(".md-version__current")
        assert page.inner_text(".md-version__current").strip() == "2025.03"
        listed = page.eval_on_selector_all(".md-version__link", "els => els.map(e => e.textContent.trim())")
        assert listed == ["2025.04", "2025.03"]
        page.eval_on_selector('.md-version__link[href$="2025.04/"]', "e => e.click()")
        page.wait_for_url("**/2025.04/branches/gongcheng-js1/", timeout=15000)
        page.wait_for_selector(".md-version__current")
        assert page.inner_text(".md-version__current").strip() == "2025.04"
        assert "2025-04-20" in page.inner_text("article")
        assert not errors, errors


def test_builds_in_one_process_stay_identical(tmp_path):
    """`zhibu releases` builds many versions in one process; Material's search plugin reloads the jieba user
    dictionary at every build, which used to shift jieba's totals and change the search index."""
    import jieba

    from generator.site.build import build_site

    root = copy_project(tmp_path / "p", VALID)
    build_site(root, Path("first"), dt.date(2025, 3, 31))
    for _ in range(200):  # what 200 earlier builds in this process did to the dictionary
        jieba.load_userdict(str(root / "generator/site/assets/search/jieba-userdict.txt"))
    build_site(root, Path("again"), dt.date(2025, 3, 31))
    assert digest(root / "again") == digest(root / "first")
