"""Exit 0 means the right thing was checked: the repository is found upward, and every PATH names branches.

Through the real command line (a subprocess) in real temporary Git repositories (issue 11, class 4).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import VALID_RECORDS
from gitrepo import run_git
from recordedits import BRANCH, SECOND
from sitehelpers import copy_project

AS_OF = ("--as-of", "2025-03-31")


def zhibu(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    done = subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=300)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def branches(done: subprocess.CompletedProcess) -> int:
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout)["summary"]["branches"]


def usage_error(done: subprocess.CompletedProcess, *words: str) -> None:
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stdout == ""  # nothing was checked, so nothing is reported as checked
    assert done.stderr.startswith("错误：") and all(w in done.stderr for w in words), done.stderr
    assert "Errno" not in done.stderr and "--debug" not in done.stderr


def test_runs_from_any_subfolder_like_git(git_records):
    for folder in ("records", "records/gongcheng", BRANCH, "standards/schemas"):
        assert branches(zhibu(git_records / folder, "check", "--format", "json", *AS_OF)) == 2, folder


def test_relative_paths_start_where_you_stand(git_records):
    assert branches(zhibu(git_records / BRANCH, "check", ".", "--format", "json", *AS_OF)) == 1
    assert branches(zhibu(git_records / "records/gongcheng", "check", "gongcheng-js2", "--format", "json", *AS_OF)) == 1
    assert branches(zhibu(git_records / BRANCH, "check", "../gongcheng-js2/meetings.csv", "--format", "json",
                          *AS_OF)) == 1
    assert branches(zhibu(git_records / BRANCH, "check", "..", "--format", "json", *AS_OF)) == 2  # the unit
    assert branches(zhibu(git_records / "records", "check", "organization.yaml", "--format", "json", *AS_OF)) == 2


def test_the_narrowed_check_is_the_named_branch(git_records):
    meetings = git_records / BRANCH / "meetings.csv"
    meetings.write_text(meetings.read_text(encoding="utf-8").replace("2025-02-10,", "2025-02-30,"), encoding="utf-8")
    assert zhibu(git_records / SECOND, "check", ".", *AS_OF).returncode == 0
    broken = zhibu(git_records / BRANCH, "check", ".", *AS_OF)
    assert broken.returncode == 1 and f"{BRANCH}/meetings.csv" in broken.stdout


def test_absolute_paths_inside_the_repository(git_records, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = zhibu(elsewhere, "--root", str(git_records), "check", str(git_records / SECOND), "--format", "json", *AS_OF)
    assert branches(done) == 1
    assert branches(zhibu(git_records / BRANCH, "check", str(git_records / SECOND), "--format", "json", *AS_OF)) == 1
    assert branches(zhibu(git_records, "check", str(git_records / "records"), "--format", "json", *AS_OF)) == 2


@pytest.mark.parametrize("path", ["records/gongcheng/gongcheng-js9", "records/nope",
                                  "records/gongcheng/gongcheng-js1/x.csv", "gongcheng-js1"])
def test_a_path_that_does_not_exist_is_a_usage_error(git_records, path):
    usage_error(zhibu(git_records, "check", path, *AS_OF), "不存在", path)


def test_a_path_that_names_no_branch_is_a_usage_error(git_records):
    (git_records / "README.md").write_text("# 记录\n", encoding="utf-8")
    usage_error(zhibu(git_records, "check", "README.md", *AS_OF), "records/")
    usage_error(zhibu(git_records, "check", "standards", *AS_OF), "records/")
    (git_records / "records/renwen").mkdir()
    usage_error(zhibu(git_records, "check", "records/renwen", *AS_OF), "没有支部")


def test_a_path_outside_the_repository_is_a_usage_error(git_records, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    usage_error(zhibu(git_records, "check", str(outside), *AS_OF), "不在记录仓库")
    usage_error(zhibu(git_records, "check", "..", *AS_OF), "不在记录仓库")
    usage_error(zhibu(git_records / BRANCH, "check", "../../../..", *AS_OF), "不在记录仓库")


def test_outside_any_repository_is_a_usage_error(tmp_path):
    usage_error(zhibu(tmp_path, "check", *AS_OF), "不是记录仓库")
    usage_error(zhibu(tmp_path, "build", *AS_OF), "不是记录仓库")
    usage_error(zhibu(tmp_path, "--root", str(tmp_path / "missing"), "check", *AS_OF), "不存在")


def test_missing_records_folder_is_a_usage_error(git_records):
    shutil.rmtree(git_records / "records")
    usage_error(zhibu(git_records, "check", *AS_OF), "没有 records/")
    usage_error(zhibu(git_records / "standards", "build", *AS_OF), "没有 records/")
    usage_error(zhibu(git_records, "codeowners", "--check"), "没有 records/")


def test_missing_standards_folder_is_a_usage_error(git_records):
    shutil.rmtree(git_records / "standards")
    usage_error(zhibu(git_records / BRANCH, "check", *AS_OF), "没有 standards/")


def test_missing_organization_yaml_is_a_located_error(git_records):
    (git_records / "records/organization.yaml").unlink()
    done = zhibu(git_records / BRANCH, "check", "--format", "json", *AS_OF)
    assert done.returncode == 1
    found = [(p["code"], p["path"]) for p in json.loads(done.stdout)["problems"]]
    assert found == [("organization-yaml-missing", "records/organization.yaml")]


def test_build_without_site_configuration_is_a_usage_error(git_records):
    usage_error(zhibu(git_records, "build", *AS_OF), "mkdocs.yml")


def test_build_from_a_subfolder_writes_the_repository_site(tmp_path):
    project = copy_project(tmp_path / "project", VALID_RECORDS)
    run_git(project, "init", "-q", "-b", "main")
    run_git(project, "add", "-A")
    run_git(project, "commit", "-q", "-m", "records")
    done = zhibu(project / BRANCH, "build", *AS_OF)
    assert done.returncode == 0, done.stderr
    assert (project / "site/index.html").is_file()
    assert not (project / BRANCH / "site").exists()


# ── a reader that stops early (`zhibu check | head`) ──

def closed_pipe_run(cwd: Path, *args: str) -> tuple[int, str]:
    """Run zhibu with stdout a pipe whose reader has already gone; return the exit code and stderr."""
    read, write = os.pipe()
    os.close(read)  # every write to stdout now fails with EPIPE, as after `head` has exited
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    try:
        done = subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, stdout=write,
                              stderr=subprocess.PIPE, text=True, env=env, timeout=300)
    finally:
        os.close(write)
    return done.returncode, done.stderr


@pytest.mark.parametrize("args", [
    ("check", *AS_OF), ("check", "--format", "json", *AS_OF), ("check", "--format", "github", *AS_OF),
    ("check", "--lang", "en", *AS_OF),
])
def test_check_into_a_closed_pipe_keeps_its_verdict_and_is_quiet(git_records, args):
    code, err = closed_pipe_run(git_records, *args)
    assert (code, err) == (0, "")
    meetings = git_records / BRANCH / "meetings.csv"
    meetings.write_text(meetings.read_text(encoding="utf-8").replace("2025-02-10,", "2025-02-30,"), encoding="utf-8")
    code, err = closed_pipe_run(git_records, *args)
    assert (code, err) == (1, "")


@pytest.mark.parametrize("args", [("--help",), ("check", "--help"), ("codeowners", "--check"), ("codeowners",),
                                  ("demo", "--out", "demo-records", "--branches", "2")])
def test_every_command_into_a_closed_pipe_is_quiet(git_records, args):
    code, err = closed_pipe_run(git_records, *args)
    assert code in (0, 1, 141), (code, err)
    assert not any(word in err for word in ("BrokenPipe", "Errno", "Traceback", "Exception ignored")), err
