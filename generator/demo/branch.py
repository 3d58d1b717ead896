"""One demo branch: its roster, groups and leadership, then its meetings, dues and study records."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from generator.demo import absences, activity, duties, elections, faults, roster, steps
from generator.demo.dates import START, Schedule, add_months, known, months_between
from generator.demo.faults import Shortfall
from generator.demo.names import GROUP_NAMES
from generator.demo.roster import Candidate, Ids, Person


@dataclass(frozen=True)
class BranchSpec:
    unit: str
    unit_name: str
    code: str
    name: str
    type: str
    faults: frozenset[str] = frozenset()
    size: tuple[int, int] | None = None  # overrides the type's usual size range


@dataclass
class BranchData:
    spec: BranchSpec
    founded_on: date
    groups: list[str]
    committee: dict | None
    secretary: list[dict] | None
    people: list[Person]
    candidates: list[Candidate]
    meetings: list[list] = field(default_factory=list)
    dues: list[list] = field(default_factory=list)
    study: list[list] = field(default_factory=list)
    elections: list[list] = field(default_factory=list)
    absences: list[list] = field(default_factory=list)
    rectification: list[list] = field(default_factory=list)
    appraisal: list[list] = field(default_factory=list)
    exemptions: list[dict] = field(default_factory=list)
    shortfalls: list[Shortfall] = field(default_factory=list)


def build(spec: BranchSpec, seed: int, ids: Ids, as_of: date, exemptions: list[dict], margin: int = 0) -> BranchData:
    """Everything about one branch, from its own random stream (so branches do not disturb each other)."""
    rng = random.Random(f"{seed}:{spec.code}")
    founded = date(2022, 9, 1) if spec.type == "temporary" else date(rng.randint(2015, 2020), 9, 1)
    sched = Schedule(rng, spec.type == "student", 2019, as_of.year + 3)
    notes: list[Shortfall] = []
    elected = faults.election_date(spec, sched, as_of)
    found = make_roster(rng, ids, spec, founded, sched, as_of)
    found_notes, pinned = faults.roster_faults(rng, ids, spec, found, as_of)
    notes += found_notes
    notes += steps.late_admission(spec.code, found, sched, as_of)
    steps.fill(spec.code, found.candidates, found.people, as_of)
    notes += steps.faults(spec.code, found.candidates, found.people, as_of)
    people = sorted((p for p in found.people if p.joined_on <= as_of), key=lambda p: (p.joined_on, p.id))
    groups = assign_groups(people, spec.type, as_of)
    committee, secretary = leadership(rng, spec, people, sched, as_of, elected, pinned)
    if secretary:
        elected = secretary[0]["elected_on"]  # a branch without a committee elects its secretary at an assembly
    data = BranchData(spec, founded, groups, committee, secretary, people,
                      sorted(found.candidates, key=lambda c: (c.applied_on, c.id)))
    plan = activity.Plan(spec.type, groups, len(committee["members"]) if committee else 0,
                         committee["elected_on"] if committee else elected,
                         quarterly=spec.code in faults.QUARTERLY_DUES,
                         one_row_review=spec.code in faults.ONE_ROW_REVIEW, thin_election="EL-02" in spec.faults)
    notes += faults.record_faults(spec, plan, people, committee, as_of)
    for item in exemptions:  # an approved pause of 主题党日 (MT-07) in a school holiday
        if item["approved_on"] <= as_of and item["rule"] == "MT-07":
            data.exemptions.append(item)
            plan.skip |= {("主题党日", f"{y}-{m:02d}") for y, m in months_between(item["from"], item["expires_on"])}
        elif item["approved_on"] <= as_of and item["rule"] == "ED-01":  # frail members: only online study
            data.exemptions.append(frail_members(item, people, plan))
        elif item["approved_on"] <= as_of and item["rule"] == "DU-05":  # a student's dues waived (due 0)
            data.exemptions.append(waived_dues(item, people, plan))
    data.meetings = activity.meetings(rng, plan, people, sched, as_of)
    data.dues = activity.dues(rng, plan, people, sched, as_of)
    data.study = activity.study(rng, plan, people, sched, as_of)
    officers = {o["member"] for o in (committee["members"] if committee else secretary or [])}
    data.absences, shown = absences.absence_rows(spec.code, spec.faults, people, data.meetings, officers, as_of)
    notes += shown
    if spec.type != "temporary":  # 临时党支部的书记由批准其成立的党组织指定，不选举
        data.elections, shown = elections.election_rows(spec.code, spec.faults, committee, secretary, data.meetings,
                                                        margin)
        notes += shown
    if "EL-01" in spec.faults and data.elections:  # the recorded election day is not the assembly's
        notes += elections.misdate(spec.code, committee, secretary)
    data.rectification, raised = duties.rectification(seed, spec.code, spec.faults, data.meetings, as_of)
    data.appraisal, graded = duties.appraisal(seed, spec.code, spec.faults, data.meetings, people, as_of)
    data.shortfalls = notes + raised + graded + duties.relationships(seed, spec.code, people, as_of)
    return data


def frail_members(item: dict, people: list[Person], plan: activity.Plan) -> dict:
    """Name the exemption's members (the longest-standing members present all through it); they study less."""
    present = [p for p in people
               if p.joined_on <= item["from"] and (p.left_on is None or p.left_on > item["expires_on"])]
    chosen = sorted(present, key=lambda p: (p.admitted_on, p.id))[: item["members"]]
    years = set(range(item["from"].year, item["expires_on"].year + 1))
    for person in chosen:
        plan.excused_study[person.id] = years
    return {**item, "members": sorted(p.id for p in chosen)}


def waived_dues(item: dict, people: list[Person], plan: activity.Plan) -> dict:
    """Name the exemption's students (the latest admitted, present all through it); their due is 0 then."""
    present = [p for p in people if p.category == "学生" and p.joined_on <= item["from"]
               and (p.left_on is None or p.left_on > item["expires_on"])]
    chosen = sorted(present, key=lambda p: (p.admitted_on, p.id), reverse=True)[: item["members"]]
    for person in chosen:
        plan.due_override[person.id] = {f"{y}-{m:02d}": "0.00" for y, m in months_between(item["from"],
                                                                                           item["expires_on"])}
    return {**item, "members": sorted(p.id for p in chosen)}


def make_roster(rng: random.Random, ids: Ids, spec: BranchSpec, founded: date, sched: Schedule,
                as_of: date) -> roster.Roster:
    if spec.type == "student":
        return roster.student_roster(rng, ids, founded, sched, as_of, rng.randint(4, 18))
    if spec.type == "joint":
        return roster.joint_roster(rng, ids, founded, sched, as_of)
    size = rng.randint(*(spec.size or roster.SIZES[spec.type]))
    develop = rng.choice([0, 1, 1, 2]) if spec.type == "faculty" else 0
    if "DV-13" in spec.faults:
        develop = max(develop, 1)
    return roster.staff_roster(rng, ids, spec.type, founded, sched, as_of, size, develop)


def assign_groups(people: list[Person], kind: str, as_of: date) -> list[str]:
    """Party groups for branches of about 15 members or more; teachers spread first in student branches."""
    peak = max(sum(1 for p in people if p.active(date(y, m, 1))) for y, m in months_between(START, as_of))
    if peak < 15:
        return []
    count = 3 if peak >= 30 and kind != "student" else 2
    codes = [f"g{i + 1}" for i in range(count)]
    order = sorted(people, key=lambda p: (p.category == "学生", p.joined_on, p.id))
    for index, person in enumerate(order):
        person.group = codes[index % count]
    return codes


def group_entries(codes: list[str]) -> list[dict]:
    return [{"code": code, "name": GROUP_NAMES[i]} for i, code in enumerate(codes)]


def leadership(rng: random.Random, spec: BranchSpec, people: list[Person], sched: Schedule, as_of: date,
               elected: date | None, pinned: str | None) -> tuple[dict | None, list[dict] | None]:
    """A committee (elected at an assembly) from 7 full members, otherwise one secretary."""
    full_now = [p for p in people if p.full(as_of)]
    if len(full_now) < 7 and spec.code not in faults.SMALL_COMMITTEE:
        return None, secretary_list(rng, spec, full_now, sched, as_of, pinned)
    for day in election_days(rng, sched, as_of, elected):
        chosen = committee_members(rng, spec, people, day, as_of)
        if chosen:
            years = 5 if spec.code in faults.LONG_TERM else 3
            return {"elected_on": day, "term_years": years, "extended_until": None, "members": chosen}, None
    raise RuntimeError(f"{spec.code}: no full members to elect a committee from")


def election_days(rng: random.Random, sched: Schedule, as_of: date, fixed: date | None) -> list[date]:
    """Days to try: a fixed day (a deliberate shortfall), an assembly 11–26 months back, the latest
    assembly, and at last the as-of date itself."""
    back = [sched.assembly[sched.quarter_of(add_months(as_of, -months))] for months in rng.sample(range(11, 27), 5)]
    recent = sorted(day for day in sched.assembly.values() if day <= as_of)[-1:]
    return ([fixed] if fixed else []) + back + recent + [as_of]


def committee_members(rng: random.Random, spec: BranchSpec, people: list[Person], day: date,
                      as_of: date) -> list[dict] | None:
    eligible = [p for p in people if p.full(day) and p.active(as_of)]
    seniors = [p for p in eligible if add_months(known(p.full_on), 12) <= day and p.category != "学生"]
    roles = ["书记", "组织委员", "宣传委员", "纪检委员"]
    if rng.random() < 0.3 and spec.code not in faults.SMALL_COMMITTEE:
        roles.insert(1, "副书记")
    if "BR-05" in spec.faults or spec.code in faults.CONCURRENT_ROLES | faults.SMALL_COMMITTEE:
        roles.remove("纪检委员")
    if spec.code in faults.LARGE_COMMITTEE:
        roles += ["委员"] * (6 - len(roles))
    if not seniors or len(eligible) < len(roles):
        return None
    head = rng.choice(seniors)
    others = rng.sample([p for p in eligible if p is not head], len(roles) - 1)
    chosen = [officer(spec, [role], person) for role, person in zip(roles, [head, *others], strict=True)]
    if spec.code in faults.CONCURRENT_ROLES | faults.SMALL_COMMITTEE:  # the 组织委员 also serves as 纪检委员 (兼任)
        next(o for o in chosen if "组织委员" in o["roles"])["roles"].append("纪检委员")
    return chosen


def secretary_list(rng: random.Random, spec: BranchSpec, full_now: list[Person], sched: Schedule, as_of: date,
                   pinned: str | None) -> list[dict]:
    """One 书记 (a member of at least a year's standing, staff in student branches), sometimes a 副书记.

    Both are elected at an assembly (选举工作条例: 含不设委员会的党支部): the assembly of the quarter 14 months
    back, or the first one at which the secretary had a year of full membership (the pinned BR-09 case: the
    first one after becoming full). A deputy not yet full then is elected at the first assembly after that.
    """
    seniors = [p for p in full_now if add_months(known(p.full_on), 12) <= as_of and p.category != "学生"]
    head = next((p for p in full_now if p.id == pinned), None) or rng.choice(seniors or full_now)
    standing = known(head.full_on) if head.id == pinned else add_months(known(head.full_on), 12)
    skipped, back = faults.skipped_assemblies(spec, as_of), 14
    while sched.quarter_of(add_months(as_of, -back)) in skipped:  # no assembly that quarter (MT-01): one earlier
        back += 3
    day = max(sched.assembly[sched.quarter_of(add_months(as_of, -back))], sched.assembly_on_or_after(standing))
    chosen = [officer(spec, ["书记"], head, day)]
    deputies = [p for p in full_now if p is not head]
    if deputies and rng.random() < 0.25:
        deputy = rng.choice(deputies)
        chosen.append(officer(spec, ["副书记"], deputy, max(day, sched.assembly_on_or_after(known(deputy.full_on)))))
    return chosen


def officer(spec: BranchSpec, roles: list[str], person: Person, elected: date | None = None) -> dict:
    """One office holder with every role they hold; `elected` only for a branch without a committee."""
    lead = "书记" in roles and spec.type == "faculty" and "HE-01" not in spec.faults
    found = {"roles": roles, "member": person.id, "name": None, "double_leader": lead}
    return found | ({"elected_on": elected} if elected else {})

