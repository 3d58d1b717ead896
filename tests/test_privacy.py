"""Privacy promises the README makes: officer names only when the college opts in; every named test exists."""

from __future__ import annotations

import ast
import datetime as dt
import re

import pytest
import yaml
from sitehelpers import REPO, copy_project, set_organization

from generator.pipeline import run_check
from generator.site.render import render_site
from generator.site.statistics import compute

README = REPO / "README.md"


@pytest.mark.parametrize("show", [False, True])
def test_officer_names_only_when_the_college_opts_in(tmp_path, show):
    project = copy_project(tmp_path / "p", REPO / "tests/data/valid/records")
    branch = project / "records/gongcheng/gongcheng-js1/branch.yaml"
    data = yaml.safe_load(branch.read_text(encoding="utf-8"))
    data["committee"]["members"][0]["name"] = "王某某"
    branch.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    set_organization(project, show_officer_names=show)
    run = run_check(project, as_of=dt.date(2025, 3, 31))
    assert not run.errors
    pages = render_site(run, compute(run.ledger, run.results, run.as_of))
    shown = [p.path for p in pages if "王某某" in p.content]
    assert shown == (["branches/gongcheng-js1.md"] if show else [])
    assert not [p.path for p in pages if re.search(r"\bpa0000\d\d\b", p.content)]  # member ids never
    # The worked cases on the standards page write no member id at all, not even an illustrative one (it may be
    # a real member's): they show 党员1 / 申请人1. (The formats page's one example of the id format is not a case.)
    member_id = re.compile(r"(?<![A-Za-z0-9_/.-])p(?=[a-z]*\d)[a-z0-9]{7}(?![A-Za-z0-9_])")
    [standards] = [p.content for p in pages if p.path == "standards/index.md"]
    assert "党员1" in standards and not member_id.findall(standards)


def _section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}")
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else None]


def _test_names(path: str) -> set[str]:
    tree = ast.parse((REPO / path).read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name.startswith("test")}


def test_threat_model_names_tests_that_exist():
    """Each promise in the README's threat model names the test that enforces it: those tests must exist."""
    section = _section("威胁模型")
    references = re.findall(r"`(tests/[\w/]+\.py)::(test_\w+)`", section)
    assert len(references) >= 15
    missing = [f"{path}::{name}" for path, name in references
               if not (REPO / path).is_file() or name not in _test_names(path)]
    assert missing == []
    lines = section.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| 承诺"))
    promises = []
    for line in lines[header + 2:]:
        if not line.startswith("|"):
            break
        promises.append(line)
    assert len(promises) >= 10
    assert [row for row in promises if "::test_" not in row] == []  # every promise names its test


def test_privacy_section_covers_what_to_do_after_a_leak():
    section = _section("隐私")
    for needed in ("zhibu audit-history", "git filter-repo", "重新克隆", "SHA", "拉取请求", "复刻", "化名编号",
                   "本仓库之外", "min_cell_size"):
        assert needed in section, needed


def test_personal_data_in_a_git_author_name_never_reaches_the_site(tmp_path):
    """The branch page names who changed a record last; a phone number typed into a Git name is hidden."""
    from pathlib import Path

    from gitrepo import commit_isolated, run_git

    from generator.site.build import build_site

    project = copy_project(tmp_path / "p", REPO / "tests/data/valid/records")
    run_git(project, "init", "-q", "-b", "main")
    commit_isolated(project, "记录", "2025-03-01T10:00:00+08:00", author="王书记 138-1234-5678")
    build_site(project, Path("site"), dt.date(2025, 3, 31))
    page = (project / "site/branches/gongcheng-js1/index.html").read_text(encoding="utf-8")
    assert "王书记 （已隐去）" in page
    for file in (project / "site").rglob("*"):
        if file.is_file() and file.suffix in (".html", ".json", ".csv", ".xml"):
            text = file.read_text(encoding="utf-8")
            assert "1234-5678" not in text and "12345678" not in text, file
