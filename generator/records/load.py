"""Load stage: walk records/ safely and read every file as text, CSV rows or YAML data."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.problems.catalogue import Problem, make
from generator.records import personal
from generator.records.control import CONTROL_OR_UNDECODABLE
from generator.records.textfile import CsvTable, content_digest, parse_csv, read_text
from generator.records.yamlfile import Lines, load_yaml

CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
TABLES = ("members", "meetings", "dues", "development", "study", "elections", "absences", "rectification",
          "appraisal")
REQUIRED_TABLES = ("members", "meetings")
BRANCH_FILES = {"branch.yaml", "exemptions.yaml", *(f"{name}.csv" for name in TABLES)}
TOP_FILES = {"organization.yaml", "README.md", ".gitkeep"}


def _symlink(path: str) -> Problem:
    return make("unsafe-path", path, detail="符号链接（symlink）不被跟随",
                detail_en="a symbolic link is never followed")


@dataclass
class YamlDoc:
    path: str
    data: Any
    lines: Lines = field(default_factory=dict)
    text: str = ""  # as written: comments and keys are screened for personal data too


@dataclass
class BranchFiles:
    code: str
    unit: str
    path: str  # folder, relative to the repository root
    branch: YamlDoc | None = None
    exemptions: YamlDoc | None = None
    tables: dict[str, CsvTable] = field(default_factory=dict)


@dataclass
class RawRecords:
    root: Path
    organization: YamlDoc | None = None
    units: dict[str, YamlDoc] = field(default_factory=dict)
    branches: list[BranchFiles] = field(default_factory=list)
    all_branches: dict[str, str] = field(default_factory=dict)  # code -> folder, listed even if not read
    unread_units: list[str] = field(default_factory=list)  # unit folders whose unit.yaml a narrowed load skipped
    problems: list[Problem] = field(default_factory=list)
    releasable: bool = False  # the tables keep their text packed and their rows only while used (see load)


def load(root: Path, records: str = "records", select: list[str] | None = None,
         narrow_units: bool = False, releasable: bool = False) -> RawRecords:
    """Read the records tree; `select` (folder prefixes) limits which branches are read; all are listed.

    With `narrow_units` only the unit.yaml of units holding a selected branch is read (a narrowed check:
    parsing 750 unit.yaml files costs 0.4 s at 6,000 branches); the others are listed in `unread_units`.
    With `releasable` each table keeps its text compressed and lets its rows go once parsed (their problems
    found): the rows are parsed again where they are used, a branch at a time (CsvTable; a check's memory)."""
    raw = RawRecords(root=root, releasable=releasable)
    base = root / records
    if base.is_symlink():  # the whole ledger somewhere else: read nothing
        raw.problems.append(_symlink(records))
        return raw
    organization = base / "organization.yaml"
    raw.organization = _read_yaml(organization, f"{records}/organization.yaml", raw.problems)
    if not (organization.exists() or organization.is_symlink()):
        raw.problems.append(make("organization-yaml-missing", f"{records}/organization.yaml"))
    for entry in _entries(base, records, raw.problems):
        rel = f"{records}/{entry.name}"
        if entry.is_file():
            if entry.name not in TOP_FILES:
                raw.problems.append(make("stray-file", rel, name=entry.name))
        elif _code_ok(entry.name, rel, raw.problems):
            _load_unit(Path(entry.path), rel, entry.name, raw, select, narrow_units)
    return raw


def _load_unit(folder: Path, rel: str, unit: str, raw: RawRecords, select: list[str] | None,
               narrow_units: bool = False) -> None:
    if _empty(folder):
        raw.problems.append(make("empty-folder", rel, name=unit, level="单位", needed="unit.yaml 和各支部文件夹",
                                 level_en="unit", needed_en="unit.yaml and its branch folders"))
        return
    if narrow_units and select is not None and not any(prefix.startswith(f"{rel}/") for prefix in select) \
            and (folder / "unit.yaml").is_file() and not (folder / "unit.yaml").is_symlink():
        raw.unread_units.append(rel)
        doc = None
    else:
        doc = _read_yaml(folder / "unit.yaml", f"{rel}/unit.yaml", raw.problems)
    if doc is not None:
        raw.units[unit] = doc
    elif not (folder / "unit.yaml").exists() and not (folder / "unit.yaml").is_symlink():
        raw.problems.append(make("unit-yaml-missing", f"{rel}/unit.yaml"))
    for entry in _entries(folder, rel, raw.problems):
        child = f"{rel}/{entry.name}"
        if entry.is_file():
            if entry.name != "unit.yaml":
                raw.problems.append(make("stray-file", child, name=entry.name))
            continue
        if not _code_ok(entry.name, child, raw.problems):
            continue
        if entry.name in raw.all_branches:
            raw.problems.append(make("duplicate-code", f"{child}/branch.yaml", field="code", branch=entry.name,
                                     code=entry.name, other=raw.all_branches[entry.name]))
            continue
        raw.all_branches[entry.name] = child
        if select is None or any(f"{child}/".startswith(prefix) for prefix in select):
            raw.branches.append(_load_branch(Path(entry.path), child, unit, entry.name, raw.problems,
                                             raw.releasable))


def _load_branch(folder: Path, rel: str, unit: str, code: str, problems: list[Problem],
                 releasable: bool = False) -> BranchFiles:
    files = BranchFiles(code=code, unit=unit, path=rel)
    if _empty(folder):
        problems.append(make("empty-folder", rel, branch=code, name=code, level="支部",
                             needed="branch.yaml、members.csv、meetings.csv", level_en="branch",
                             needed_en="branch.yaml, members.csv, meetings.csv"))
        return files
    names = set()
    for entry in _entries(folder, rel, problems):
        if entry.is_dir(follow_symlinks=False):  # never walked: a deep tree costs one problem, not a descent
            problems.append(make("stray-folder", f"{rel}/{entry.name}", name=entry.name, branch=code))
        elif entry.is_file() and entry.name in BRANCH_FILES:
            names.add(entry.name)
        else:
            problems.append(make("stray-file", f"{rel}/{entry.name}", name=entry.name, branch=code))
    before = len(problems)
    if "branch.yaml" in names:
        files.branch = _read_yaml(folder / "branch.yaml", f"{rel}/branch.yaml", problems)
    elif not (folder / "branch.yaml").is_symlink():  # a symlink was reported as unsafe-path already
        problems.append(make("branch-yaml-missing", f"{rel}/branch.yaml", branch=code))
    if "exemptions.yaml" in names:
        files.exemptions = _read_yaml(folder / "exemptions.yaml", f"{rel}/exemptions.yaml", problems)
    for name in TABLES:
        file_rel = f"{rel}/{name}.csv"
        if f"{name}.csv" not in names:
            if name in REQUIRED_TABLES and not (folder / f"{name}.csv").is_symlink():
                problems.append(make("missing-file", file_rel, name=f"{name}.csv"))
            continue
        text, found = read_text(folder / f"{name}.csv", file_rel)
        problems.extend(found)
        if text is not None:
            table, found = parse_csv(text, file_rel)
            problems.extend(found)
            if table is not None:
                table.digest = content_digest(text)
                if releasable:  # its rows are read again where they are used (validation, ledger)
                    table.pack(text)
                    table.release()
                files.tables[name] = table
    for index in range(before, len(problems)):
        if problems[index].branch is None:
            problems[index] = _with_branch(problems[index], code)
    return files


def _empty(folder: Path) -> bool:
    """True for a folder with nothing in it but .gitkeep (how Git keeps a folder): one problem, not one per file."""
    try:
        with os.scandir(folder) as scan:
            return all(entry.name == ".gitkeep" for entry in scan)
    except OSError:
        return False


def _with_branch(problem: Problem, code: str) -> Problem:
    from dataclasses import replace

    return replace(problem, branch=code)


def _read_yaml(file: Path, rel: str, problems: list[Problem]) -> YamlDoc | None:
    if file.is_symlink() or not file.is_file():  # a symlink is reported where its folder is listed (_entries)
        return None
    text, found = read_text(file, rel)
    problems.extend(found)
    if text is None:
        return None
    data, lines, found = load_yaml(text, rel)
    problems.extend(found)
    if found:  # unreadable: its text is still screened (a readable file is screened with its keys in validate)
        problems.extend(personal_in_text(text, rel))
        return None
    return YamlDoc(path=rel, data=data, lines=lines, text=text)


def personal_in_text(text: str, rel: str, field_at: dict[int, str] | None = None) -> list[Problem]:
    """A personal-data problem for each find in a file's text, on its line (a comment, a key, a value)."""
    return [make("personal-data", rel, line, (field_at or {}).get(line), kind=personal.KINDS[kind][0],
                 kind_en=personal.KINDS[kind][1], masked=masked) for line, kind, masked in personal.in_lines(text)]


def _entries(folder: Path, rel: str, problems: list[Problem]) -> list[os.DirEntry]:
    """Directory entries sorted by name; symlinks and names with control characters are refused."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError:
        return []
    kept = []
    for entry in entries:
        shown = CONTROL_OR_UNDECODABLE.sub("?", entry.name)
        private = list(personal.find(entry.name))
        if private:  # never read: its name would be quoted in problems, pages and addresses
            kind, masked = private[0]
            problems.append(make("personal-data", rel, kind=personal.KINDS[kind][0], kind_en=personal.KINDS[kind][1],
                                 masked=masked, where=f"，在文件或文件夹名“{personal.quote(shown)}”中；它未被读取",
                                 where_en=f" in the name '{personal.quote(shown)}'; not read"))
        elif entry.is_symlink():
            problems.append(_symlink(f"{rel}/{shown}"))
        elif CONTROL_OR_UNDECODABLE.search(entry.name):
            problems.append(make("unsafe-path", f"{rel}/{shown}", detail="文件名含控制字符或不是有效的 UTF-8",
                                 detail_en="the name holds control characters or is not valid UTF-8"))
        elif entry.name.startswith(".") and entry.name != ".gitkeep" and not entry.is_dir(follow_symlinks=False):
            continue  # hidden files (.DS_Store …) are neither read nor published; a hidden folder is reported
        else:
            kept.append(entry)
    return kept


def _code_ok(name: str, rel: str, problems: list[Problem]) -> bool:
    if CODE.match(name):
        return True
    problems.append(make("invalid-code", rel, name=name))
    return False
