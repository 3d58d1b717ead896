"""The demo college's deliberate shortfalls: which branch breaks which rule, and how.

Every rule in the rules table fails in exactly the branches listed here (plus the consequences noted as
随附); all other branch × rule results pass, are still open (due), exempt or do not apply.
"""

from __future__ import annotations

import random
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from generator.demo import roster
from generator.demo.activity import Plan
from generator.demo.dates import START, Schedule, add_months, day28, known
from generator.demo.roster import Ids, Person, fresh_member

if TYPE_CHECKING:
    from generator.demo.branch import BranchSpec


class Shortfall(NamedTuple):
    """A deliberate shortfall of the demo data: branch code, rule id, Chinese description."""

    branch: str
    rule: str
    description: str


FAULTS: dict[str, tuple[str, ...]] = {
    "jidian-js2": ("HE-01", "DV-13"),
    "jidian-xs2": ("DV-02", "DV-09", "MT-10P"),
    "xinxi-js1": ("MT-02", "MT-06", "EL-04"),
    "xinxi-js2": ("BR-07", "MT-10"),
    "xinxi-xs1": ("DU-05", "MT-07"),
    "xinxi-xs3": ("DV-06", "ED-01"),
    "jingguan-js1": ("BR-06", "MT-08R"),
    "jingguan-xs2": ("MT-01",),
    "jianzhu-js1": ("MT-03", "MT-01Q"),
    "jianzhu-lh1": ("BR-09", "BR-03"),
    "jianzhu-xs1": ("EL-02",),
    "jiguan-db1": ("BR-05", "DU-09"),
    "jiguan-db2": ("DU-14W", "OL-01W"),
    "jiguan-db3": ("MT-08", "MT-09"),
    "jiguan-ls1": ("BR-01",),
    "lituixiu-lt1": ("BR-02",),
    "lituixiu-lt2": ("DU-14", "OL-01"),
    "tushuguan-zb1": ("EL-01",),
    "xinxi-xs2": ("EL-03",),
}
# Branches that show a recorded practice rather than a shortfall (the BR-05 size notice is a 提醒):
CONCURRENT_ROLES = {"jidian-js1"}  # the 组织委员 is also the 纪检委员 (兼任): a committee of 4 persons
LARGE_COMMITTEE = {"jianzhu-js1"}  # six committee persons: more than the usual 3–5, within 7 (BR-05 notice)
SMALL_COMMITTEE = {"jingguan-lh1"}  # fewer than 7 full members, yet a committee of 3 (BR-05 notice: 设1名书记)
LONG_TERM = {"jiguan-db2"}  # term_years 5 (党章 allows 3–5; 一般每届任期3年): a BR-06 notice while the term runs
ONE_ROW_REVIEW = {"jiguan-db3"}  # year-end 组织生活会 held as a 党员大会 with the 民主评议: one row with also_kind
QUARTERLY_DUES = {"lituixiu-lt1"}  # the branch approved paying dues once a quarter (经党支部同意)
# Size ranges that make the fault possible (a committee, party groups, more than 50 members).
SIZES: dict[str, tuple[int, int]] = {
    "jiguan-db1": (12, 18), "jianzhu-js1": (18, 24), "xinxi-js1": (12, 20), "xinxi-js2": (12, 20),
    "jingguan-js1": (12, 20), "lituixiu-lt1": (52, 52), "jiguan-db2": (10, 18), "jiguan-db3": (10, 18),
}
EXEMPTIONS: dict[str, list[dict]] = {
    "jidian-xs1": [{"rule": "MT-07", "from": date(2024, 7, 1), "expires_on": date(2024, 8, 31),
                    "reason": "暑假期间学生离校，经院党委批准暂停7、8月主题党日", "approver": "机电工程学院党委",
                    "approved_on": date(2024, 6, 20)}],
    "jingguan-xs1": [{"rule": "MT-07", "from": date(2025, 2, 1), "expires_on": date(2025, 2, 28),
                      "reason": "寒假期间学生离校，经院党委批准暂停2月主题党日", "approver": "经济管理学院党委",
                      "approved_on": date(2025, 1, 10)}],
    # Two frail members whose study hours are not required (教育管理条例 第二十三条): `members` is how many
    # of the branch's oldest members the generator names; the others are judged as usual.
    "lituixiu-lt1": [{"rule": "ED-01", "from": date(2025, 1, 1), "expires_on": date(2026, 12, 31),
                      "reason": "年老体弱、行动不便，经批准集中学习培训学时不作硬性要求", "approver": "离退休党总支",
                      "approved_on": date(2024, 12, 20), "members": 2}],
    # A student whose dues for 2025 are waived (due 0), approved by the higher committee (经党支部研究，报上一级
    # 党委批准后，可以少交或者免交): DU-05 judges the other students.
    "jingguan-xs2": [{"rule": "DU-05", "from": date(2025, 1, 1), "expires_on": date(2025, 12, 31),
                      "reason": "家庭经济困难，经党支部研究、报院党委批准免交2025年党费",
                      "approver": "经济管理学院党委",
                      "approved_on": date(2024, 12, 20), "members": 1}],
}
# (rule, skipped (kind, period) pairs, last day of the last skipped period, description)
MEETING_FAULTS = [
    ("MT-01", [("党员大会", "2025-Q3")], date(2025, 9, 30), "2025年第三季度未召开党员大会"),
    ("MT-02", [("支委会", "2024-07"), ("支委会", "2024-08")], date(2024, 8, 31), "2024年7月、8月未召开支委会"),
    ("MT-03", [("党小组会:g2", "2025-03"), ("党小组会:g2", "2025-04")], date(2025, 4, 30),
     "第二党小组2025年3月、4月未召开党小组会"),
    ("MT-06", [("党课", "2023-Q3")], date(2023, 9, 30), "2023年第三季度未上党课"),
    ("MT-07", [("主题党日", "2025-02")], date(2025, 2, 28), "2025年2月未开展主题党日，也未办理豁免"),
    ("MT-08", [("组织生活会", "2024")], date(2024, 12, 31), "2024年未召开组织生活会"),
    ("MT-09", [("民主评议党员", "2023")], date(2023, 12, 31), "2023年未开展民主评议党员"),
]


def skipped_assemblies(spec: BranchSpec, as_of: date) -> set[tuple[int, int]]:
    """The quarters (year, quarter) whose 党员大会 a deliberate MT-01 shortfall leaves out: nobody is elected then."""
    out = set()
    for rule, skips, end, _text in MEETING_FAULTS:
        if rule in spec.faults and end < as_of:
            out |= {(int(label[:4]), int(label[-1])) for kind, label in skips if kind == "党员大会"}
    return out


def election_date(spec: BranchSpec, sched: Schedule, as_of: date) -> date | None:
    """An overdue (BR-06) or soon-due (BR-07) election, made the assembly of its quarter."""
    if "BR-06" in spec.faults:
        return sched.set_assembly(add_months(as_of, -67))
    if "BR-07" in spec.faults:
        return sched.set_assembly(add_months(as_of, -32))
    return None


def roster_faults(rng: random.Random, ids: Ids, spec: BranchSpec, found: roster.Roster,
                  as_of: date) -> tuple[list[Shortfall], str | None]:
    """Shortfalls that live in members.csv or development.csv; returns them and a pinned secretary id."""
    notes: list[Shortfall] = []
    pinned = None
    people, code = found.people, spec.code

    def note(rule: str, text: str) -> None:
        notes.append(Shortfall(code, rule, text))

    leaver = pick(rng, [p for p in people if p.full(as_of) and p.joined_on < add_months(as_of, -7)])
    if "BR-01" in spec.faults and leaver:
        leaver.left_on, leaver.left_reason = day28(rng, add_months(as_of, -6), add_months(as_of, -5)), "转出"
        newcomer = fresh_member(rng, ids, add_months(as_of, -7), joined=add_months(as_of, -4))
        newcomer.full_on = None
        people.append(newcomer)
        note("BR-01", f"正式党员仅2人（1人于{leaver.left_on}转出，另有1名预备党员）")
    if "BR-02" in spec.faults:
        while sum(p.active(as_of) for p in people) <= 50:
            joined = day28(rng, min(START, as_of), as_of)
            people.append(roster.veteran(rng, ids, "离退休", joined, 1975, 2000, roster.pension(rng)))
        note("BR-02", f"党员{sum(p.active(as_of) for p in people)}人，超过一般上限50人")
    if "BR-09" in spec.faults:
        head = fresh_member(rng, ids, add_months(as_of, -19))
        people.append(head)
        pinned = head.id
        note("BR-09", f"书记于{head.full_on}转为正式党员，党龄不满1年")
    notes += candidate_faults(rng, spec, found, as_of)
    return notes, pinned


def candidate_faults(rng: random.Random, spec: BranchSpec, found: roster.Roster, as_of: date) -> list[Shortfall]:
    notes = []
    admitted = [c for c in found.candidates if c.admitted_on and c.admitted_on >= START]
    late_talk = pick(rng, [c for c in found.candidates if c.activist_on and c.applied_on >= START
                           and add_months(c.applied_on, 2) < c.activist_on])
    if "DV-02" in spec.faults and late_talk:
        late_talk.talked_on = add_months(late_talk.applied_on, 2)
        notes.append(Shortfall(spec.code, "DV-02", f"1名入党申请人{late_talk.applied_on}递交申请，"
                                                   f"{late_talk.talked_on}才谈话（超过1个月）"))
    silent = [c for c in found.candidates if c.activist_on is None and c.talked_on and c is not late_talk
              and START <= c.applied_on and add_months(c.applied_on, 2) < as_of]
    if "DV-02" in spec.faults and silent:  # its own random stream: the branch's other records stay as they were
        never = random.Random(f"{spec.code}:DV-02").choice(silent)
        never.talked_on = None
        notes.append(Shortfall(spec.code, "DV-02", f"1名入党申请人{never.applied_on}递交申请，至评估日仍未谈话"
                                                   "（已过1个月）"))
    untrained = pick(rng, admitted)
    if "DV-09" in spec.faults and untrained:
        untrained.trained_hours = 16
        notes.append(Shortfall(spec.code, "DV-09", f"1名发展对象集中培训16学时即于{untrained.admitted_on}"
                                                   "被接收为预备党员"))
    hasty = pick(rng, [c for c in admitted if add_months(known(c.target_on), -8) > known(c.talked_on)])
    if "DV-06" in spec.faults and hasty:
        hasty.activist_on = add_months(hasty.target_on, -8)
        notes.append(Shortfall(spec.code, "DV-06", f"1名入党积极分子培养8个月即于{hasty.target_on}列为发展对象"))
    early = pick(rng, [c for c in admitted if add_months(known(c.admitted_on), 10) <= as_of])
    if "DV-13" in spec.faults and early:
        early.full_on, early.extended = add_months(early.admitted_on, 10), None
        member = next(p for p in found.people if p.id == early.id)
        member.full_on, member.extended = early.full_on, None
        notes.append(Shortfall(spec.code, "DV-13", f"1名预备党员{early.admitted_on}入党，10个月后即转正"))
    return notes


def record_faults(spec: BranchSpec, plan: Plan, people: list[Person], committee: dict | None,
                  as_of: date) -> list[Shortfall]:
    """Shortfalls in branch.yaml, meetings.csv, dues.csv and study.csv (only for periods already closed)."""
    code, notes = spec.code, []
    for rule, skips, end, text in MEETING_FAULTS:
        if rule in spec.faults and end < as_of and (rule != "MT-03" or "g2" in plan.groups) \
                and (rule != "MT-02" or committee):
            plan.skip |= set(skips)
            notes.append(Shortfall(code, rule, text))
    if "MT-01Q" in spec.faults and date(2024, 6, 30) < as_of:
        plan.low_quorum.add("2024-Q2")
        notes.append(Shortfall(code, "MT-01Q", "2024年第二季度党员大会表决时，到会的有表决权党员未超过半数"))
    notes += structure_notes(spec, people, committee, as_of)
    notes += dues_faults(spec, plan, people, as_of)
    person = whole_year(people, "教职工", date(2024, 1, 1), date(2024, 12, 31))
    if "ED-01" in spec.faults and date(2024, 12, 31) < as_of and person:
        plan.short_study[person.id] = 2024
        notes.append(Shortfall(code, "ED-01", "1名党员2024年学习培训仅20学时"))
    return notes


def structure_notes(spec: BranchSpec, people: list[Person], committee: dict | None, as_of: date) -> list[Shortfall]:
    notes = []
    if committee and "BR-05" in spec.faults:
        full = sum(p.full(as_of) for p in people)
        notes.append(Shortfall(spec.code, "BR-05", f"正式党员{full}人，支部委员会未设纪检委员"))
    if committee and spec.code in SMALL_COMMITTEE:
        full = sum(p.full(as_of) for p in people)
        notes.append(Shortfall(spec.code, "BR-05", f"正式党员{full}人，不足7人，仍设支部委员会（提醒）"))
    if "BR-03" in spec.faults:
        notes.append(Shortfall(spec.code, "BR-03", "联合党支部覆盖6个单位，多于一般上限5个（提醒）"))
    if committee and spec.code in LARGE_COMMITTEE:
        size = len(committee["members"])
        notes.append(Shortfall(spec.code, "BR-05", f"支部委员会{size}人，多于一般的3至5人（提醒）"))
    elected = committee["elected_on"] if committee else None
    if elected and "BR-06" in spec.faults and add_months(elected, 36) <= as_of:
        text = f"支部委员会于{elected}选举产生，任期3年已届满，未换届"
        notes.append(Shortfall(spec.code, "BR-06", text))
    end = add_months(elected, 36) if elected else None
    if end and "BR-07" in spec.faults and add_months(end, -6) <= as_of < end:
        notes.append(Shortfall(spec.code, "BR-07", f"支部委员会任期将于{end}届满，已进入换届提醒期（警告）"))
    if "HE-01" in spec.faults:
        notes.append(Shortfall(spec.code, "HE-01", "教工党支部书记未登记为“双带头人”（警告）"))
    return notes


def dues_faults(spec: BranchSpec, plan: Plan, people: list[Person], as_of: date) -> list[Shortfall]:
    code, notes = spec.code, []
    person = whole_year(people, "", date(2024, 5, 1), date(2024, 5, 31))
    if "DU-09" in spec.faults and date(2024, 5, 31) < as_of and person:
        plan.unpaid[person.id] = {"2024-05"}
        notes.append(Shortfall(code, "DU-09", "2024年5月有1名党员未交党费"))
    for rule, months in (("DU-14W", 5), ("DU-14", 9)):
        person = whole_year(people, "", add_months(as_of, -months - 3), as_of)
        labels = [add_months(as_of, -k) for k in range(months)]
        if rule not in spec.faults or person is None or labels[-1] < START:
            continue
        plan.unpaid[person.id] = {f"{d.year}-{d.month:02d}" for d in labels}
        since = f"{labels[-1].year}年{labels[-1].month}月"
        notes.append(Shortfall(code, rule, f"1名党员自{since}起连续未交党费（截至评估日{months - 1}个整月）"))
        if rule == "DU-14":
            notes.append(Shortfall(code, "DU-14W", "随附：同一党员连续未交党费超过3个月"))
        notes.append(Shortfall(code, "DU-09", "随附：该党员未交党费的各月"))
    person = whole_year(people, "学生", date(2024, 1, 1), date(2024, 6, 1))
    if "DU-05" in spec.faults and date(2024, 6, 30) < as_of and person:
        plan.due_override[person.id] = {f"2024-{m:02d}": "0.50" for m in range(1, 7)}
        notes.append(Shortfall(code, "DU-05", "1名学生党员2024年1–6月按0.50元/月交纳党费（应为0.20元）"))
    return notes


def whole_year(people: list[Person], category: str, first: date, last: date) -> Person | None:
    """The first member (of a category, if given) who belongs to the branch from first to last."""
    return next((p for p in people if (not category or p.category == category) and p.active(first)
                 and p.active(last) and p.admitted_on <= first), None)


def pick(rng: random.Random, items: list[Any]) -> Any:
    """A random item, or None when there is none (a fault needs a suitable person to exist)."""
    return rng.choice(items) if items else None
