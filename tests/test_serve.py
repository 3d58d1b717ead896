"""`zhibu serve` (MkDocs's live server with the zhibu plugin) rebuilds when a record changes."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import VALID_RECORDS
from sitehelpers import copy_project, free_port

BRANCH = "records/gongcheng/gongcheng-js1"
PAGE = "branches/gongcheng-js1/"


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, text: str, seconds: float = 120) -> str:
    """Poll until the page holds text (a liveness bound, not a timing assertion)."""
    end = time.monotonic() + seconds
    body = None
    while time.monotonic() < end:
        body = _get(url)
        if body is not None and text in body:
            return body
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed {text!r}; last body: {(body or '')[:300]!r}")


@contextlib.contextmanager
def _served(project: Path):
    port = free_port()
    env = {**os.environ, "ZHIBU_SITE_URL": f"http://127.0.0.1:{port}/", "NO_MKDOCS_2_WARNING": "1"}
    # The console script, not `python -m generator`: the project copy has a generator/site/assets folder that
    # would shadow the installed package when the working directory comes first on sys.path.
    zhibu = str(Path(sys.executable).with_name("zhibu"))
    process = subprocess.Popen([zhibu, "serve", "--dev-addr", f"127.0.0.1:{port}"],
                               cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        yield f"http://127.0.0.1:{port}/", process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_serve_rebuilds_when_a_record_changes(tmp_path):
    project = copy_project(tmp_path / "project", VALID_RECORDS)
    meetings = project / BRANCH / "meetings.csv"
    with _served(project) as (url, process):
        first = _wait_for(url + PAGE, "gongcheng-js1")
        assert "热重载测试专题党课" not in first
        text = meetings.read_text(encoding="utf-8")
        meetings.write_text(text + ("" if text.endswith("\n") else "\n")
                            + "m-reload-1,2025-03-20,党课,热重载测试专题党课,5,5,\n", encoding="utf-8")
        _wait_for(url + PAGE, "热重载测试专题党课")

        # A broken record does not stop the server; the fix shows up again.
        branch_yaml = project / BRANCH / "branch.yaml"
        good = branch_yaml.read_text(encoding="utf-8")
        branch_yaml.write_text(good + "\n  : : broken yaml [\n", encoding="utf-8")
        time.sleep(3)
        assert process.poll() is None, "the server stopped on a broken record"
        branch_yaml.write_text(good.replace("name:", "name: 热重载", 1), encoding="utf-8")
        _wait_for(url + PAGE, "热重载")
