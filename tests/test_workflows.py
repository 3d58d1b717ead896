"""The CI workflows lint clean offline and run the same commands a person runs locally."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((REPO / ".github/workflows").glob("*.yml"))


def _tool(name: str) -> str:
    found = Path(sys.executable).parent / name
    return str(found) if found.exists() else (shutil.which(name) or name)


def test_workflows_match_the_github_schema():
    assert WORKFLOWS
    done = subprocess.run([_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
                           *map(str, WORKFLOWS)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_workflows_pass_zizmor_offline():
    done = subprocess.run([_tool("zizmor"), "--offline", str(REPO / ".github/workflows")],
                          capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr


def test_pull_request_workflow_is_read_only_and_uses_zhibu():
    text = (REPO / ".github/workflows/check.yml").read_text(encoding="utf-8")
    assert "pull_request_target" not in text
    assert "contents: read" in text
    assert "zhibu check" in text and "--format github" in text
