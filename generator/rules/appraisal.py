"""民主评议党员 results (appraisal.csv, counts only): the share of 优秀, and no grade for probationary members."""

from __future__ import annotations

from collections.abc import Callable

from generator.ledger.model import Appraisal, Branch
from generator.rules import FAIL, NA, PASS, Context, Result, result, rule_type
from generator.standards.catalogue import Rule

NO_FILE = "未登记民主评议党员结果（appraisal.csv），无法检查"
NO_ROW = "该年度未登记民主评议党员结果"


def _per_year(branch: Branch, rule: Rule, ctx: Context,
              judge: Callable[[Appraisal], tuple[bool, str, int | None]]) -> list[Result]:
    """One result per year: n/a with the reason where the optional file or the year's row is missing."""
    path = branch.files.get("appraisal")
    rows = {row.year: row for row in branch.appraisal}
    out = []
    for period in ctx.periods(rule.period, branch):
        row = rows.get(period.start.year)
        if path is None or row is None:
            out.append(result(branch, rule, period.label, NA, note=NO_FILE if path is None else NO_ROW))
            continue
        ok, note, people = judge(row)
        # no count or required: the number of 优秀 (or of members graded) is published only through the
        # suppressed tables of the branch and statistics pages, never in compliance.csv or a note
        out.append(result(branch, rule, period.label, PASS if ok else FAIL, note="" if ok else note,
                          evidence=((path, row.line),), people=None if ok else people))
    return out


@rule_type("appraisal_excellent_share")
def appraisal_excellent_share(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """评定为“优秀”的比例一般不超过 numerator/denominator (1/3) of the members graded that year.

    Members graded are those given one of the four grades; probationary members are not graded and do not
    count. A year in which nobody was graded is n/a.
    """
    top, bottom = int(rule.params.get("numerator", 1)), int(rule.params.get("denominator", 3))

    def judge(row: Appraisal) -> tuple[bool, str, int | None]:
        note = f"评定为优秀的人数超过评定等次人数的 {top}/{bottom}"
        return row.excellent * bottom <= row.graded * top, note, None

    found = _per_year(branch, rule, ctx, judge)
    graded = {row.year: row.graded for row in branch.appraisal}
    return [r if r.status == NA or graded.get(int(r.period[:4])) else
            result(branch, rule, r.period, NA, note="该年度没有评定等次的党员") for r in found]


@rule_type("appraisal_probationary")
def appraisal_probationary(branch: Branch, rule: Rule, ctx: Context) -> list[Result]:
    """预备党员参加民主评议，但不评定等次: no more members graded than full members on the appraisal day.

    The roster (members.csv) gives the full members on the day of the appraisal meeting (the row's meeting,
    else 31 December of the year); grading more people than that means a probationary member was graded.
    """

    def judge(row: Appraisal) -> tuple[bool, str, int | None]:
        day = branch.appraisal_day(row)
        full = len(branch.full_members(day))
        note = f"评定等次的人数多于评议当日（{day}）的正式党员人数：预备党员参加评议，但不评定等次"
        return row.graded <= full, note, row.graded - full  # persons graded who may not be

    return _per_year(branch, rule, ctx, judge)
