"""Structural rules: branch size, committee, term of office, secretary."""

from __future__ import annotations

import datetime as dt

from generator.ledger.model import Branch
from generator.rules import NOTICE, PASS, Context, Result, once, result, rule_type
from generator.rules.periods import ONCE, add_months, add_years
from generator.standards.catalogue import Rule


def _yaml(branch: Branch) -> tuple[str, int]:
    return (f"{branch.path}/branch.yaml", 1)


@rule_type("branch_size_min")
def branch_size_min(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """A branch has at least `min_full` full members (otherwise it should be a joint branch)."""
    need = int(rule.params.get("min_full", 3))
    full = len(branch.full_members(ctx.as_of))
    return once(branch, rule, full >= need, f"正式党员 {full} 人，少于 {need} 人", full, need)


@rule_type("branch_size_max")
def branch_size_max(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """A branch generally has at most `max` members.

    A school may set a stricter maximum for student branches (`student_setting`, a local setting such as
    信阳师范's 学生党支部 "最多不超过30人"); it can only lower the national limit, never raise it.
    """
    limit = int(rule.params.get("max", 50))
    count = len(branch.active_members(ctx.as_of))
    local = ctx.settings.get(rule.params.get("student_setting", ""))
    if local is not None and branch.type in rule.params.get("student_types", ()) and int(local) < limit:
        limit = int(local)
        note = f"党员 {count} 人，超过本校学生党支部上限 {limit} 人（本校做法），可考虑分设支部或划分党小组"
    else:
        note = f"党员 {count} 人，超过一般上限 {limit} 人，可考虑分设支部"
    return once(branch, rule, count <= limit, note, count, limit)


@rule_type("committee_structure")
def committee_structure(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """A committee with the required roles from `threshold_full` full members; one secretary below it.

    Size counts persons (one person may hold two roles, 兼任): `min_size`–`usual_max_size` passes, up to
    `max_size` is a notice (一般不超过7人), more fails. Every office holder must have been a full member on
    the day of the election (预备党员没有被选举权).
    """
    p = rule.params
    full = len(branch.full_members(ctx.as_of))
    officers = branch.officers()
    roles = [role for o in officers for role in o.roles]
    faults = _not_eligible(branch)
    notice = ""
    if full >= int(p.get("threshold_full", 7)):
        if branch.committee is None:
            faults.append(f"正式党员 {full} 人（≥{p.get('threshold_full', 7)}），应设立支部委员会")
        else:
            missing = [r for r in p.get("required_roles", []) if r not in roles]
            if missing:
                faults.append(f"支委会缺少：{'、'.join(missing)}（可由其他委员兼任，在其 roles 中列出）")
            size, low, high = branch.committee.persons(), int(p.get("min_size", 3)), int(p.get("max_size", 7))
            usual = int(p.get("usual_max_size", 5))
            if not low <= size <= high:
                faults.append(f"支委会 {size} 人，应为 {low}–{usual} 人，一般不超过 {high} 人")
            elif size > usual:
                notice = f"支委会 {size} 人：支部委员会一般由 {low} 至 {usual} 人组成，不超过 {high} 人"
    else:
        if roles.count("书记") != 1:
            faults.append("不设支委会的支部应设 1 名书记")
        if branch.committee is not None:  # 正式党员不足7人的党支部，设1名书记: a committee is not the norm
            notice = (f"正式党员 {full} 人，不足 {p.get('threshold_full', 7)} 人：正式党员不足7人的党支部设1名书记，"
                      "一般不设支部委员会；请报上级党组织研究，保留委员会的请说明理由")
    if roles.count("副书记") > int(p.get("max_deputies", 1)):
        faults.append("副书记一般不超过 1 名")
    if faults:
        return once(branch, rule, False, "；".join(faults), evidence=[_yaml(branch)])
    status = NOTICE if notice else PASS
    return [result(branch, rule, ONCE, status, note=notice, evidence=(_yaml(branch),))]


def _not_eligible(branch: Branch) -> list[str]:
    """Office holders who were not full members on the day they were elected (or are not on the roster)."""
    members = {m.id: m for m in branch.members}
    faults = []
    for officer in branch.officers():
        day = officer.elected_on or (branch.committee.elected_on if branch.committee else None)
        member = members.get(officer.member)
        if day is None or member is None:
            continue  # no election day to judge on (BR-06 says so); an unknown member is an integrity problem
        if member.full_on is None or member.full_on > day:
            faults.append(f"{'、'.join(officer.roles)}在选举日 {day} 尚不是正式党员（预备党员没有被选举权）")
    return faults


def _term(branch: Branch, rule: Rule) -> tuple[dt.date | None, dt.date | None, dt.date | None]:
    """(elected on, term end, extended until) of the committee, or of the secretary of a branch without one."""
    years = int(rule.params.get("default_term_years", 3))
    if branch.committee is not None:
        committee = branch.committee
        return committee.elected_on, add_years(committee.elected_on, committee.term_years or years), \
            committee.extended_until
    officer = branch.secretary_officer()
    if officer is None or officer.elected_on is None:
        return None, None, None
    return officer.elected_on, add_years(officer.elected_on, years), officer.extended_until


def _holder(branch: Branch) -> str:
    return "支部委员会" if branch.committee is not None else "支部书记"


@rule_type("committee_term")
def committee_term(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """The committee (or, without one, the elected secretary) is within its term, or an approved extension.

    The extension is at most `max_extension_months` past the end of the term.
    """
    _elected, end, extended = _term(branch, rule)
    if end is None:
        note = "不设支委会的支部未登记书记的选举日期（branch.yaml secretary 中的 elected_on），无法判断是否按期换届"
        return once(branch, rule, False, note, evidence=[_yaml(branch)])
    holder, evidence = _holder(branch), [_yaml(branch)]
    limit = add_months(end, int(rule.params.get("max_extension_months", 12)))
    if extended and extended > limit:
        return once(branch, rule, False, f"延期至 {extended}，超过届满（{end}）后 1 年的上限", evidence=evidence)
    if ctx.as_of >= end and not (extended and ctx.as_of <= extended):
        overdue = (ctx.as_of - end).days
        return once(branch, rule, False, f"{holder}任期已于 {end} 届满，逾期 {overdue} 天未换届", evidence=evidence)
    note = f"{holder}任期已于 {end} 届满，经批准延期至 {extended}" if ctx.as_of >= end else ""
    usual = int(rule.params.get("default_term_years", 3))
    years = branch.committee.term_years if branch.committee is not None else None
    if years and years != usual:  # 党章 allows 3–5 years; 第二十一条: 其他基层单位党支部委员会一般每届任期3年
        note = "；".join(x for x in (note, f"{holder}每届任期记为 {years} 年：高校等基层单位党支部委员会一般每届任期"
                                            f"{usual}年，请核对 term_years 或上级党组织的批准") if x)
        return once(branch, rule, False, note, evidence=evidence, unmet=NOTICE)
    return once(branch, rule, True, note, evidence=evidence)


@rule_type("term_reminder")
def term_reminder(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """A reminder from `months_before` months before the term ends (an expired term is BR-06's matter)."""
    _elected, end, _extended = _term(branch, rule)
    if end is None:
        return once(branch, rule, None)
    if ctx.as_of >= end:
        return once(branch, rule, None, f"任期已于 {end} 届满")
    start = add_months(end, -int(rule.params.get("months_before", 6)))
    days = (end - ctx.as_of).days
    note = f"{_holder(branch)}任期将于 {end} 届满（还有 {days} 天），请做好换届准备"
    return once(branch, rule, ctx.as_of < start, note, evidence=[_yaml(branch)])


@rule_type("secretary_seniority")
def secretary_seniority(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """The secretary had been a full member for at least `min_years` years on the day of the election."""
    officer = branch.secretary_officer()
    if officer is None:
        return once(branch, rule, False, "未登记支部书记", evidence=[_yaml(branch)])
    member = next((m for m in branch.members if m.id == officer.member), None)
    if member is None or member.full_on is None:
        return once(branch, rule, False, "书记不是本支部正式党员", evidence=[_yaml(branch)])
    elected = branch.secretary_elected_on()
    if elected is None:
        return once(branch, rule, None, "未登记书记的选举日期，无法按选举日判断党龄")
    years = int(rule.params.get("min_years", 1))
    since = add_years(member.full_on, years)
    return once(branch, rule, since <= elected, f"书记当选时（{elected}）转为正式党员不满 {years} 年",
                evidence=[_yaml(branch)])


@rule_type("double_leader")
def double_leader(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """A teacher branch's secretary is a 双带头人 (Party-work and academic leader)."""
    officer = branch.secretary_officer()
    ok = bool(officer and officer.double_leader)
    return once(branch, rule, ok, "教工党支部书记尚未登记为“双带头人”", evidence=[_yaml(branch)])
