"""A meeting nobody attended was not held: 实到人数 0 (or 应到人数 0) is an error on its cell, never a held meeting.

Before, meetings.schema.json allowed 0 for both counts, so a row `…,18,0,` passed the check and counted as a
支委会 or 主题党日 held that month: the branch could be published as 通过 for a meeting that did not happen.
"""

from __future__ import annotations

import pytest
from recordedits import BRANCH, set_cell

from generator.pipeline import run_check

AS_OF = __import__("datetime").date(2025, 3, 31)


@pytest.mark.parametrize(("line", "column", "value"), [
    (2, "present", "0"), (3, "present", "0"), (2, "expected", "0"), (3, "expected", "0"), (2, "present", "-1"),
])
def test_a_count_below_one_is_an_error_on_its_cell(make_repo, line, column, value):
    root = make_repo()
    set_cell(root, "meetings", line, column, value)
    run = run_check(root, as_of=AS_OF)
    found = [p for p in run.errors if p.path == f"{BRANCH}/meetings.csv"]
    assert [(p.row, p.field) for p in found] == [(line, column)], [(p.code, p.row, p.field) for p in run.errors]
    assert "不能小于 1" in found[0].message, found[0].message
    held = {m.id for b in run.ledger.branches for m in b.meetings}
    assert len(held) == sum(len(b.meetings) for b in make_run(make_repo).ledger.branches) - 1


def make_run(make_repo):
    return run_check(make_repo(), as_of=AS_OF)


def test_one_present_is_a_meeting(make_repo):
    root = make_repo()
    set_cell(root, "meetings", 2, "present", "1")
    assert not [p for p in run_check(root, as_of=AS_OF).errors if p.path.endswith("meetings.csv")]
