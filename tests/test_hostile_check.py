"""Hostile values where the schemas refuse them: the check answers with coded problems, never a crash."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from recordedits import set_cell

from generator.pipeline import run_check

BRANCH = "records/gongcheng/gongcheng-js1"
SCRIPT = "<script>alert(1)</script>"


def _yaml(root: Path, rel: str, change) -> None:
    data = yaml.safe_load((root / rel).read_text(encoding="utf-8"))
    change(data)
    (root / rel).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _raw(root: Path, rel: str, old: str, new: str) -> None:
    text = (root / rel).read_text(encoding="utf-8")
    assert old in text
    (root / rel).write_text(text.replace(old, new, 1), encoding="utf-8")


CASES = {  # name → (change, path of the problem, row or None)
    "topic-10000-characters": (lambda r: set_cell(r, "meetings", 2, "topic", "长" * 10_000), "meetings.csv", 2),
    "meeting-kind-markup": (lambda r: set_cell(r, "meetings", 3, "kind", '<img src=x onerror="alert(1)">'),
                            "meetings.csv", 3),
    "category-template": (lambda r: set_cell(r, "members", 2, "category", "{{ 7*7 }}"), "members.csv", 2),
    "member-id-traversal": (lambda r: set_cell(r, "study", 2, "member", "../../x"), "study.csv", 2),
    "member-id-rtl-zero-width": (lambda r: set_cell(r, "study", 2, "member", "pa00\u202e00\u200b01"), "study.csv", 2),
    "expected-formula": (lambda r: set_cell(r, "meetings", 2, "expected", "=1+1"), "meetings.csv", 2),
    "date-markup": (lambda r: set_cell(r, "meetings", 2, "date", "2025-01-08<script>"), "meetings.csv", 2),
    "header-markup": (lambda r: _raw(r, f"{BRANCH}/study.csv", "member,", f"{SCRIPT},"), "study.csv", None),
    "role-markup": (lambda r: _yaml(r, f"{BRANCH}/branch.yaml",
                                    lambda d: d["committee"]["members"][0].update(role=SCRIPT)), "branch.yaml", None),
    "officer-name-too-long": (lambda r: _yaml(r, f"{BRANCH}/branch.yaml",
                                              lambda d: d["committee"]["members"][0].update(name=SCRIPT * 2)),
                              "branch.yaml", None),
    "group-code-markup": (lambda r: _yaml(r, f"{BRANCH}/branch.yaml", lambda d: d["groups"][0].update(code="`g1`")),
                          "branch.yaml", None),
    "unit-name-10000-characters": (lambda r: _yaml(r, "records/gongcheng/unit.yaml",
                                                   lambda d: d.update(name="x" * 10_000)), "unit.yaml", None),
    "exemption-rule-javascript": (lambda r: _yaml(r, f"{BRANCH}/exemptions.yaml",
                                                  lambda d: d["exemptions"][0].update(rule="javascript:alert(1)")),
                                  "exemptions.yaml", None),
    "exemption-reason-10000": (lambda r: _yaml(r, f"{BRANCH}/exemptions.yaml",
                                               lambda d: d["exemptions"][0].update(reason="理" * 10_000)),
                               "exemptions.yaml", None),
    "yaml-python-tag": (lambda r: _raw(r, f"{BRANCH}/branch.yaml", "name: 工程学院教工第一党支部",
                                       'name: !!python/object/apply:os.system ["touch /tmp/zhibu-pwned"]'),
                        "branch.yaml", None),
    "yaml-template-unquoted": (lambda r: _raw(r, f"{BRANCH}/branch.yaml", "name: 工程学院教工第一党支部",
                                              "name: {{ 7*7 }}"), "branch.yaml", None),
    "yaml-second-document": (lambda r: _raw(r, "records/gongcheng/unit.yaml", "name: 工程学院党委",
                                            "name: 工程学院党委\n---\ncode: evil\nname: <!--"), "unit.yaml", None),
    "csv-control-characters": (lambda r: set_cell(r, "members", 3, "category", "\x1b[2J\x1b]0;x\x07教职工"),
                               "members.csv", 3),
}


def _check(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "--root", str(root), "check", *args],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_value_is_a_coded_problem(make_repo, case):
    change, file, row = CASES[case]
    root = make_repo()
    change(root)
    run = run_check(root)  # in-process: an exception here fails the test with its traceback
    located = [p for p in run.errors if p.path.endswith("/" + file)]
    assert located, [(p.code, p.path, p.row) for p in run.problems]
    assert all(p.code and p.code == p.code.lower() and " " not in p.code for p in run.problems)
    if row is not None:
        assert row in {p.row for p in located}, [(p.code, p.row) for p in located]
    done = _check(root, "--format", "json")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert json.loads(done.stdout)["summary"]["errors"] >= 1
    for fmt in ("text", "github"):
        shown = _check(root, "--format", fmt)
        assert shown.returncode == 1 and "Traceback" not in shown.stderr
        assert not any(ch in shown.stdout for ch in "\x1b\x07\x9b"), f"a control character reached the {fmt} output"
    assert not Path("/tmp/zhibu-pwned").exists()


def test_build_refuses_hostile_invalid_records_and_keeps_the_site(make_repo, tmp_path):
    root = make_repo()
    CASES["topic-10000-characters"][0](root)
    (root / "site").mkdir()
    (root / "site/index.html").write_text("previous", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "generator", "--root", str(root), "build"], capture_output=True,
                          text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert (root / "site/index.html").read_text(encoding="utf-8") == "previous"
