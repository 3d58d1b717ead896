"""All Git access goes through generator/history/git.py, and every Git failure is one GitError in Chinese that
carries Git's own words and says what to do."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import git
import pytest
from gitrepo import commit, init, tag

from generator.cli import main
from generator.history.audit import audit_history
from generator.history.changes import describe_changes
from generator.history.git import GitError, Repository, changes_since
from generator.history.releasetags import list_releases

GENERATOR = Path(__file__).resolve().parents[1] / "generator"
GIT_MODULE = GENERATOR / "history" / "git.py"


@pytest.fixture
def repo(make_repo) -> Path:
    root = make_repo()
    commit(init(root), "records", "测试", "2025-03-01T10:00:00+08:00")
    return root


def _imports(tree: ast.Module) -> set[str]:
    names = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
             for alias in node.names}
    return names | {(node.module or "").split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                    and not node.level}


def test_only_history_git_imports_gitpython_or_runs_git():
    modules = sorted(GENERATOR.rglob("*.py"))
    assert GIT_MODULE in modules and len(modules) > 50
    gitpython = [m for m in modules if "git" in _imports(ast.parse(m.read_text(encoding="utf-8")))]
    assert gitpython == [GIT_MODULE]
    runs_git = [m for m in modules if re.search(r"""[\[(]\s*["']git["']\s*,""", m.read_text(encoding="utf-8"))]
    assert runs_git == [GIT_MODULE]


def test_unknown_ref_names_the_ref_and_says_where_to_look(repo):
    with pytest.raises(GitError) as caught:
        changes_since(repo, "no-such-ref")
    text = str(caught.value)
    assert "无法读取 Git 引用 'no-such-ref'" in text and "did not resolve" in text  # GitPython's own words
    assert "git tag" in text and "fetch-depth: 0" in text


def test_failing_git_command_carries_gits_message(repo):
    with pytest.raises(GitError) as caught:
        audit_history(repo, "no-such-branch")
    text = str(caught.value)
    assert text.startswith("git log 失败（Git：fatal: ")  # Git's stderr without GitPython's wrapping
    assert "no-such-branch" in text and "cmdline" not in text and "stderr:" not in text
    assert "git log --oneline" in text


def test_not_a_repository_says_where_to_run(repo, make_repo):
    plain = make_repo()
    for call in (lambda: describe_changes(plain, "HEAD~1", "HEAD"), lambda: list_releases(plain),
                 lambda: audit_history(plain), lambda: changes_since(plain, "HEAD")):
        with pytest.raises(GitError, match="不是 Git 仓库.*请在记录仓库.*--root"):
            call()
    assert Repository.find(plain) is None and Repository.find(repo) is not None
    assert Repository.find(repo / "records") is None  # a folder inside a repository is not one


def test_bad_as_of_in_a_release_tag_says_how_to_fix_it(repo):
    tag(git.Repo(repo), "2025.03", "2025-03-31T18:00:00+08:00", "as-of: 2025-3-31")
    with pytest.raises(GitError, match=r"2025\.03.*2025-3-31.*git tag -f -a"):
        list_releases(repo)


def test_cli_prints_the_git_error_in_chinese_with_exit_2(repo, capsys):
    assert main(["--root", str(repo), "check", "--since", "no-such-ref"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：无法读取 Git 引用 'no-such-ref'") and "Traceback" not in err
    assert "git tag" in err


def test_without_a_git_program_check_still_runs_and_git_commands_say_to_install_it(repo, make_repo):
    """GitPython refuses to import without git unless told to stay quiet: a folder that is no repository is still
    checked, and in a repository the missing program is named with what to do (exit 2), never a traceback."""
    env = {"PATH": "/nonexistent", "HOME": str(repo.parent), "PYTHONPATH": str(GENERATOR.parent)}

    def zhibu(root: Path, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "generator", "--root", str(root), *args], env=env,
                              capture_output=True, text=True, timeout=300)

    plain = zhibu(make_repo(), "check", "--as-of", "2025-03-31")
    assert plain.returncode == 0 and "0 个错误" in plain.stdout, plain.stderr
    for args in (("check",), ("audit-history",)):
        done = zhibu(repo, *args)
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        assert done.stderr.startswith("错误：") and "找不到 git 程序。请安装 Git" in done.stderr, done.stderr
