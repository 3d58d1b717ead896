"""`zhibu check --since BASE` on real temporary Git repositories: what a pull request touches, honestly.

Each test commits a base, makes the change a pull request would make (committed, or only in the
working tree where noted) and checks which branches were evaluated and which moves were reported.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from gitrepo import commit_all, run_git

from generator.cli import main

JS1 = "records/gongcheng/gongcheng-js1"
JS2 = "records/gongcheng/gongcheng-js2"
OTHER = "records/jixie/jixie-js1"


def copy_branch(root: Path, source: str, target: str, ids: tuple[str, str]) -> None:
    """A copy of a branch under a new code with its own pseudonymous ids (codes and ids are unique)."""
    shutil.copytree(root / source, root / target)
    old_code, new_code = source.rsplit("/", 1)[1], target.rsplit("/", 1)[1]
    for file in (root / target).iterdir():
        text = file.read_text(encoding="utf-8").replace(old_code, new_code)
        file.write_text(text.replace("pa0000", ids[0]).replace("pb0000", ids[1]), encoding="utf-8")


def rename_js2_to_js9(root: Path) -> str:
    """Commit a change of branch code: folder and the code inside branch.yaml; returns the new folder."""
    new = "records/gongcheng/gongcheng-js9"
    run_git(root, "mv", JS2, new)
    branch = root / new / "branch.yaml"
    branch.write_text(branch.read_text(encoding="utf-8").replace("gongcheng-js2", "gongcheng-js9"), "utf-8")
    commit_all(root, "rename js2 to js9")
    return new


@pytest.fixture
def repo(make_repo) -> tuple[Path, str]:
    """Two units, three branches, one base commit; returns (root, base sha)."""
    root = make_repo()
    copy_branch(root, JS1, JS2, ("pc0000", "pd0000"))
    (root / "records/jixie").mkdir()
    unit = (root / "records/gongcheng/unit.yaml").read_text(encoding="utf-8")
    (root / "records/jixie/unit.yaml").write_text(unit.replace("gongcheng", "jixie").replace("工程", "机械"),
                                                  encoding="utf-8")
    copy_branch(root, JS1, OTHER, ("pe0000", "pf0000"))
    run_git(root, "init", "-q", "-b", "main")
    return root, commit_all(root, "base")


def check(capsys, root: Path, base: str) -> tuple[int, dict]:
    code = main(["--root", str(root), "check", "--as-of", "2025-03-31", "--format", "json", "--since", base])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, json.loads(captured.out)


def evaluated(capsys, root: Path, base: str) -> tuple[int, dict, int]:
    code, data = check(capsys, root, base)
    return code, data, data["summary"]["branches"]


def append_meeting(root: Path, branch: str) -> None:
    with (root / branch / "meetings.csv").open("a", encoding="utf-8") as handle:
        handle.write("2025-03-28-zwh,2025-03-28,支委会,研究季度总结,4,4,\n")


def codes(data: dict) -> list[str]:
    return [p["code"] for p in data["problems"]]


def test_base_itself_touches_nothing(repo, capsys):
    root, base = repo
    code, data, count = evaluated(capsys, root, base)
    assert code == 0 and count == 0 and data["summary"]["branches_in_repository"] == 3


def test_one_branch_changed(repo, capsys):
    root, base = repo
    append_meeting(root, JS2)
    commit_all(root, "add a meeting")
    code, data, count = evaluated(capsys, root, base)
    assert code == 0 and count == 1 and data["problems"] == []


def test_broken_row_in_untouched_branch_is_not_blamed_on_the_pull_request(repo, capsys):
    root, base = repo
    meetings = root / OTHER / "meetings.csv"
    meetings.write_text(meetings.read_text(encoding="utf-8").replace("2025-01-08,", "2025-01-32,"), "utf-8")
    commit_all(root, "break jixie on main")  # already on main when the pull request starts
    append_meeting(root, JS1)
    code, data, count = evaluated(capsys, root, run_git(root, "rev-parse", "HEAD"))
    assert code == 0 and count == 1
    code, data, count = evaluated(capsys, root, base)  # since base, the break is part of the change
    assert code == 1 and {p["branch"] for p in data["problems"]} == {"jixie-js1"}


@pytest.mark.parametrize("path", ["standards/README.md", "records/organization.yaml", "generator/__init__.py"])
def test_change_to_shared_files_touches_every_branch(repo, capsys, path):
    root, base = repo
    file = root / path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text((file.read_text(encoding="utf-8") if file.exists() else "") + "\n# 补充说明\n", "utf-8")
    commit_all(root, f"edit {path}")
    code, _, count = evaluated(capsys, root, base)
    assert code == 0 and count == 3


def test_unit_yaml_change_touches_the_units_branches_only(repo, capsys):
    root, base = repo
    unit = root / "records/gongcheng/unit.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("工程学院党委", "工程技术学院党委"), "utf-8")
    commit_all(root, "rename the unit")
    code, data, count = evaluated(capsys, root, base)
    assert code == 0 and count == 2
    # The branch outside the unit is not read: a fault there is not reported.
    meetings = root / OTHER / "meetings.csv"
    meetings.write_text(meetings.read_text(encoding="utf-8").replace("2025-01-08,", "2025-01-32,"), "utf-8")
    code, data, count = evaluated(capsys, root, run_git(root, "rev-parse", "HEAD"))
    assert count == 1 and code == 1  # only jixie-js1's own change is read now


def test_records_readme_touches_no_branch(repo, capsys):
    root, base = repo
    (root / "records/README.md").write_text("# 说明\n", encoding="utf-8")
    commit_all(root, "readme")
    assert evaluated(capsys, root, base)[2] == 0


def test_deleted_branch_is_reported_with_its_old_path(repo, capsys):
    root, base = repo
    run_git(root, "rm", "-r", "-q", JS2)
    commit_all(root, "dissolve js2")
    code, data, count = evaluated(capsys, root, base)
    assert code == 0 and count == 0  # a warning does not block
    [problem] = data["problems"]
    assert problem["code"] == "branch-deleted" and problem["severity"] == "warning"
    assert problem["path"] == f"{JS2}/branch.yaml" and JS2 in problem["message"] and base in problem["message"]


def test_renamed_branch_code_is_flagged(repo, capsys):
    root, base = repo
    new = rename_js2_to_js9(root)
    code, data, count = evaluated(capsys, root, base)
    assert code == 0 and count == 1  # the branch under its new folder is checked
    assert codes(data) == ["branch-renamed"]  # not also "deleted"
    problem = data["problems"][0]
    assert problem["severity"] == "warning" and problem["path"] == f"{new}/branch.yaml"
    assert JS2 in problem["message"] and new in problem["message"] and "永久不变" in problem["message"]


def test_rename_in_the_working_tree_is_detected_before_it_is_staged(repo, capsys):
    root, base = repo
    new = "records/gongcheng/gongcheng-js9"
    (root / JS2).rename(root / new)  # plain mv: the new folder is untracked
    branch = root / new / "branch.yaml"
    branch.write_text(branch.read_text(encoding="utf-8").replace("gongcheng-js2", "gongcheng-js9"), "utf-8")
    code, data, count = evaluated(capsys, root, base)
    assert codes(data) == ["branch-renamed"] and count == 1


def test_moved_branch_keeps_its_code_and_is_a_notice(repo, capsys):
    root, base = repo
    new = "records/jixie/gongcheng-js2"
    run_git(root, "mv", JS2, new)
    append_meeting(root, new)  # moved and edited in the same pull request
    commit_all(root, "move js2 to jixie")
    code, data, count = evaluated(capsys, root, base)
    assert code == 0 and codes(data) == ["branch-moved"]
    problem = data["problems"][0]
    assert problem["severity"] == "info" and problem["branch"] == "gongcheng-js2"
    assert JS2 in problem["message"] and new in problem["message"]
    code = main(["--root", str(root), "check", "--as-of", "2025-03-31", "--format", "github", "--since", base])
    out = capsys.readouterr().out
    assert code == 0 and f"::notice file={new}/branch.yaml,title=branch-moved::" in out


def test_deleted_branch_and_new_branch_are_not_a_rename(repo, capsys):
    root, base = repo
    run_git(root, "rm", "-r", "-q", JS2)
    copy_branch(root, JS1, "records/gongcheng/gongcheng-js3", ("pg0000", "ph0000"))
    commit_all(root, "dissolve js2, found js3")
    code, data, count = evaluated(capsys, root, base)
    assert code == 0 and count == 1 and codes(data) == ["branch-deleted"]
    assert data["problems"][0]["path"] == f"{JS2}/branch.yaml"


def test_since_outside_git_and_bad_ref_are_usage_errors(repo, make_repo, capsys):
    root, _ = repo
    assert main(["--root", str(root), "check", "--since", "no-such-ref"]) == 2
    assert "no-such-ref" in capsys.readouterr().err
    assert main(["--root", str(make_repo()), "check", "--since", "HEAD"]) == 2
    assert "Git" in capsys.readouterr().err


def summary_of(capsys, root: Path, base: str, tmp_path: Path, monkeypatch) -> str:
    target = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(target))
    main(["--root", str(root), "check", "--as-of", "2025-03-31", "--format", "github", "--since", base])
    capsys.readouterr()
    return target.read_text(encoding="utf-8").split("### 本次改动了什么", 1)[1]


def test_change_summary_follows_a_moved_branch(repo, capsys, tmp_path, monkeypatch):
    root, base = repo
    new = "records/jixie/gongcheng-js2"
    run_git(root, "mv", JS2, new)
    append_meeting(root, new)
    commit_all(root, "move js2 to jixie and add a meeting")
    text = summary_of(capsys, root, base, tmp_path, monkeypatch)
    assert "由工程学院党委调整到机械学院党委" in text
    assert "新增 1 次会议" in text  # compared with the old folder, not counted as a new branch
    assert "删除" not in text and "新增支部" not in text


def test_change_summary_names_a_renamed_code(repo, capsys, tmp_path, monkeypatch):
    root, base = repo
    rename_js2_to_js9(root)
    text = summary_of(capsys, root, base, tmp_path, monkeypatch)
    assert "支部代码由 gongcheng-js2 改为 gongcheng-js9" in text
    assert "删除" not in text and "新增支部" not in text


def test_change_summary_of_a_deleted_branch(repo, capsys, tmp_path, monkeypatch):
    root, base = repo
    run_git(root, "rm", "-r", "-q", JS2)
    commit_all(root, "dissolve js2")
    assert "支部文件夹已删除" in summary_of(capsys, root, base, tmp_path, monkeypatch)


def test_changes_between_two_commits_follow_moves_and_renames(repo):
    """The release changes page compares two commits (not the working tree): moves are found there too."""
    from generator.history.changes import describe_changes

    root, base = repo
    run_git(root, "mv", JS2, "records/jixie/gongcheng-js2")
    run_git(root, "mv", OTHER, "records/jixie/jixie-js9")
    branch = root / "records/jixie/jixie-js9/branch.yaml"
    branch.write_text(branch.read_text(encoding="utf-8").replace("jixie-js1", "jixie-js9"), "utf-8")
    head = commit_all(root, "move and rename")
    append_meeting(root, JS1)  # a working-tree edit that a commit-to-commit comparison must ignore
    kinds = {(c.branch, c.kind) for c in describe_changes(root, base, head)}
    assert ("gongcheng-js2", "branch-moved") in kinds and ("jixie-js9", "branch-renamed") in kinds
    assert not {k for _, k in kinds} & {"branch-added", "branch-removed"}
    assert "gongcheng-js1" not in {b for b, _ in kinds}


@pytest.fixture
def owned(make_repo) -> tuple[Path, str]:
    """Like `repo`, with a current .github/CODEOWNERS in the base commit."""
    root = make_repo()
    copy_branch(root, JS1, JS2, ("pc0000", "pd0000"))
    (root / ".github").mkdir()
    assert main(["--root", str(root), "codeowners"]) == 0
    run_git(root, "init", "-q", "-b", "main")
    return root, commit_all(root, "base with CODEOWNERS")


def stale_codes(capsys, root: Path, base: str) -> list[dict]:
    _, data = check(capsys, root, base)
    return [p for p in data["problems"] if p["code"] == "codeowners-stale"]


def set_maintainers(root: Path, branch: str, handles: str) -> None:
    file = root / branch / "branch.yaml"
    text = file.read_text(encoding="utf-8")
    file.write_text(re.sub(r"(?m)^maintainers: .*$", f"maintainers: {handles}", text), encoding="utf-8")


def test_codeowners_not_regenerated_after_a_maintainer_change(owned, capsys):
    root, base = owned
    set_maintainers(root, JS2, "[new-shuji]")
    commit_all(root, "new secretary")
    [problem] = stale_codes(capsys, root, base)
    assert problem["severity"] == "warning" and problem["path"] == ".github/CODEOWNERS"
    assert main(["--root", str(root), "codeowners"]) == 0
    commit_all(root, "regenerate")
    capsys.readouterr()
    assert stale_codes(capsys, root, base) == []


def test_stale_line_of_an_untouched_branch_is_not_blamed_on_the_pull_request(owned, capsys):
    root, _ = owned
    set_maintainers(root, JS2, "[new-shuji]")  # already on main, CODEOWNERS not regenerated
    base = commit_all(root, "stale on main")
    append_meeting(root, JS1)
    commit_all(root, "a meeting in js1")
    assert stale_codes(capsys, root, base) == []  # js2 was not read: its existing line is trusted
    code = main(["--root", str(root), "check", "--as-of", "2025-03-31", "--format", "json"])
    full = json.loads(capsys.readouterr().out)["problems"]
    assert code == 0 and [p["code"] for p in full] == ["codeowners-stale"]  # a full check sees it


def test_hand_edit_of_codeowners_is_always_checked(owned, capsys):
    root, base = owned
    file = root / ".github/CODEOWNERS"
    file.write_text(file.read_text(encoding="utf-8").replace("@gongcheng-js2-shuji", "@someone-else"), "utf-8")
    commit_all(root, "edit CODEOWNERS by hand")
    [problem] = stale_codes(capsys, root, base)
    lines = file.read_text(encoding="utf-8").splitlines()
    assert "@someone-else" in lines[problem["row"] - 1]


def test_deleted_and_added_branches_need_a_new_codeowners(owned, capsys):
    root, base = owned
    run_git(root, "rm", "-r", "-q", JS2)
    commit_all(root, "dissolve js2")
    assert len(stale_codes(capsys, root, base)) == 1  # its line is still there
    main(["--root", str(root), "codeowners"])
    base = commit_all(root, "regenerate")
    copy_branch(root, JS1, "records/gongcheng/gongcheng-js3", ("pg0000", "ph0000"))
    commit_all(root, "found js3")
    capsys.readouterr()
    assert len(stale_codes(capsys, root, base)) == 1  # its line is missing
