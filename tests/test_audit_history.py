"""`zhibu audit-history` on real temporary Git repositories: history keeps what today's files no longer show."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import commit_isolated, run_git

from generator.history.audit import audit_history

ID_NUMBER = "11010519491231002X"  # the worked example of GB 11643-1999: a valid check character
MOBILE = "13812345678"
EMAIL = "zhang.san@example.com"
MEETINGS = "records/gongcheng/gongcheng-js1/meetings.csv"


def _zhibu(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "--root", str(root), *args], capture_output=True,
                          text=True, cwd=root)


@pytest.fixture
def leaky_repo(make_repo) -> tuple[Path, dict[str, str]]:
    """Valid records; then an ID number, a mobile number and an e-mail committed; then all removed again."""
    root = make_repo()
    run_git(root, "init", "-q", "-b", "main")
    shas = {"clean": commit_isolated(root, "初始记录", "2025-01-02T10:00:00+08:00", "测试", ("records",))}
    meetings = root / MEETINGS
    original = meetings.read_text(encoding="utf-8")
    lines = original.splitlines()
    lines[3] = lines[3].replace("交流学习体会", f"交流学习体会（联系人身份证 {ID_NUMBER}）")
    meetings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    branch = root / "records/gongcheng/gongcheng-js1/branch.yaml"
    branch_text = branch.read_text(encoding="utf-8")
    branch.write_text(branch_text.replace("name: null", f"name: 电话{MOBILE} 邮箱{EMAIL}"), encoding="utf-8")
    shas["leak"] = commit_isolated(root, "补充会议", "2025-02-03T10:00:00+08:00", "测试", ("records",))
    meetings.write_text(original, encoding="utf-8")
    branch.write_text(branch_text, encoding="utf-8")
    shas["fix"] = commit_isolated(root, "删除个人信息", "2025-02-04T10:00:00+08:00", "测试", ("records",))
    return root, shas


def test_deleted_personal_data_is_found_in_history(leaky_repo):
    root, shas = leaky_repo
    audit = audit_history(root)
    found = {(f.commit, f.path, f.line, f.kind) for f in audit.findings}
    assert found == {(shas["leak"], MEETINGS, 4, "id-number"),
                     (shas["leak"], "records/gongcheng/gongcheng-js1/branch.yaml", 15, "mobile"),
                     (shas["leak"], "records/gongcheng/gongcheng-js1/branch.yaml", 15, "email")}
    assert {f.date[:10] for f in audit.findings} == {"2025-02-03"}
    assert audit.blobs >= 9  # every version of every file, each read once


def test_cli_reports_locations_never_values(leaky_repo):
    root, shas = leaky_repo
    assert _zhibu(root, "check").returncode == 0  # today's files are clean …
    done = _zhibu(root, "audit-history")
    assert done.returncode == 1, done.stderr  # … but history is not
    output = done.stdout + done.stderr
    assert f"{shas['leak'][:12]} 2025-02-03 {MEETINGS} 第 4 行：身份证号" in done.stdout
    assert "branch.yaml 第 15 行：手机号" in done.stdout and "branch.yaml 第 15 行：电子邮箱" in done.stdout
    for secret in (ID_NUMBER, ID_NUMBER[:6], ID_NUMBER[-6:], MOBILE, MOBILE[-4:], EMAIL, "zhang", "example.com",
                   "110*", "138*"):
        assert secret not in output, secret


def test_range_after_the_fix_is_clean(leaky_repo):
    root, shas = leaky_repo
    assert audit_history(root, f"{shas['leak']}..main").findings == []
    done = _zhibu(root, "audit-history", "--rev", f"{shas['leak']}..main")
    assert done.returncode == 0, done.stdout + done.stderr
    done = _zhibu(root, "audit-history", "--rev", f"{shas['clean']}..{shas['leak']}")
    assert done.returncode == 1


def test_other_branches_and_moved_files_are_scanned(leaky_repo):
    root, shas = leaky_repo
    run_git(root, "checkout", "-q", "-b", "draft")
    (root / "records/gongcheng/gongcheng-js1/study.csv").rename(root / "records/gongcheng/gongcheng-js1/x.csv")
    notes = root / "records/gongcheng/notes.txt"
    notes.write_text("\n\n备注 ＋８６ １３９ ００００ １１１１\n", encoding="utf-16")  # full-width digits, UTF-16
    draft = commit_isolated(root, "草稿", "2025-03-01T10:00:00+08:00", "测试", ("records",))
    run_git(root, "checkout", "-q", "main")
    audit = audit_history(root)  # default: every ref, not only the checked-out branch
    assert (draft, "records/gongcheng/notes.txt", 3, "mobile") in {(f.commit, f.path, f.line, f.kind)
                                                                   for f in audit.findings}
    assert all(f.commit != draft or f.path.endswith("notes.txt") for f in audit.findings)
    assert not [f for f in audit_history(root, "main").findings if f.commit == draft]


def test_clean_history_exits_zero_and_shallow_clone_is_incomplete(make_repo, tmp_path):
    root = make_repo()
    run_git(root, "init", "-q", "-b", "main")
    commit_isolated(root, "初始记录", "2025-01-02T10:00:00+08:00", "测试", ("records",))
    (root / MEETINGS).write_text((root / MEETINGS).read_text(encoding="utf-8") + "\n", encoding="utf-8")
    commit_isolated(root, "空行", "2025-01-03T10:00:00+08:00", "测试", ("records",))
    done = _zhibu(root, "audit-history")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{root}", str(clone)], check=True)
    done = _zhibu(clone, "audit-history")
    assert done.returncode == 2 and "浅克隆" in done.stderr


def test_not_a_repository_and_bad_range_are_usage_errors(make_repo, leaky_repo):
    plain = make_repo()
    done = _zhibu(plain, "audit-history")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    root, _ = leaky_repo
    for rev in ("no-such-branch", "--output=/tmp/zhibu-audit-x"):
        done = _zhibu(root, "audit-history", f"--rev={rev}")
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert not Path("/tmp/zhibu-audit-x").exists()


def test_pull_request_workflow_audits_every_commit_of_the_pull_request(leaky_repo):
    """The check workflow's audit step, run as GitHub runs it: the leak and its removal are both in the PR."""
    import os

    import yaml

    repo = Path(__file__).resolve().parents[1]
    workflow = yaml.safe_load((repo / ".github/workflows/check.yml").read_text(encoding="utf-8"))
    [step] = [s for s in workflow["jobs"]["check"]["steps"] if "audit-history" in s.get("run", "")]
    assert step["env"] == {"BASE_SHA": "${{ github.event.pull_request.base.sha }}"}
    root, shas = leaky_repo
    (root / ".venv").symlink_to(Path(sys.executable).parents[1])

    def replay(base: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "BASE_SHA": base}
        return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=root,
                              env=env, capture_output=True, text=True, timeout=120)

    done = replay(shas["clean"])  # the pull request = the leaking commit and the commit that removed it
    assert done.returncode == 1 and f"{shas['leak'][:12]}" in done.stdout and ID_NUMBER not in done.stdout
    assert replay(shas["leak"]).returncode == 0  # a later pull request no longer fails for it
