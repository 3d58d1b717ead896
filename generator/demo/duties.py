"""The demo's records of the branch's other duties: 组织生活会 rectification items (rectification.csv) and the
民主评议党员 results (appraisal.csv, counts only).

Each branch draws from its own random stream (seed, code, file), so adding these files leaves every other
record of the demo as it was.
"""

from __future__ import annotations

import random
from datetime import date

from generator.demo.dates import START, add_months, day28
from generator.demo.faults import Shortfall
from generator.demo.roster import Person

APPRAISAL_HEADER = ["year", "meeting", "excellent", "qualified", "basic", "unqualified", "ungraded"]
NO_APPRAISAL_FILE = {"jianzhu-xs1", "lituixiu-lt2"}  # optional: these branches keep none (MT-10, MT-10P n/a)
RECTIFICATION_HEADER = ["id", "meeting", "year", "due", "closed_on", "item", "internal"]
NO_RECTIFICATION_FILE = {"jidian-xs1", "lituixiu-lt2"}  # the file is optional: these branches keep none (MT-08R n/a)
# Items a branch may raise; the school agreed to publish the first two (internal 否), the others stay internal.
ITEMS = [("主题党日形式较单一，结合专业开展志愿服务", "否"), ("党员学习笔记不够规范，统一学习记录本", "否"),
         ("个别党员参加组织生活不够积极，支委逐一谈心谈话", "是"), ("党费收缴公示不及时，每季度公示一次", ""),
         ("联系服务师生不够，设立党员示范岗", "否")]


def meetings_of_kind(meetings: list[list], kind: str) -> list[list]:
    """The meeting rows of `kind`, or held as it too (their also_kind cell lists it among 、-separated kinds)."""
    return [m for m in meetings if m[2] == kind or kind in str(m[9] if len(m) > 9 else "").split("、")]


def rectification(seed: int, code: str, faults: frozenset[str], meetings: list[list],
                  as_of: date) -> tuple[list[list], list[Shortfall]]:
    """Two or three items per 组织生活会, due 3 to 5 months later; closed before the due date unless the
    branch is the MT-08R shortfall, whose latest finished item from a past meeting is left open."""
    if code in NO_RECTIFICATION_FILE:
        return [], []
    rng = random.Random(f"{seed}:{code}:rectification")
    rows: list[list] = []
    for meeting in meetings_of_kind(meetings, "组织生活会"):
        held: date = meeting[1]
        for number in range(1, rng.randint(2, 3) + 1):
            text, internal = rng.choice(ITEMS)
            due = add_months(held, rng.randint(3, 5))
            closed = add_months(due, -1) if add_months(due, -1) <= as_of else None
            rows.append([f"{held.isoformat()}-zg{number}", meeting[0], "", due, closed, text, internal])
    notes: list[Shortfall] = []
    late = [row for row in rows if row[4] is not None and row[3] < as_of]
    if "MT-08R" in faults and late:
        row = late[-1]
        row[4] = None
        notes.append(Shortfall(code, "MT-08R", f"{row[0][:4]}年组织生活会提出的1项整改，期限{row[3]}已过仍未完成"))
    return rows, notes


def appraisal(seed: int, code: str, faults: frozenset[str], meetings: list[list], people: list[Person],
              as_of: date) -> tuple[list[list], list[Shortfall]]:
    """One row per 民主评议党员 meeting: everyone on the roster that day, full members graded (about a fifth
    优秀), probationary members not graded. The MT-10 shortfall grades 优秀 for more than a third in its latest
    year; the MT-10P one grades a probationary member in a year that had one."""
    if code in NO_APPRAISAL_FILE:
        return [], []
    rng = random.Random(f"{seed}:{code}:appraisal")
    rows: list[list] = []
    for meeting in meetings_of_kind(meetings, "民主评议党员"):
        held: date = meeting[1]
        year = held.year - 1 if held.month == 1 else held.year  # held in January: the year before is appraised
        full = sum(p.full(held) for p in people)
        probationary = sum(p.active(held) for p in people) - full
        excellent = min(round(full * rng.uniform(0.12, 0.28)), full // 3)
        basic = int(full >= 12 and rng.random() < 0.3)
        rows.append([year, meeting[0], excellent, full - excellent - basic, basic, 0, probationary])
    notes: list[Shortfall] = []
    if "MT-10" in faults and rows:
        row = rows[-1]
        graded = row[2] + row[3] + row[4] + row[5]
        row[2], row[3], row[4] = graded // 2, graded - graded // 2, 0
        text = f"{row[0]}年民主评议评定优秀{row[2]}人，超过评定等次{graded}人的三分之一（提醒）"
        notes.append(Shortfall(code, "MT-10", text))
    graded_probationary = [row for row in rows if row[6] > 0]
    if "MT-10P" in faults and graded_probationary:
        row = graded_probationary[0]
        row[3], row[6] = row[3] + 1, row[6] - 1
        notes.append(Shortfall(code, "MT-10P", f"{row[0]}年民主评议为1名预备党员评定了等次"))
    return rows, notes


# (rule, branch, months before the as-of date): a member away at a fixed place (顶岗实习), a graduate whose
# relationship is kept at the college, a member out of contact. Over the limit where the rule is the branch's
# shortfall, within it elsewhere (a passing example).
RELATIONSHIPS = [("MB-01", "jingguan-xs1", 8), ("MB-01", "xinxi-xs2", 3), ("HE-04", "xinxi-xs1", 26),
                 ("HE-04", "jingguan-lh1", 6), ("MB-02", "jiguan-db2", 7), ("MB-02", "jidian-js1", 2)]


def relationships(seed: int, code: str, people: list[Person], as_of: date) -> list[Shortfall]:
    """Dates on the roster for the branches in RELATIONSHIPS: one student (a staff member for MB-02) present
    all through the span gets the date; a date over the limit is that branch's shortfall."""
    rng = random.Random(f"{seed}:{code}:relationships")
    notes = []
    for rule, branch, months in RELATIONSHIPS:
        start = add_months(as_of, -months)
        wanted = "教职工" if rule == "MB-02" else "学生"
        if rule == "HE-04":  # a graduate who has left (毕业转出), kept here for `months` before the transfer
            fits = [p for p in people if p.category == wanted and p.left_reason == "毕业转出" and p.left_on
                    and add_months(p.left_on, -months) > p.joined_on and p.left_on >= START]
        else:
            fits = [p for p in people if p.category == wanted and p.active(as_of) and p.joined_on < start
                    and p.away_since is None and p.retained_since is None and p.lost_contact_since is None]
        if branch != code or not fits:
            continue
        person = rng.choice(fits)
        if rule == "HE-04" and person.left_on:
            start = add_months(person.left_on, -months)
        day = day28(rng, start, start)
        if rule == "MB-01":
            person.away_since = day
            text = f"1名学生党员{day}起顶岗实习，已满6个月，组织关系仍在本支部（提醒）"
        elif rule == "HE-04":
            person.retained_since = day
            text = f"1名毕业生党员{day}起组织关系保留在学校，{person.left_on}才转出，超过2年"
        else:
            person.lost_contact_since = day
            text = f"1名党员{day}起失去联系，已满6个月（提醒报告上级党委）"
        if months > 24 if rule == "HE-04" else months >= 6:
            notes.append(Shortfall(code, rule, text))
    return notes
