"""The words of the changes page: kinds of change, their Chinese sentences, and how events are counted."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

KIND_ORDER = {k: i for i, k in enumerate((
    "branch-added", "branch-removed", "committee-elected", "committee-changed", "branch-changed",
    "meetings-added", "meetings-removed", "meetings-changed", "members-added", "members-full", "members-left",
    "members-changed", "members-removed", "development-added", "development-advanced", "development-changed",
    "development-removed", "dues-added", "dues-changed", "dues-removed", "study-added", "study-removed",
    "elections-added", "elections-changed", "elections-removed", "absences-added", "absences-removed",
    "rectification-added", "rectification-closed", "rectification-changed", "rectification-removed",
    "appraisal-added", "appraisal-changed", "appraisal-removed",
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
    "elections-added": ("登记 {n} 次选举的人数和票数",
                        "补录 {n} 次已发布时段内的选举（{months}）"),
    "elections-changed": ("更正 {n} 次选举的人数或票数",
                          "更正 {n} 次已发布时段内的选举记录（{months}）"),
    "elections-removed": ("删除 {n} 条选举记录",
                          "删除 {n} 条已发布时段内的选举记录（{months}）"),
    "absences-added": ("登记 {n} 人次缺席",
                       "补录 {n} 人次已发布时段内的缺席（{months}）"),
    "absences-removed": ("删除 {n} 人次缺席记录",
                         "删除 {n} 人次已发布时段内的缺席记录（{months}）"),
    "rectification-added": ("登记 {n} 项组织生活会整改事项",
                            "补录 {n} 项已发布时段内的整改事项（{months}）"),
    "rectification-closed": ("{n} 项整改事项完成销号",
                             "补记 {n} 项整改事项在已发布时段内完成销号（{months}）"),
    "rectification-changed": ("更正 {n} 项整改事项的记录",
                              "更正 {n} 项已发布时段内的整改事项记录（{months}）"),
    "rectification-removed": ("删除 {n} 项整改事项记录",
                              "删除 {n} 项已发布时段内的整改事项记录（{months}）"),
    "appraisal-added": ("登记 {n} 个年度的民主评议党员结果",
                        "补录 {n} 个已发布年度的民主评议党员结果（{months}）"),
    "appraisal-changed": ("更正 {n} 个年度的民主评议党员结果",
                          "更正 {n} 个已发布年度的民主评议党员结果（{months}）"),
    "appraisal-removed": ("删除 {n} 个年度的民主评议党员结果",
                          "删除 {n} 个已发布年度的民主评议党员结果（{months}）"),
    "committee-changed": ("更正支部委员会的选举日期",
                          "更正支部委员会的选举日期（{months}）"),
    "exemptions-added": ("新增 {n} 项豁免",
                         "新增 {n} 项涉及已发布时段的豁免（{months}）"),
    "exemptions-changed": ("修改 {n} 项豁免",
                           "修改 {n} 项涉及已发布时段的豁免（{months}）"),
    "exemptions-removed": ("撤销 {n} 项豁免",
                           "撤销 {n} 项涉及已发布时段的豁免（{months}）"),
}


@dataclass(frozen=True)
class Finding:
    """A change inside one branch, before the branch's name is put in front of it."""

    kind: str
    count: int
    text: str
    amendment: bool = False
    periods: tuple[str, ...] = ()


def day(value: object) -> dt.date | None:
    """A record date (YYYY-MM-DD) or month (YYYY-MM, its first day); None when empty or malformed."""
    text = str(value or "").strip()
    try:
        return dt.date.fromisoformat(text + "-01" if len(text) == 7 else text)
    except ValueError:
        return None


def earliest(*values: object) -> dt.date | None:
    dates = [d for d in (day(v) for v in values) if d is not None]
    return min(dates) if dates else None


class Tally:
    """Collects events of one kind, split into ordinary ones and those that fall into published periods."""

    def __init__(self, published_until: dt.date | None, counted: dict[str, int] | None = None) -> None:
        self.until = published_until
        self.counted = counted or {}  # labels counted in 次 (meeting kinds), in this order; others in 人
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
            text = template.format(n=len(events), labels=labels_of([label for _, label in events], self.counted),
                                   months="、".join(months))
            out.append(Finding(kind, len(events), text, late, months if late else ()))
        return out


def labels_of(labels: list[str], order: dict[str, int]) -> str:
    """Each label with its count: meeting kinds (in `order`) in 次 and in that order, others (stages) in 人."""
    counts = Counter(label for label in labels if label)
    return "、".join(f"{k} {n} 次" if k in order else f"{k} {n} 人"
                     for k, n in sorted(counts.items(), key=lambda kv: (order.get(kv[0], 99), kv[0])))
