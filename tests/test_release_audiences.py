"""Releases per audience: `zhibu releases` builds each version for each audience the 党务公开目录 publishes, and
the tag message's review and approval (roles, not names) are shown on the changes page."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from gitrepo import commit, first_release_committed, init, tag
from sitehelpers import copy_project

from generator.cli import main
from generator.history.releasetags import list_releases
from generator.site.releases import audience_out, published_audiences

VALID = Path(__file__).parent / "data/valid/records"
MESSAGE = "2025 年 3 月发布\n\n审核：组织委员（含保密审查）\n批准：党委\nas-of: 2025-03-31\n"


def test_review_and_approval_are_read_from_the_tag_message(make_repo):
    root = make_repo()
    repo = init(root)
    commit(repo, "first", "甲", "2025-03-31T18:00:00+08:00")
    tag(repo, "2025.03", "2025-04-02T09:00:00+08:00", MESSAGE)
    tag(repo, "2025.04", "2025-04-30T09:00:00+08:00", "2025 年 4 月发布\n\nreview: 支部委员会\napproval: 党委组织部\n")
    tag(repo, "2025.05", "2025-05-30T09:00:00+08:00", "没有写明审核和批准")
    assert [(r.name, r.review, r.approval) for r in list_releases(root)] == [
        ("2025.03", "组织委员（含保密审查）", "党委"), ("2025.04", "支部委员会", "党委组织部"), ("2025.05", "", "")]


def test_published_audiences_follow_the_catalogue(make_repo):
    root = make_repo()
    assert published_audiences(root) == ["public", "party"]
    org = root / "records/organization.yaml"
    data = yaml.safe_load(org.read_text(encoding="utf-8"))
    data["disclosure"] = dict.fromkeys(data["disclosure"], "party")
    org.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert published_audiences(root) == ["party"]  # nothing public: no public site to build
    assert audience_out(root / "site-releases", "party") == root / "site-releases-party"


def test_each_audience_gets_its_own_versions_tree(tmp_path, capsys):
    root = copy_project(tmp_path / "project", VALID)
    repo, _ = first_release_committed(root)
    tag(repo, "2025.03", "2025-04-02T09:00:00+08:00", MESSAGE)
    assert main(["--root", str(root), "releases", "--out", str(tmp_path / "out")]) == 0
    public, party = tmp_path / "out", tmp_path / "out-party"
    for tree in (public, party):
        assert [v["version"] for v in json.loads((tree / "versions.json").read_text(encoding="utf-8"))] == ["2025.03"]
        changes = (tree / "2025.03/changes/index.html").read_text(encoding="utf-8")
        assert "审核：组织委员（含保密审查）；批准：党委" in changes
        assert "<td>2025.03</td>" in changes and "<td>组织委员（含保密审查）</td>" in changes  # 发布记录
    assert (party / "2025.03/branches/gongcheng-js1/ledger/2025/index.html").is_file()  # the fixture: Party only
    assert not list(public.rglob("ledger"))
    assert "党内版" in (party / "2025.03/index.html").read_text(encoding="utf-8")
    out = capsys.readouterr().out
    assert f"公开网站：{public}" in out and f"党内网站（只能部署在需要登录的服务器上）：{party}" in out
