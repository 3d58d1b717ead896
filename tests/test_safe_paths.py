"""Record paths cannot escape the repository or the output folder: each case is a coded problem, never followed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from generator.pipeline import run_check
from generator.records.textfile import MAX_BYTES

BRANCH = "records/gongcheng/gongcheng-js1"


def _fifo(path: Path) -> Path:
    """A named pipe: opening it for reading blocks until a writer comes, so following a link to it hangs."""
    os.mkfifo(path)
    return path


def _outside(root: Path) -> Path:
    folder = root.parent / f"{root.name}-outside"
    folder.mkdir(exist_ok=True)
    return folder


def _rename(root: Path, old: str, new: str) -> None:
    (root / old).rename(root / new)


def _set_yaml(file: Path, **values: object) -> None:
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    data.update(values)
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _link_meetings_outside(root: Path) -> None:
    (root / BRANCH / "meetings.csv").unlink()
    (root / BRANCH / "meetings.csv").symlink_to(_fifo(_outside(root) / "pipe.csv"))


def _link_branch_yaml_outside(root: Path) -> None:
    (root / BRANCH / "branch.yaml").unlink()
    (root / BRANCH / "branch.yaml").symlink_to(_fifo(_outside(root) / "pipe.yaml"))


def _link_unit_yaml_outside(root: Path) -> None:
    (root / "records/gongcheng/unit.yaml").unlink()
    (root / "records/gongcheng/unit.yaml").symlink_to(_fifo(_outside(root) / "unit.yaml"))


def _link_branch_folder_outside(root: Path) -> None:
    outside = _outside(root) / "evil"
    outside.mkdir()
    _fifo(outside / "branch.yaml")
    (root / "records/gongcheng/evil").symlink_to(outside, target_is_directory=True)


def _link_unit_folder_outside(root: Path) -> None:
    outside = _outside(root) / "unit"
    outside.mkdir()
    _fifo(outside / "unit.yaml")
    (root / "records/evil").symlink_to(outside, target_is_directory=True)


def _link_records_outside(root: Path) -> None:
    outside = _outside(root) / "records"
    (root / "records").rename(outside)
    _fifo(outside / "organization.yaml.pipe")
    (outside / "organization.yaml").unlink()
    (outside / "organization.yaml").symlink_to(outside / "organization.yaml.pipe")
    (root / "records").symlink_to(outside, target_is_directory=True)


def _control_name(name: str) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        _fifo(root / BRANCH / name)  # even a pipe: the name alone is enough to refuse it, unread

    return make


def _undecodable_name(root: Path) -> None:
    _fifo(os.fsencode(root / BRANCH) + b"/\xff\xfemeetings.csv")


def _deep_tree(root: Path) -> None:
    deep = root / BRANCH / "d"
    os.makedirs(deep / "/".join(["d"] * 199))
    _fifo(deep / "/".join(["d"] * 199) / "meetings.csv")


def _deep_unit_tree(root: Path) -> None:
    os.makedirs(root / "records/gongcheng/deep" / "/".join(["d"] * 199))


def _huge_file(root: Path) -> None:
    with (root / BRANCH / "meetings.csv").open("r+b") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: NUL bytes that would be an encoding-error if they were read


CASES = {  # name → (change, code, where; a path inside the repository)
    "branch-code-traversal": (lambda r: _set_yaml(r / BRANCH / "branch.yaml", code="../../x"), "code-mismatch",
                              f"{BRANCH}/branch.yaml"),
    "unit-code-traversal": (lambda r: _set_yaml(r / "records/gongcheng/unit.yaml", code="../x"), "code-mismatch",
                            "records/gongcheng/unit.yaml"),
    "branch-folder-uppercase": (lambda r: _rename(r, BRANCH, "records/gongcheng/Gongcheng-JS1"), "invalid-code",
                                "records/gongcheng/Gongcheng-JS1"),
    "branch-folder-space": (lambda r: _rename(r, BRANCH, "records/gongcheng/gongcheng js1"), "invalid-code",
                            "records/gongcheng/gongcheng js1"),
    "unit-folder-dots": (lambda r: _rename(r, "records/gongcheng", "records/..gongcheng"), "invalid-code",
                         "records/..gongcheng"),
    "branch-folder-hidden": (lambda r: _rename(r, BRANCH, "records/gongcheng/.gongcheng-js1"), "invalid-code",
                             "records/gongcheng/.gongcheng-js1"),
    "file-symlink-outside": (_link_meetings_outside, "unsafe-path", f"{BRANCH}/meetings.csv"),
    "branch-yaml-symlink-outside": (_link_branch_yaml_outside, "unsafe-path", f"{BRANCH}/branch.yaml"),
    "unit-yaml-symlink-outside": (_link_unit_yaml_outside, "unsafe-path", "records/gongcheng/unit.yaml"),
    "branch-folder-symlink-outside": (_link_branch_folder_outside, "unsafe-path", "records/gongcheng/evil"),
    "unit-folder-symlink-outside": (_link_unit_folder_outside, "unsafe-path", "records/evil"),
    "records-symlink-outside": (_link_records_outside, "unsafe-path", "records"),
    "name-with-newline": (_control_name("meet\nings.csv"), "unsafe-path", f"{BRANCH}/meet?ings.csv"),
    "name-with-escape": (_control_name("\x1b[2J\x1b]0;x\x07.csv"), "unsafe-path", f"{BRANCH}/?[2J?]0;x?.csv"),
    "name-with-c1-control": (_control_name("a\x9bb.csv"), "unsafe-path", f"{BRANCH}/a?b.csv"),
    "name-not-utf8": (_undecodable_name, "unsafe-path", f"{BRANCH}/??meetings.csv"),
    "deep-tree-in-branch": (_deep_tree, "stray-folder", f"{BRANCH}/d"),
    "deep-tree-in-unit": (_deep_unit_tree, "stray-folder", "records/gongcheng/deep/d"),
    "huge-file": (_huge_file, "file-too-large", f"{BRANCH}/meetings.csv"),
}


def _inside(path: str) -> bool:
    return path == "records" or (path.startswith("records/") and ".." not in path.split("/")
                                 and not os.path.isabs(path))


@pytest.mark.parametrize("case", list(CASES))
def test_unsafe_path_is_a_coded_problem_never_followed(make_repo, case):
    change, code, where = CASES[case]
    root = make_repo()
    change(root)
    # A subprocess with a timeout: following a link to a named pipe would block forever, so it would fail here.
    done = subprocess.run([sys.executable, "-m", "generator", "--root", str(root), "check", "--format", "json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    problems = json.loads(done.stdout)["problems"]
    assert (code, where) in {(p["code"], p["path"]) for p in problems}, problems
    assert all(_inside(p["path"]) for p in problems), [p["path"] for p in problems]
    assert "encoding-error" not in {p["code"] for p in problems}  # nothing was read from the refused file
    text = subprocess.run([sys.executable, "-m", "generator", "--root", str(root), "check"],
                          capture_output=True, text=True, timeout=120)
    assert text.returncode == 1 and "Traceback" not in text.stderr
    assert not any(ch in text.stdout for ch in "\x1b\x07\x9b"), "a control character reached the terminal"


def test_symlink_problem_reported_once(make_repo):
    root = make_repo()
    _link_branch_yaml_outside(root)
    run = run_check(root)
    found = [(p.code, p.path) for p in run.problems if p.path.startswith(f"{BRANCH}/branch.yaml")]
    assert found == [("unsafe-path", f"{BRANCH}/branch.yaml")]


def test_in_tree_symlink_is_refused_too(make_repo):
    """Even a link to another record inside records/ is refused: one file, one place, as Git shows it."""
    root = make_repo()
    (root / BRANCH / "study.csv").unlink()
    (root / BRANCH / "study.csv").symlink_to("members.csv")
    codes = {(p.code, p.path) for p in run_check(root).problems}
    assert ("unsafe-path", f"{BRANCH}/study.csv") in codes


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file() and not p.is_symlink()}


def test_build_writes_only_inside_its_output_folder(tmp_path):
    """Hostile names in the records; afterwards the only new or changed paths are site/… and its lock file."""
    from hostile import make_hostile_project

    project = make_hostile_project(tmp_path / "project")
    before = _snapshot(tmp_path)
    done = subprocess.run([sys.executable, "-m", "generator", "--root", str(project), "build", "--out", "site",
                           "--as-of", "2025-03-31"], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    after = _snapshot(tmp_path)
    changed = {path for path, stamp in after.items() if before.get(path) != stamp}
    assert changed, "the build wrote nothing"
    outside = {p for p in changed if not p.startswith("project/site/") and p != "project/.site.lock"}
    assert outside == set(), outside
    assert {p for p in before if p not in after} == set()  # nothing outside was deleted either
