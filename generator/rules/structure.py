"""Structural rules: branch size, committee, term of office, secretary."""

from __future__ import annotations

from generator.model import Branch
from generator.periods import add_months, add_years
from generator.rules import Context, Result, once, rule_type
from generator.standards import Rule


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
    """A branch generally has at most `max` members."""
    limit = int(rule.params.get("max", 50))
    count = len(branch.active_members(ctx.as_of))
    return once(branch, rule, count <= limit, f"党员 {count} 人，超过一般上限 {limit} 人，可考虑分设支部",
                count, limit)


@rule_type("committee_structure")
def committee_structure(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """A committee with the required roles from `threshold_full` full members; one secretary below it."""
    p = rule.params
    full = len(branch.full_members(ctx.as_of))
    roles = [o.role for o in branch.officers()]
    faults = []
    if full >= int(p.get("threshold_full", 7)):
        if branch.committee is None:
            faults.append(f"正式党员 {full} 人（≥{p.get('threshold_full', 7)}），应设立支部委员会")
        else:
            missing = [r for r in p.get("required_roles", []) if r not in roles]
            if missing:
                faults.append(f"支委会缺少：{'、'.join(missing)}")
            size = len(branch.committee.members)
            if not int(p.get("min_size", 3)) <= size <= int(p.get("max_size", 7)):
                faults.append(f"支委会 {size} 人，应为 {p.get('min_size', 3)}–{p.get('max_size', 7)} 人")
    elif roles.count("书记") != 1:
        faults.append("不设支委会的支部应设 1 名书记")
    if roles.count("副书记") > int(p.get("max_deputies", 1)):
        faults.append("副书记一般不超过 1 名")
    return once(branch, rule, not faults, "；".join(faults), evidence=[_yaml(branch)])


def _term_end(branch: Branch, rule: Rule):
    committee = branch.committee
    years = committee.term_years or int(rule.params.get("default_term_years", 3))
    return add_years(committee.elected_on, years)


@rule_type("committee_term")
def committee_term(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """The committee is within its term, or within an approved extension of at most `max_extension_months`."""
    if branch.committee is None:
        return once(branch, rule, None)
    end = _term_end(branch, rule)
    extended = branch.committee.extended_until
    limit = add_months(end, int(rule.params.get("max_extension_months", 12)))
    if extended and extended > limit:
        return once(branch, rule, False, f"延期至 {extended}，超过届满（{end}）后 1 年的上限", evidence=[_yaml(branch)])
    if ctx.as_of < end:
        return once(branch, rule, True, evidence=[_yaml(branch)])
    if extended and ctx.as_of <= extended:
        return once(branch, rule, True, f"任期已于 {end} 届满，经批准延期至 {extended}", evidence=[_yaml(branch)])
    overdue = (ctx.as_of - end).days
    return once(branch, rule, False, f"任期已于 {end} 届满，逾期 {overdue} 天未换届", evidence=[_yaml(branch)])


@rule_type("term_reminder")
def term_reminder(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """A reminder from `months_before` months before the term ends (an expired term is BR-06's matter)."""
    if branch.committee is None:
        return once(branch, rule, None)
    end = _term_end(branch, rule)
    if ctx.as_of >= end:
        return once(branch, rule, None, f"任期已于 {end} 届满")
    start = add_months(end, -int(rule.params.get("months_before", 6)))
    days = (end - ctx.as_of).days
    return once(branch, rule, ctx.as_of < start, f"任期将于 {end} 届满（还有 {days} 天），请做好换届准备",
                evidence=[_yaml(branch)])


@rule_type("secretary_seniority")
def secretary_seniority(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """The secretary has been a full member for at least `min_years` years."""
    officer = branch.secretary_officer()
    if officer is None:
        return once(branch, rule, False, "未登记支部书记", evidence=[_yaml(branch)])
    member = next((m for m in branch.members if m.id == officer.member), None)
    if member is None or member.full_on is None:
        return once(branch, rule, False, "书记不是本支部正式党员", evidence=[_yaml(branch)])
    since = add_years(member.full_on, int(rule.params.get("min_years", 1)))
    return once(branch, rule, since <= ctx.as_of, f"书记转为正式党员不满 {rule.params.get('min_years', 1)} 年",
                evidence=[_yaml(branch)])


@rule_type("double_leader")
def double_leader(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """A teacher branch's secretary is a 双带头人 (Party-work and academic leader)."""
    officer = branch.secretary_officer()
    ok = bool(officer and officer.double_leader)
    return once(branch, rule, ok, "教工党支部书记尚未登记为“双带头人”", evidence=[_yaml(branch)])
