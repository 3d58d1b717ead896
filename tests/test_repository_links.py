"""repository_url in organization.yaml: "在仓库中查看" and unpublished evidence rows link into the repository."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import VALID_RECORDS
from gitrepo import commit_all, run_git
from recordedits import BRANCH
from sitehelpers import copy_project, set_organization

from generator.pipeline import run_check
from generator.site.render import render_site
from generator.site.statistics import compute

AS_OF = dt.date(2025, 3, 31)
URL = "https://git.example.edu.cn/dangwei/zhibu-records"


def _branch_page(tmp_path: Path, **org: object) -> tuple[str, str]:
    """The fixture branch's page rendered from a real Git repository; and the commit it was built from."""
    project = copy_project(tmp_path / "p", VALID_RECORDS)
    if org:
        set_organization(project, **org)
    run_git(project, "init", "-q", "-b", "main")
    commit_all(project, "records")
    run = run_check(project, as_of=AS_OF)
    assert run.errors == [] and len(run.commit) == 40
    pages = {p.path: p.content for p in render_site(run, compute(run.ledger, run.results, run.as_of))}
    return pages["branches/gongcheng-js1.md"], run.commit


def _hrefs(page: str) -> list[str]:
    return re.findall(r'href="(https?://[^"]+)"', page)


@pytest.mark.parametrize(("forge", "file_form", "folder_form"), [
    ("github", "{u}/blob/{c}/{p}#L{n}", "{u}/tree/{c}/{p}"),
    ("gitea", "{u}/src/commit/{c}/{p}#L{n}", "{u}/src/commit/{c}/{p}"),
    ("gitlab", "{u}/-/blob/{c}/{p}#L{n}", "{u}/-/tree/{c}/{p}"),
])
def test_links_lead_into_the_repository_at_the_built_commit(tmp_path, forge, file_form, folder_form):
    page, commit = _branch_page(tmp_path, repository_url=URL, repository_forge=forge)
    folder = folder_form.format(u=URL, c=commit, p=BRANCH)
    assert f'<a href="{folder}">在仓库中</a>对应文件查看' in page
    files = [h for h in _hrefs(page) if h != folder]
    assert files, "no evidence row of an unpublished file on the fixture page"
    for href in files:
        prefix = file_form.format(u=URL, c=commit, p="", n="").removesuffix("#L")
        path, line = re.fullmatch(re.escape(prefix) + r"(.+)#L(\d+)", href).groups()
        assert path.startswith(f"{BRANCH}/") and path.rsplit("/", 1)[1] in ("dues.csv", "study.csv", "development.csv",
                                                                           "members.csv", "exemptions.yaml")
        row = (tmp_path / "p" / path).read_text(encoding="utf-8").split("\n")[int(line) - 1]
        assert row.strip(), f"{href} points at an empty line"
        assert re.search(rf'<a href="{re.escape(href)}">{re.escape(path.rsplit("/", 1)[1])} 第 {line} 行</a>', page)


def test_without_a_repository_url_nothing_links_outside(tmp_path):
    page, _ = _branch_page(tmp_path)
    assert _hrefs(page) == []
    assert "在仓库中对应文件查看" in page


@pytest.mark.parametrize("value", ["github.com/dangwei/zhibu", "javascript:alert(1)", f"{URL}/", f"{URL} x",
                                   'https://x.example/"onmouseover="alert(1)'])
def test_a_bad_repository_url_is_a_located_problem(make_repo, value):
    root = make_repo()
    set_organization(root, repository_url=value)
    run = run_check(root, as_of=AS_OF)
    assert [(p.code, p.path, p.field) for p in run.problems] == [
        ("yaml-invalid", "records/organization.yaml", "repository_url")]


def test_an_unknown_forge_is_a_located_problem(make_repo):
    root = make_repo()
    set_organization(root, repository_url=URL, repository_forge="gitee")
    run = run_check(root, as_of=AS_OF)
    assert [(p.code, p.field) for p in run.problems] == [("yaml-invalid", "repository_forge")]


def test_rows_kept_from_the_page_point_to_the_folder(tmp_path):
    """Where few members fell short the rows are not listed (min_cell_size): 在仓库中查看 leads to the branch folder."""
    page, commit = _branch_page(tmp_path, repository_url=URL, min_cell_size=100)
    folder = f"{URL}/tree/{commit}/{BRANCH}"
    assert f'（逐人记录不公开，<a href="{folder}">在仓库中查看</a>）' in page
    assert not [h for h in _hrefs(page) if "/blob/" in h and "/dues.csv" in h]  # no row of a hidden result
