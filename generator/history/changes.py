"""What changed in the records between two Git refs, in plain Chinese, computed from the record files.

Rows are compared by their primary keys (members, meetings and development by `id`, dues by month and
member); commit messages are never read and member ids never appear in the text. A change whose date lies
on or before `published_until` (the as-of date of the previous release) edits a period that was already
published: it is returned with `amendment=True` so the changes page can call it out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Set
from dataclasses import dataclass, replace
from pathlib import Path

from generator.history.changes_tables import compare_table, read_csv
from generator.history.changes_words import KIND_ORDER, Finding
from generator.history.changes_yaml import UNREADABLE, compare_branch, compare_exemptions, read_yaml
from generator.history.git import Repository, branch_moves
from generator.history.snapshots import Snapshot, changed_paths
from generator.records.load import BRANCH_FILES
from generator.standards.catalogue import load_vocabulary
from generator.standards.vocabulary import Vocabulary


@dataclass(frozen=True)
class Change:
    """One statement about what changed: where, what kind, how many, and the sentence a reader sees."""

    unit: str | None  # unit code, None for college-wide changes
    branch: str | None  # branch code, None for unit- or college-wide changes
    kind: str  # stable identifier, e.g. meetings-added, members-full, committee-elected
    count: int
    text: str  # one Chinese sentence, without member ids
    amendment: bool = False  # edits a period that was already published
    periods: tuple[str, ...] = ()  # months (YYYY-MM) an amendment touches
    where: str = ""  # the branch's name as the text starts with it (for rephrasing, see suppress_small)


def describe_changes(root: Path, old_ref: str, new_ref: str | None = "HEAD",
                     published_until: dt.date | None = None, records: str = "records",
                     vocab: Vocabulary | None = None) -> list[Change]:
    """Changes from `old_ref` to `new_ref` (None: the working tree), ordered: branch by branch, amendments last.

    `vocab` names the values (meeting kinds, stages, branch fields); by default the repository's
    standards/vocabulary.yaml, the one the check and the site of this working tree use.
    """
    repo = Repository.open(root)
    old, new = Snapshot(repo, old_ref), Snapshot(repo, new_ref)
    paths = changed_paths(repo, old_ref, new_ref)
    vocab = vocab or load_vocabulary(root / "standards")
    out: list[Change] = []
    standards = sorted(p for p in paths if p.startswith("standards/"))
    if standards:
        out.append(Change(None, None, "standards-changed", len(standards),
                          f"检查标准更新（{len(standards)} 个文件）：今后的检查结果按新标准计算"))
    if f"{records}/organization.yaml" in paths:
        out.append(Change(None, None, "organization-changed", 1, "学院党委的设置（organization.yaml）有更新"))
    # A branch folder moved to another unit or renamed is one branch, compared old folder → new folder.
    moves, _ = branch_moves(root, old_ref, new_ref, records)
    moved = {folder for pair in moves for folder in pair}
    units = sorted({p.split("/")[1] for p in paths if p.startswith(f"{records}/") and p.count("/") >= 2})
    for unit in units:
        out += _unit_changes(old, new, f"{records}/{unit}", unit, paths, published_until, vocab, moved)
    for old_folder, new_folder in moves:
        out += _moved_branch(old, new, old_folder, new_folder, published_until, vocab)
    return sorted(out, key=lambda c: (c.amendment, c.unit or "", c.branch or "", KIND_ORDER.get(c.kind, 99),
                                      c.text))


OVERVIEW = (("branch-added", "新增 {n} 个支部"), ("branch-removed", "删除 {n} 个支部文件夹"),
            ("meetings-added", "新增 {n} 次会议"), ("members-added", "名册新增 {n} 名党员"),
            ("members-full", "{n} 名党员转为正式党员"), ("members-left", "{n} 名党员离开原支部"),
            ("committee-elected", "{n} 个支部委员会换届或成立"), ("development-added", "新增 {n} 名入党申请人"),
            ("dues-added", "登记 {n} 条党费记录"), ("study-added", "新增 {n} 条学习记录"))


def suppress_small(changes: list[Change], min_cell_size: int) -> list[Change]:
    """The site's small-count rule for the member-development pipeline (whose branch tables show "<5"):
    a development change about fewer than `min_cell_size` people is stated without its numbers."""
    out = []
    for c in changes:
        if c.kind.startswith("development-") and 0 < c.count < min_cell_size and c.where:
            what = "已发布时段内的发展党员记录有补录或更正" if c.amendment else "发展党员记录有更新"
            months = f"；{'、'.join(c.periods)}" if c.periods else ""
            c = replace(c, text=f"{c.where}：{what}（涉及人数少于 {min_cell_size}，不显示具体数字{months}）")
        out.append(c)
    return out


def overview(changes: list[Change], min_cell_size: int = 0) -> str | None:
    """One sentence of college-wide totals, e.g. 共 24 个支部的记录有变动：新增 312 次会议，…。"""
    normal = [c for c in changes if not c.amendment]
    totals = {kind: sum(c.count for c in normal if c.kind == kind) for kind, _ in OVERVIEW}
    # A total over branches whose own numbers are suppressed would give them away: no total then.
    hidden = {c.kind for c in normal if c.kind.startswith("development-") and 0 < c.count < min_cell_size}
    parts = [f"有新的入党申请人（部分支部人数少于 {min_cell_size}，不显示合计）" if kind in hidden
             else text.format(n=totals[kind]) for kind, text in OVERVIEW if any(c.kind == kind for c in normal)]
    amended = {c.branch for c in changes if c.amendment}
    if amended:
        parts.append(f"{len(amended)} 个支部修改了已发布时段的记录")
    branches = {c.branch for c in changes if c.branch}
    if not parts:
        return None
    return f"共 {len(branches)} 个支部的记录有变动：" + "，".join(parts) + "。"


def summary_lines(changes: list[Change]) -> list[str]:
    """Markdown lines for a summary: the changes, then the amendments to published periods under a heading."""
    if not changes:
        return ["记录没有变动。"]
    lines = [f"- {c.text}" for c in changes if not c.amendment]
    amended = [f"- {c.text}" for c in changes if c.amendment]
    if amended:
        if lines:
            lines.append("")
        lines += ["**修改了已经发布的时段**（这些时段的数据此前已公开，现被补录、更正或删除）：", "", *amended]
    return lines


def _unit_changes(old: Snapshot, new: Snapshot, folder: str, unit: str, paths: list[str],
                  until: dt.date | None, vocab: Vocabulary, moved: Set[str] = frozenset()) -> list[Change]:
    out: list[Change] = []
    unit_name = _name(new, old, f"{folder}/unit.yaml") or unit
    unit_file = f"{folder}/unit.yaml"
    if unit_file in paths:
        before, after = old.exists(unit_file), new.exists(unit_file)
        if not before:
            out.append(Change(unit, None, "unit-added", 1, f"新增单位：{unit_name}"))
        elif not after:
            out.append(Change(unit, None, "unit-removed", 1, f"撤销单位：{unit_name}"))
        else:
            out.append(Change(unit, None, "unit-changed", 1, f"{unit_name}：单位信息有更新"))
    branches = sorted({p.split("/")[2] for p in paths if p.startswith(folder + "/") and p.count("/") >= 3})
    for code in branches:
        if f"{folder}/{code}" not in moved:
            out += _branch_changes(old, new, f"{folder}/{code}", unit, code, until, vocab)
    return out


def _moved_branch(old: Snapshot, new: Snapshot, old_folder: str, new_folder: str,
                  until: dt.date | None, vocab: Vocabulary) -> list[Change]:
    """A branch whose folder moved to another unit (code kept) or was renamed (code changed)."""
    records, old_unit, old_code = old_folder.split("/")
    _, unit, code = new_folder.split("/")
    name = _name(new, old, f"{new_folder}/branch.yaml") or code
    if old_code != code:
        head = Change(unit, code, "branch-renamed", 1, f"{name}：支部代码由 {old_code} 改为 {code}（文件夹改名）")
    else:
        before = _name(old, new, f"{records}/{old_unit}/unit.yaml") or old_unit
        after = _name(new, old, f"{records}/{unit}/unit.yaml") or unit
        head = Change(unit, code, "branch-moved", 1, f"{name}：由{before}调整到{after}")
    return [head, *_branch_changes(old, new, new_folder, unit, code, until, vocab, old_folder)]


def _branch_changes(old: Snapshot, new: Snapshot, folder: str, unit: str, code: str,
                    until: dt.date | None, vocab: Vocabulary, old_folder: str | None = None) -> list[Change]:
    name = _name(new, old, f"{folder}/branch.yaml") or code
    before = {f: old.read(f"{old_folder or folder}/{f}") for f in sorted(BRANCH_FILES)}
    after = {f: new.read(f"{folder}/{f}") for f in sorted(BRANCH_FILES)}
    if all(v is None for v in before.values()) and all(v is None for v in after.values()):
        return []
    if all(v is None for v in before.values()):
        members = read_csv(after.get("members.csv"))
        size = f"（名册 {len(members.rows)} 人）" if members.ok else ""
        return [Change(unit, code, "branch-added", 1, f"新增支部：{name}{size}")]
    if all(v is None for v in after.values()):
        return [Change(unit, code, "branch-removed", 1, f"支部文件夹已删除：{name}")]
    findings: list[Finding] = []
    for file in sorted(BRANCH_FILES):
        if before[file] == after[file]:
            continue
        if file.endswith(".csv"):
            old_rows, new_rows = read_csv(before[file]), read_csv(after[file])
            if not (old_rows.ok and new_rows.ok):
                findings.append(Finding("unreadable", 1, f"{file} 无法解析，变动未能统计"))
                continue
            findings += compare_table(file[:-4], old_rows, new_rows, until, vocab)
        else:
            old_doc, new_doc = read_yaml(before[file]), read_yaml(after[file])
            if old_doc is UNREADABLE or new_doc is UNREADABLE:
                findings.append(Finding("unreadable", 1, f"{file} 无法解析，变动未能统计"))
            elif file == "branch.yaml":
                findings += compare_branch(old_doc, new_doc, until, vocab)
            else:
                findings += compare_exemptions(old_doc, new_doc, until)
    return [Change(unit, code, f.kind, f.count, f"{name}：{f.text}", f.amendment, f.periods, name) for f in findings]


def _name(new: Snapshot, old: Snapshot, path: str) -> str | None:
    for snap in (new, old):
        doc = read_yaml(snap.read(path))
        if isinstance(doc, dict) and isinstance(doc.get("name"), str) and doc["name"].strip():
            return " ".join(doc["name"].split())
    return None
