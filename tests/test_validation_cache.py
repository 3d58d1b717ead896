"""The validation cache: a second check of unchanged files runs no table check, and never answers otherwise
than a fresh check (one byte changed, a schema changed, an entry damaged)."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path

import pytest
from sitehelpers import copy_project

from generator.demo.college import generate
from generator.pipeline import run_check
from generator.records.load import load
from generator.standards.catalogue import load_standards
from generator.validation import cache as cache_module
from generator.validation.cache import ValidationCache
from generator.validation.validate import start_validation

AS_OF = dt.date(2025, 6, 30)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ZHIBU_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("ZHIBU_JOBS", "1")
    generate(tmp_path / "records", seed=5, branches=3, as_of=AS_OF)
    return copy_project(tmp_path / "repo", tmp_path / "records")


def _answer(root: Path) -> tuple[list[dict], list]:
    run = run_check(root, as_of=AS_OF)
    return [p.as_dict() for p in run.problems], run.results


def _fresh(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[dict], list]:
    with monkeypatch.context() as patch:
        patch.setenv("ZHIBU_CACHE", "off")
        return _answer(root)


def _tables_checked(root: Path) -> int:
    """How many branches' tables a check of `root` would hand to Frictionless, the cache being consulted."""
    standards = load_standards(root / "standards")
    cache = ValidationCache.configured(standards)
    assert cache is not None
    pending = start_validation(load(root), standards, cache=cache)
    pending.result()
    return pending.fresh


def _entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache").rglob("*.json"))


def _edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_second_check_of_unchanged_files_checks_no_table(project, tmp_path):
    assert _tables_checked(project) == 3
    assert len(_entries(tmp_path)) == 3  # one entry per branch
    assert _tables_checked(project) == 0


def test_one_byte_changed_is_checked_again_and_answers_as_a_fresh_check(project, tmp_path, monkeypatch):
    first = _answer(project)
    assert first == _answer(project)  # from the cache
    meetings = sorted((project / "records").glob("*/*/meetings.csv"))[0]
    line = meetings.read_text(encoding="utf-8").splitlines()[2]
    cells = line.split(",")
    broken = ",".join([cells[0], cells[1][:-1] + "x", *cells[2:]])  # one byte: the date is no longer a date
    _edit(meetings, line, broken)
    assert _tables_checked(project) == 1  # the changed branch only
    cached = _answer(project)
    assert cached == _fresh(project, monkeypatch)
    assert [(p["code"], p["row"]) for p in cached[0] if p["path"].endswith("meetings.csv")] == [("type-error", 3)]
    _edit(meetings, broken, line)  # and back: the first answer again
    assert _tables_checked(project) == 0
    assert _answer(project) == first


def test_a_changed_schema_is_a_new_key(project, monkeypatch):
    before = _answer(project)
    assert not before[0]
    schema = project / "standards/schemas/meetings.schema.json"
    descriptor = json.loads(schema.read_text(encoding="utf-8"))
    topic = next(item for item in descriptor["fields"] if item["name"] == "topic")
    topic.setdefault("constraints", {})["maxLength"] = 3  # every demo topic is longer
    schema.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    assert _tables_checked(project) == 3
    after = _answer(project)
    assert after == _fresh(project, monkeypatch)
    assert any(p["code"] == "constraint-error" and p["field"] == "topic" for p in after[0])


def test_a_damaged_entry_is_ignored_and_written_again(project, tmp_path, monkeypatch):
    members = sorted((project / "records").glob("*/*/members.csv"))[0]
    lines = members.read_text(encoding="utf-8").splitlines(keepends=True)
    members.write_text("".join([*lines, lines[1]]), encoding="utf-8")  # a repeated id: a primary-key error
    truth = _fresh(project, monkeypatch)
    assert any(p["code"] == "primary-key" for p in truth[0])
    assert _answer(project) == truth
    entries = _entries(tmp_path)
    damaged = next(e for e in entries if "primary-key" in e.read_text(encoding="utf-8"))
    other = next(e for e in entries if e != damaged)
    whole = damaged.read_text(encoding="utf-8")
    edited = json.loads(whole)
    edited["body"]["problems"] = []  # the problem taken out: the entry's own check no longer matches
    for damage in (whole[: len(whole) // 2], "\udcff not json", json.dumps(edited),
                   other.read_text(encoding="utf-8")):  # cut short, garbage, edited, another branch's entry
        damaged.write_text(damage, encoding="utf-8", errors="surrogateescape")
        assert _tables_checked(project) == 1
        assert damaged.read_text(encoding="utf-8") == whole  # written again, whole
    damaged.write_text(json.dumps(edited), encoding="utf-8")
    assert _answer(project) == truth


def test_off_writes_nothing(project, tmp_path, monkeypatch):
    monkeypatch.setenv("ZHIBU_CACHE", "off")
    _answer(project)
    assert not (tmp_path / "cache").exists()


def _age(entries: list[Path], days: float) -> None:
    then = time.time() - days * 86400
    for entry in entries:
        os.utime(entry, (then, then))


def _scan_now(tmp_path: Path) -> None:
    """The next run scans the folder (it is scanned at most every SCAN_EVERY seconds)."""
    (tmp_path / "cache" / cache_module.SCANNED).unlink(missing_ok=True)


def test_entries_no_recent_run_used_are_pruned(project, tmp_path, monkeypatch):
    monkeypatch.setattr(cache_module, "KEEP_RUNS", 2)
    first = _answer(project)
    old = _entries(tmp_path)
    meetings = sorted((project / "records").glob("*/*/meetings.csv"))[0]
    _edit(meetings, "\n", "\n\n")  # a blank row in one branch: that branch gets a new entry
    assert _tables_checked(project) == 1
    assert len(_entries(tmp_path)) == 4  # the old entry of the changed branch stays for now
    _age(_entries(tmp_path), days=30)  # nobody used any entry for a month ...
    _scan_now(tmp_path)
    assert _tables_checked(project) == 0  # ... but this run, the last of two, used the four it needs
    assert len(_entries(tmp_path)) == 3  # the changed branch's old entry is gone, no other
    assert [e for e in old if e.exists()] == [e for e in _entries(tmp_path) if e in old]
    _edit(meetings, "\n\n", "\n")
    assert _tables_checked(project) == 1  # its old entry was pruned: checked afresh, and answers as before
    assert _answer(project) == first == _fresh(project, monkeypatch)


def test_recent_entries_outlive_many_narrowed_runs(project, tmp_path, monkeypatch):
    monkeypatch.setattr(cache_module, "KEEP_RUNS", 2)
    _answer(project)
    entries = _entries(tmp_path)
    _age(entries, days=3)  # used three days ago, not by the last runs
    for _ in range(3):
        _scan_now(tmp_path)
        assert _tables_checked(project) == 0
    _age(entries, days=3)
    for _ in range(3):  # runs that read no entry (a check of one branch's YAML, say) leave them too
        _scan_now(tmp_path)
        ValidationCache.configured(load_standards(project / "standards")).prune()  # type: ignore[union-attr]
    assert _entries(tmp_path) == entries


def test_the_least_recently_used_go_beyond_the_size_bound(project, tmp_path, monkeypatch):
    monkeypatch.setattr(cache_module, "KEEP_RUNS", 1)  # only the last run counts: entries stay by age alone
    _answer(project)
    entries = _entries(tmp_path)
    for days, entry in enumerate(entries):
        _age([entry], days=days + 1)  # the first entry was used last
    stray = tmp_path / "cache" / "ab" / "half-written.tmp"
    stray.parent.mkdir(exist_ok=True)
    stray.write_text("{", encoding="utf-8")
    _age([stray], days=60)
    unrelated = tmp_path / "cache" / "notes.txt"  # not an entry: never removed
    unrelated.write_text("mine", encoding="utf-8")
    _age([unrelated], days=60)
    monkeypatch.setattr(cache_module, "MAX_BYTES", sum(e.stat().st_size for e in entries[:2]))
    cache = ValidationCache.configured(load_standards(project / "standards"))
    assert cache is not None
    _scan_now(tmp_path)  # the check above scanned a moment ago
    assert cache.prune() == 2  # the stray temporary file (by age) and the least recently used entry (by size)
    assert _entries(tmp_path) == entries[:2]
    assert not stray.exists() and unrelated.exists()
    assert cache.prune() == 0  # scanned a moment ago: not again
    assert _tables_checked(project) == 1  # the pruned branch is checked afresh
