"""Faults during a build, for real: SIGKILL mid-write, concurrent builds, a read-only folder, a full disk.

Every build here is a real `zhibu build` subprocess on a copy of the fixture project. Kill points are found by
watching the file system (the temporary build folder appearing and filling, the site folder being swapped),
not by hooks in the production code.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sitehelpers import REPO, copy_project, digest

ZHIBU = str(Path(sys.executable).parent / "zhibu")
AS_OF = "2025-03-31"
FIXTURE = REPO / "tests/data/valid/records"
MEETINGS = "records/gongcheng/gongcheng-js1/meetings.csv"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER = 24, 1, 2, 3  # linux/prctl.h, capability.h


def build_cmd(project: Path, out: str = "site") -> list[str]:
    return [ZHIBU, "--root", str(project), "build", "--out", out, "--as-of", AS_OF]


def run_build(project: Path, out: str = "site", preexec_fn: Callable[[], None] | None = None
              ) -> subprocess.CompletedProcess:
    return subprocess.run(build_cmd(project, out), cwd=project, env=ENV, capture_output=True, text=True,
                          timeout=300, preexec_fn=preexec_fn)


def leftovers(folder: Path, name: str = "site") -> list[str]:
    """Temporary folders a build left beside its output (the lock file is meant to stay)."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(f".{name}-"))


def wait_until(condition: Callable[[], bool], process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 120
    while not condition():
        assert process.poll() is None, f"the build ended before {what}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.002)


@pytest.fixture(scope="module")
def projects(tmp_path_factory) -> dict[str, object]:
    """One project built with the fixture (the previous site) and the digest of the next site (topic changed)."""
    base = tmp_path_factory.mktemp("faults")
    project = copy_project(base / "p", FIXTURE)
    done = run_build(project)
    assert done.returncode == 0, done.stderr
    old = digest(project / "site")
    _change_records(project)
    done = run_build(project, "next")
    assert done.returncode == 0, done.stderr
    new = digest(project / "next")
    assert old != new and set(old) == set(new)  # the change shows on the site; same pages
    shutil.rmtree(project / "next")
    (project / MEETINGS).write_bytes((FIXTURE / MEETINGS.removeprefix("records/")).read_bytes())
    return {"project": project, "old": old, "new": new}


def _change_records(project: Path) -> None:
    path = project / MEETINGS
    path.write_text(path.read_text(encoding="utf-8").replace("参观校史馆", "参观革命纪念馆"), encoding="utf-8")


@contextlib.contextmanager
def fresh(projects: dict, name: str, change: bool = True) -> Iterator[Path]:
    """A copy of the built project (site included) in its own folder; records changed unless told otherwise."""
    base = Path(tempfile.mkdtemp(prefix=f"zhibu-fault-{name}-"))
    try:
        base.chmod(0o755)  # reachable by an unprivileged user (read-only test)
        project = base / "p"
        shutil.copytree(projects["project"], project, symlinks=True)
        if change:
            _change_records(project)
        assert digest(project / "site") == projects["old"]
        yield project
    finally:
        _make_writable(base)
        shutil.rmtree(base, ignore_errors=True)


def _make_writable(base: Path) -> None:
    for folder in [base, *(p for p in base.rglob("*") if p.is_dir() and not p.is_symlink())]:
        with contextlib.suppress(OSError):
            folder.chmod(0o755)


def assert_next_build_recovers(project: Path, projects: dict) -> None:
    """After a fault the next build succeeds, removes what the killed build left and publishes the new site."""
    done = run_build(project)
    assert done.returncode == 0, done.stderr
    assert leftovers(project) == []
    assert digest(project / "site") == projects["new"]


# ---------------------------------------------------------------- (a) SIGKILL

def _temp_folder(project: Path) -> Path | None:
    found = [p for p in project.iterdir() if p.name.startswith(".site-new-") and p.is_dir()]
    return found[0] if found else None


def test_sigkill_inside_the_write_phase_keeps_previous_site(projects):
    """Killed while MkDocs is writing pages into the temporary folder: site/ is the previous site, byte for byte."""
    with fresh(projects, "write") as project:
        process = subprocess.Popen(build_cmd(project), cwd=project, env=ENV, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        written = lambda: (temp := _temp_folder(project)) is not None and (temp / "index.html").is_file()  # noqa: E731
        wait_until(written, process, "pages were written into the temporary folder")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert process.returncode == -signal.SIGKILL
        assert digest(project / "site") == projects["old"]
        assert leftovers(project), "the killed build left its temporary folder (removed by the next build)"
        assert_next_build_recovers(project, projects)


def test_sigkill_right_after_the_swap_leaves_the_new_site_whole(projects):
    """Killed just after site/ was replaced (while the previous site is being deleted): the new site is whole."""
    with fresh(projects, "swap") as project:
        before = os.stat(project / "site").st_ino
        process = subprocess.Popen(build_cmd(project), cwd=project, env=ENV, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        swapped = lambda: os.stat(project / "site").st_ino != before  # noqa: E731
        wait_until(swapped, process, "site/ was swapped")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert digest(project / "site") == projects["new"]
        assert_next_build_recovers(project, projects)


def test_sigkill_at_random_moments(projects):
    """Kills spread over a whole build (seeded): each time site/ is one complete site, old or new, never a mix."""
    with fresh(projects, "random") as project:
        start = time.monotonic()
        assert run_build(project, "timing").returncode == 0
        duration = time.monotonic() - start
        shutil.rmtree(project / "timing")
        rng = random.Random(20251125)
        outcomes = []
        for delay in sorted(rng.uniform(0.05, duration * 1.1) for _ in range(4)):
            before = digest(project / "site")
            process = subprocess.Popen(build_cmd(project), cwd=project, env=ENV, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            after = digest(project / "site")
            assert after in (projects["old"], projects["new"]), f"site/ incomplete after a kill at {delay:.2f} s"
            outcomes.append("new" if after == projects["new"] else "old")
            if after == projects["new"] and before == projects["old"]:
                (project / "site").rename(project / "site-new")  # put the previous site back for the next round
                shutil.copytree(projects["project"] / "site", project / "site")
                shutil.rmtree(project / "site-new")
        assert "old" in outcomes  # at least one kill landed before the swap
        assert_next_build_recovers(project, projects)


def test_stale_leftovers_of_the_fallback_swap_are_restored(projects):
    """Where atomic exchange is unavailable the swap is two renames; a kill between them is repaired next time."""
    with fresh(projects, "fallback") as project:
        old = project / ".site-old-killed"
        old.mkdir()
        (project / "site").rename(old / "site")  # the state a kill between the two renames leaves
        stale = project / ".site-new-killed"
        (stale / "assets").mkdir(parents=True)
        (stale / "index.html").write_text("half a site", encoding="utf-8")
        done = run_build(project, preexec_fn=_small_files)  # this build fails too (disk full) …
        assert done.returncode == 2, done.stderr
        assert digest(project / "site") == projects["old"]  # … but the previous site is back in place
        assert leftovers(project) == []
        assert_next_build_recovers(project, projects)


# ---------------------------------------------------------------- (b) concurrent builds

def test_concurrent_builds_into_the_same_folder(projects):
    """Three builds started at once: each succeeds and site/ is exactly one complete build."""
    with fresh(projects, "concurrent") as project:
        processes = [subprocess.Popen(build_cmd(project), cwd=project, env=ENV, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True) for _ in range(3)]
        results = [(p.wait(timeout=300), *p.communicate()) for p in processes]
        for code, _out, err in results:
            assert code == 0, err
            assert "Traceback" not in err
        assert digest(project / "site") == projects["new"]
        assert leftovers(project) == []


def test_a_build_waits_for_the_running_one_and_says_so(projects):
    """While another build holds the folder's lock, a build says (in Chinese) that it waits, then completes."""
    with fresh(projects, "wait") as project:
        fd = os.open(project / ".site.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # what a running build holds
            with tempfile.TemporaryFile("w+", encoding="utf-8") as err:
                process = subprocess.Popen(build_cmd(project), cwd=project, env=ENV, stdout=subprocess.DEVNULL,
                                           stderr=err)
                said = lambda: "另一个构建正在生成" in Path(f"/proc/self/fd/{err.fileno()}").read_text("utf-8")  # noqa: E731
                wait_until(said, process, "the waiting message")
                assert digest(project / "site") == projects["old"]  # nothing written while waiting
                fcntl.flock(fd, fcntl.LOCK_UN)
                assert process.wait(timeout=300) == 0
        finally:
            os.close(fd)
        assert digest(project / "site") == projects["new"]
        assert leftovers(project) == []


# ---------------------------------------------------------------- (c) read-only folder, (d) full disk

def _without_permission_override() -> None:
    """Root ignores file permissions through capabilities; drop them (as a secretary's account lacks them).

    The capabilities leave the bounding set, so the build started by exec runs as root without
    CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH and CAP_FOWNER: a folder with mode 0555 is read-only for it.
    (Switching to `nobody` is not possible here: the interpreter lives under /root.)
    """
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def _small_files() -> None:
    """A disk that fills up: writes beyond 200 kB fail with EFBIG (SIGXFSZ ignored so Python sees the error)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))


def test_read_only_output_folder(projects):
    with fresh(projects, "readonly") as project:
        (project / "public").mkdir()
        (project / "site").rename(project / "public/site")
        (project / "public").chmod(0o555)
        done = run_build(project, "public/site", preexec_fn=_without_permission_override if os.geteuid() == 0 else None)
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr
        assert "没有写入" in done.stderr and "权限" in done.stderr, done.stderr
        assert "原有的 site/ 保持不变" in done.stderr
        assert digest(project / "public/site") == projects["old"]
        assert leftovers(project / "public") == []


def test_full_disk(projects):
    with fresh(projects, "full") as project:
        done = run_build(project, preexec_fn=_small_files)
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr
        assert "磁盘空间不足" in done.stderr, done.stderr
        assert digest(project / "site") == projects["old"]
        assert leftovers(project) == []
        assert_next_build_recovers(project, projects)


_IN_NAMESPACE = """
import hashlib, json, shutil, subprocess, sys
from pathlib import Path
mount, site, cmd = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size + 1_500_000}", "tmpfs", str(mount)], check=True)
shutil.copytree(site, mount / "site")
done = subprocess.run(cmd + ["--out", str(mount / "site")], capture_output=True, text=True)
digest = {str(p.relative_to(mount / "site")): hashlib.sha256(p.read_bytes()).hexdigest()
          for p in sorted((mount / "site").rglob("*")) if p.is_file()}
print(json.dumps({"code": done.returncode, "stderr": done.stderr, "digest": digest,
                  "left": sorted(p.name for p in mount.iterdir() if p.name.startswith(".site-"))}))
"""


def test_full_filesystem(projects):
    """A real full disk: a small tmpfs in a private mount namespace (gone when the test ends) holds site/."""
    namespace = ["unshare", "--mount", "--propagation", "private"] if os.geteuid() == 0 else ["unshare", "-rm"]
    with fresh(projects, "tmpfs") as project:
        (project / "mnt").mkdir()
        cmd = [ZHIBU, "--root", str(project), "build", "--as-of", AS_OF]
        done = subprocess.run([*namespace, sys.executable, "-c", _IN_NAMESPACE, str(project / "mnt"),
                               str(project / "site"), json.dumps(cmd)], cwd=project, env=ENV, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout)
        assert result["code"] == 2, result["stderr"]
        assert "Traceback" not in result["stderr"]
        assert "磁盘空间不足" in result["stderr"], result["stderr"]
        assert result["digest"] == projects["old"]
        assert result["left"] == []


# ---------------------------------------------------------------- output folders that must never be replaced

@pytest.mark.parametrize("out", [".", "..", "records", "records/site", "docs"])
def test_output_folder_that_would_destroy_the_repository_is_refused(projects, out):
    with fresh(projects, "danger", change=False) as project:
        before = digest(project)
        done = run_build(project, out)
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr and "错误：输出目录" in done.stderr, done.stderr
        assert digest(project) == before
        assert sorted(p.name for p in project.parent.iterdir()) == ["p"]


def test_output_folder_that_is_not_a_site_is_refused(projects):
    with fresh(projects, "notsite", change=False) as project:
        (project / "notes").mkdir()
        (project / "notes/plan.txt").write_text("支部工作计划", encoding="utf-8")
        done = run_build(project, "notes")
        assert done.returncode == 2, done.stderr
        assert "不像是本工具生成的站点" in done.stderr
        assert (project / "notes/plan.txt").read_text(encoding="utf-8") == "支部工作计划"
