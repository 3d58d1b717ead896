"""Compare the old and new version of one branch's record files, row by primary key, into plain findings."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from generator.textfile import parse_csv
from generator.yamlfile import load_yaml

UNREADABLE = object()  # a file that could not be decoded or parsed
KEYS = {"members": ("id",), "meetings": ("id",), "dues": ("month", "member"), "development": ("id",)}
MEETING_KINDS = ("党员大会", "支委会", "党小组会", "党课", "主题党日", "组织生活会", "民主评议党员")
STAGES = (("talked_on", "谈话"), ("activist_on", "列为入党积极分子"), ("target_on", "列为发展对象"),
          ("admitted_on", "接收为预备党员"), ("full_on", "转为正式党员"))
BRANCH_FIELDS = {"name": "名称", "type": "类型", "founded_on": "成立日期", "groups": "党小组", "secretary": "书记",
                 "maintainers": "维护人", "covered_units": "覆盖单位", "code": "代码"}
KIND_ORDER = {k: i for i, k in enumerate((
    "branch-added", "branch-removed", "committee-elected", "committee-changed", "branch-changed",
    "meetings-added", "meetings-removed", "meetings-changed", "members-added", "members-full", "members-left",
    "members-changed", "members-removed", "development-added", "development-advanced", "development-changed",
    "development-removed", "dues-added", "dues-changed", "dues-removed", "study-added", "study-removed",
    "exemptions-added", "exemptions-changed", "exemptions-removed", "unreadable"))}


TEXTS = {  # kind: (ordinary change, change inside an already published period)
    "meetings-added": ("新增 {n} 次会议（{labels}）",
                       "补录 {n} 次已发布时段内的会议（{labels}；{months}）"),
    "meetings-removed": ("删除 {n} 次会议记录",
                         "删除 {n} 次已发布的会议记录（{months}）"),
    "meetings-changed": ("更正 {n} 次会议的记录",
                         "更正 {n} 次已发布会议的记录（{months}）"),
    "members-added": ("名册新增 {n} 名党员",
                      "补录 {n} 名在已发布时段内已加入本支部的党员（{months}）"),
    "members-full": ("{n} 名党员转为正式党员",
                     "补记 {n} 名党员转为正式党员，转正日期在已发布时段内（{months}）"),
    "members-left": ("{n} 名党员离开本支部",
                     "补记 {n} 名党员离开本支部，日期在已发布时段内（{months}）"),
    "members-changed": ("党员名册 {n} 处信息变动",
                        "更正 {n} 名党员在已发布时段内的名册信息（{months}）"),
    "members-removed": ("名册删除 {n} 条记录",
                        "名册删除 {n} 条已发布的党员记录"),
    "dues-added": ("登记 {n} 条党费记录",
                   "补录 {n} 条已发布月份的党费记录（{months}）"),
    "dues-changed": ("{n} 条党费记录更新（补交或更正）",
                     "更正 {n} 条已发布月份的党费记录（{months}）"),
    "dues-removed": ("删除 {n} 条党费记录",
                     "删除 {n} 条已发布月份的党费记录（{months}）"),
    "development-added": ("新增 {n} 名入党申请人",
                          "补录 {n} 名已发布时段内的入党申请人（{months}）"),
    "development-advanced": ("发展党员：{n} 人进入新阶段（{labels}）",
                             "发展党员：补记 {n} 人在已发布时段内进入新阶段（{labels}；{months}）"),
    "development-changed": ("更正 {n} 条发展党员记录",
                            "更正 {n} 条已发布时段内的发展党员记录（{months}）"),
    "development-removed": ("删除 {n} 条发展党员记录",
                            "删除 {n} 条已发布的发展党员记录（{months}）"),
    "study-added": ("新增 {n} 条学习记录",
                    "补录 {n} 条已发布时段内的学习记录（{months}）"),
    "study-removed": ("删除 {n} 条学习记录",
                      "删除 {n} 条已发布时段内的学习记录（{months}）"),
    "committee-changed": ("更正支部委员会的选举日期",
                          "更正支部委员会的选举日期（{months}）"),
    "exemptions-added": ("新增 {n} 项豁免",
                         "新增 {n} 项涉及已发布时段的豁免（{months}）"),
    "exemptions-changed": ("修改 {n} 项豁免",
                           "修改 {n} 项涉及已发布时段的豁免（{months}）"),
    "exemptions-removed": ("撤销 {n} 项豁免",
                           "撤销 {n} 项涉及已发布时段的豁免（{months}）"),
}


@dataclass
class Rows:
    ok: bool = True
    rows: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Finding:
    """A change inside one branch, before the branch's name is put in front of it."""

    kind: str
    count: int
    text: str
    amendment: bool = False
    periods: tuple[str, ...] = ()


def read_csv(data: bytes | None) -> Rows:
    """Rows as dicts by header; a missing file has no rows; undecodable or unparsable text is not ok."""
    if data is None:
        return Rows()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Rows(ok=False)
    table, problems = parse_csv(text, "")
    if table is None or problems:
        return Rows(ok=False)
    return Rows(rows=[dict(zip(table.header, row, strict=False)) for row in table.rows if any(c.strip() for c in row)])


def read_yaml(data: bytes | None) -> Any:
    if data is None:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return UNREADABLE
    doc, _, problems = load_yaml(text, "")
    return UNREADABLE if problems else doc


def day(value: object) -> dt.date | None:
    """A record date (YYYY-MM-DD) or month (YYYY-MM, its first day); None when empty or malformed."""
    text = str(value or "").strip()
    try:
        return dt.date.fromisoformat(text + "-01" if len(text) == 7 else text)
    except ValueError:
        return None


class Tally:
    """Collects events of one kind, split into ordinary ones and those that fall into published periods."""

    def __init__(self, published_until: dt.date | None) -> None:
        self.until = published_until
        self.normal: list[tuple[dt.date | None, str]] = []
        self.amended: list[tuple[dt.date | None, str]] = []

    def add(self, when: dt.date | None, label: str = "") -> None:
        late = when is not None and self.until is not None and when <= self.until
        (self.amended if late else self.normal).append((when, label))

    def findings(self, kind: str, normal: str | None = None, amended: str | None = None) -> list[Finding]:
        """TEXTS[kind] (or the texts given) with {n}, {labels} (label counts) and {months} filled in."""
        if normal is None or amended is None:
            normal, amended = TEXTS[kind]
        out = []
        for events, template, late in ((self.normal, normal, False), (self.amended, amended, True)):
            if not events:
                continue
            months = tuple(sorted({w.isoformat()[:7] for w, _ in events if w is not None}))
            text = template.format(n=len(events), labels=_labels([label for _, label in events]),
                                   months="、".join(months))
            out.append(Finding(kind, len(events), text, late, months if late else ()))
        return out


def _labels(labels: list[str]) -> str:
    counts = Counter(label for label in labels if label)
    order = {k: i for i, k in enumerate(MEETING_KINDS)}
    return "、".join(f"{k} {n} 次" if k in order else f"{k} {n} 人"
                     for k, n in sorted(counts.items(), key=lambda kv: (order.get(kv[0], 99), kv[0])))


def _keyed(table: str, rows: Rows) -> dict[tuple, dict[str, str]]:
    names = KEYS.get(table)
    if names is None:  # no primary key (study.csv): the whole row is the key
        keyed: dict[tuple, dict[str, str]] = {}
        seen: Counter = Counter()
        for row in rows.rows:
            base = tuple(sorted(row.items()))
            seen[base] += 1
            keyed[(*base, seen[base])] = row
        return keyed
    return {tuple((row.get(n) or "").strip() for n in names): row for row in rows.rows}


def compare_table(table: str, old: Rows, new: Rows, until: dt.date | None) -> list[Finding]:
    """Findings for one CSV table of one branch."""
    before, after = _keyed(table, old), _keyed(table, new)
    added = [after[k] for k in sorted(after.keys() - before.keys())]
    removed = [before[k] for k in sorted(before.keys() - after.keys())]
    changed = [(before[k], after[k]) for k in sorted(before.keys() & after.keys()) if before[k] != after[k]]
    return _COMPARE[table](added, removed, changed, until)


def _earliest(*values: object) -> dt.date | None:
    dates = [d for d in (day(v) for v in values) if d is not None]
    return min(dates) if dates else None


def _differing_dates(old: dict, new: dict) -> dt.date | None:
    keys = [k for k in sorted(old.keys() | new.keys()) if old.get(k) != new.get(k)]
    return _earliest(*(old.get(k) for k in keys), *(new.get(k) for k in keys))


def _meetings(added, removed, changed, until) -> list[Finding]:
    add, drop, fix = Tally(until), Tally(until), Tally(until)
    for row in added:
        add.add(day(row.get("date")), (row.get("kind") or "").strip())
    for row in removed:
        drop.add(day(row.get("date")), (row.get("kind") or "").strip())
    for old, new in changed:
        fix.add(_earliest(old.get("date"), new.get("date")))
    return (add.findings("meetings-added")
            + drop.findings("meetings-removed")
            + fix.findings("meetings-changed"))


def _members(added, removed, changed, until) -> list[Finding]:
    add, full, left, fix, drop = (Tally(until) for _ in range(5))
    for row in added:
        add.add(day(row.get("joined_on")))
    for row in removed:
        drop.add(day(row.get("joined_on")))
    for old, new in changed:
        if not (old.get("full_on") or "").strip() and day(new.get("full_on")):
            full.add(day(new.get("full_on")))
        elif not (old.get("left_on") or "").strip() and day(new.get("left_on")):
            left.add(day(new.get("left_on")))
        else:
            fix.add(_differing_dates(old, new))
    return (add.findings("members-added")
            + full.findings("members-full")
            + left.findings("members-left")
            + fix.findings("members-changed")
            + drop.findings("members-removed"))


def _dues(added, removed, changed, until) -> list[Finding]:
    add, drop, fix = Tally(until), Tally(until), Tally(until)
    for row in added:
        add.add(day(row.get("month")))
    for row in removed:
        drop.add(day(row.get("month")))
    for old, new in changed:
        newly_paid = not (old.get("paid") or "").strip() and (new.get("paid") or "").strip()
        only_payment = all(old.get(k) == new.get(k) for k in ("month", "member", "due"))
        fix.add(day(new.get("paid_on")) if newly_paid and only_payment else day(new.get("month")))
    return (add.findings("dues-added")
            + fix.findings("dues-changed")
            + drop.findings("dues-removed"))


def _development(added, removed, changed, until) -> list[Finding]:
    add, step, fix, drop = (Tally(until) for _ in range(4))
    for row in added:
        add.add(day(row.get("applied_on")))
    for row in removed:
        drop.add(day(row.get("applied_on")))
    for old, new in changed:
        reached = [(k, label) for k, label in STAGES if not (old.get(k) or "").strip() and day(new.get(k))]
        others = [k for k in old.keys() | new.keys() if old.get(k) != new.get(k) and k not in dict(reached)]
        if reached and not others:
            key, label = reached[-1]
            step.add(day(new.get(key)), label)
        else:
            fix.add(_differing_dates(old, new))
    return (add.findings("development-added")
            + step.findings("development-advanced")
            + fix.findings("development-changed")
            + drop.findings("development-removed"))


def _study(added, removed, changed, until) -> list[Finding]:
    add, drop = Tally(until), Tally(until)
    for row in added:
        add.add(day(row.get("date")))
    for row in removed:
        drop.add(day(row.get("date")))
    return (add.findings("study-added")
            + drop.findings("study-removed"))


_COMPARE = {"members": _members, "meetings": _meetings, "dues": _dues, "development": _development, "study": _study}


def compare_branch(old: Any, new: Any, until: dt.date | None) -> list[Finding]:
    """branch.yaml: committee elections and changes, then the other fields by their Chinese labels."""
    old, new = (d if isinstance(d, dict) else {} for d in (old, new))
    out: list[Finding] = []
    before, after = old.get("committee"), new.get("committee")
    before, after = (c if isinstance(c, dict) else None for c in (before, after))
    tally = Tally(until)
    if after and (not before or day(after.get("elected_on")) != day(before.get("elected_on"))):
        elected = day(after.get("elected_on"))
        if before and elected and day(before.get("elected_on")) and elected < day(before.get("elected_on")):
            tally.add(_earliest(before.get("elected_on"), after.get("elected_on")))
            out += tally.findings("committee-changed")
        else:
            verb = "支部委员会换届" if before else "成立支部委员会"
            tally.add(elected)
            out += tally.findings("committee-elected", f"{verb}（{elected or '日期不详'} 选举）",
                                  f"补记{verb}（{elected or '日期不详'} 选举，在已发布时段内）")
    elif before and not after:
        out.append(Finding("committee-changed", 1, "不再设支部委员会"))
    elif before and after and _canon(before) != _canon(after):
        if before.get("extended_until") != after.get("extended_until") and after.get("extended_until"):
            out.append(Finding("committee-changed", 1, f"支部委员会经批准延期换届至 {after.get('extended_until')}"))
        else:
            out.append(Finding("committee-changed", 1, "支部委员会成员或分工调整"))
    fields = [label for key, label in BRANCH_FIELDS.items() if _canon(old.get(key)) != _canon(new.get(key))]
    if fields:
        out.append(Finding("branch-changed", len(fields), f"支部基本信息更新（{'、'.join(fields)}）"))
    return out


def compare_exemptions(old: Any, new: Any, until: dt.date | None) -> list[Finding]:
    """exemptions.yaml: exemptions granted, changed or withdrawn, keyed by rule and start."""
    def items(doc: Any) -> dict[tuple, str]:
        rows = doc.get("exemptions") if isinstance(doc, dict) else None
        return {(str(e.get("rule")), str(e.get("from"))): _canon(e) for e in rows or [] if isinstance(e, dict)}

    before, after = items(old), items(new)
    add, fix, drop = Tally(until), Tally(until), Tally(until)
    for key in sorted(after.keys() - before.keys()):
        add.add(day(key[1]), key[0])
    for key in sorted(before.keys() - after.keys()):
        drop.add(day(key[1]), key[0])
    for key in sorted(before.keys() & after.keys()):
        if before[key] != after[key]:
            fix.add(day(key[1]), key[0])
    return (add.findings("exemptions-added")
            + fix.findings("exemptions-changed")
            + drop.findings("exemptions-removed"))


def _canon(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
