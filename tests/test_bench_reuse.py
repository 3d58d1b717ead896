"""`make bench REPO=DIR` reuses a generated college, with this checkout's standards (bench_scale.refresh)."""

from __future__ import annotations

from pathlib import Path

from conftest import VALID_RECORDS
from sitehelpers import REPO

from generator.demo import bench, bench_scale
from generator.history.git import Repository


def _same_tree(a: Path, b: Path) -> bool:
    files = {p.relative_to(a): p.read_bytes() for p in a.rglob("*") if p.is_file()}
    return files == {p.relative_to(b): p.read_bytes() for p in b.rglob("*") if p.is_file()}


def test_a_reused_college_gets_the_standards_of_this_checkout(tmp_path, capsys):
    root = bench._project(tmp_path / "college", VALID_RECORDS)
    repo = Repository.open(root)
    schema = root / "standards/schemas/meetings.schema.json"
    schema.write_text(schema.read_text(encoding="utf-8").replace('"maxLength": 200', '"maxLength": 3'),
                      encoding="utf-8")
    (root / "standards/old-rules.yaml").write_text("rules: []\n", encoding="utf-8")  # gone from the checkout
    repo.run("add", "-A")
    repo.run("commit", "-qm", "older standards")
    records = {p: p.read_bytes() for p in (root / "records").rglob("*") if p.is_file()}

    assert bench_scale.project(root, 3) == root
    assert "committed" in capsys.readouterr().out
    assert _same_tree(root / "standards", REPO / "standards")
    assert {p: p.read_bytes() for p in (root / "records").rglob("*") if p.is_file()} == records  # records kept
    assert repo.run("status", "--porcelain") == ""  # committed: --since HEAD sees only the branch it changes
    assert repo.run("log", "-1", "--format=%s").startswith("standards of ")

    bench_scale.project(root, 3)  # nothing changed since: no new commit
    assert repo.run("rev-list", "--count", "HEAD") == "3"
