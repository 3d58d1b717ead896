"""组织生活会 rectification rule: items raised at a 组织生活会 are closed by their due dates (整改逐一落实)."""

from __future__ import annotations

from generator.ledger.model import Branch
from generator.rules import DUE, FAIL, NA, PASS, Context, Result, result, rule_type
from generator.standards.catalogue import Rule

NO_FILE = "未建立组织生活会整改台账（rectification.csv），无法检查"
NO_ITEMS = "该年度组织生活会没有登记整改事项"


@rule_type("rectification_due")
def rectification_due(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """Per year of the 组织生活会 that raised them: no item is still open after its due date.

    An item past due and not closed on the as-of date fails the year; items still open before their due date
    leave it `due` (进行中); all closed is a pass. A branch without rectification.csv, or a year without items,
    is `n/a` with the reason (the file is optional: a missing record is never a failure).
    """
    path = branch.files.get("rectification")
    out = []
    for period in ctx.periods(rule.period, branch):
        if path is None:
            out.append(result(branch, rule, period.label, NA, note=NO_FILE))
            continue
        year = period.start.year
        items = [i for i in branch.rectification if branch.rectification_year(i) == year]
        if not items:
            out.append(result(branch, rule, period.label, NA, note=NO_ITEMS))
            continue
        overdue = [i for i in items if i.overdue_on(ctx.as_of)]
        still_open = [i for i in items if i.open_on(ctx.as_of) and not i.overdue_on(ctx.as_of)]
        closed = len(items) - len(overdue) - len(still_open)
        if overdue:
            status, note = FAIL, f"{len(overdue)} 项整改已过期限仍未完成（共 {len(items)} 项，已完成 {closed} 项）"
        elif still_open:
            status, note = DUE, f"{len(still_open)} 项整改尚在期限内，未完成"
        else:
            status, note = PASS, ""
        out.append(result(branch, rule, period.label, status, count=closed, required=len(items), note=note,
                          evidence=tuple((path, i.line) for i in overdue or still_open)))
    return out
