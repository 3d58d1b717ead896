"""Optional columns left off the end of a row read as empty cells (issue 16: the guide's own example must pass).

The 参与 page's first step tells a secretary to open `records/jidian/jidian-js1/meetings.csv` and add the
example row "照第一行（表头）的列顺序填写". Since `voting_expected,voting_present` were added (optional columns,
issue 10 MT-01Q), that file's header has nine columns while the guide's row has seven; copying the example
exactly failed the check. A row may now stop before optional columns at the end of the header; a row that
lacks an ordinary column is still a problem, named once.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from conftest import REPO
from test_guide_examples import examples

from generator.pipeline import run_check

BRANCH = "records/jidian/jidian-js1"
AS_OF = dt.date(2026, 11, 20)


def _demo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "records", root / "records")
    shutil.copytree(REPO / "standards", root / "standards")
    return root


def _append(root: Path, rows: list[str]) -> Path:
    path = root / BRANCH / "meetings.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + ("" if text.endswith("\n") else "\n") + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def _meeting(run, meeting_id: str):
    [branch] = [b for b in run.ledger.branches if b.code == "jidian-js1"]
    return next((m for m in branch.meetings if m.id == meeting_id), None)


def test_the_guides_first_example_passes_in_the_branch_it_names(tmp_path):
    """Step 4 of 在网页上登记一次会议, copied exactly into the file step 2 opens."""
    root = _demo(tmp_path)
    header = (root / BRANCH / "meetings.csv").read_text(encoding="utf-8").split("\n", 1)[0]
    step = next(text for lang, text in examples(REPO / "docs/contribute.md") if lang == "csv" and "ztdr" in text)
    guide_header, row = step.strip("\n").split("\n")
    assert header.startswith(guide_header + ",") and header.count(",") > guide_header.count(",")  # a wider file
    _append(root, [row])
    run = run_check(root, paths=[BRANCH], as_of=AS_OF)
    assert [(p.code, p.row) for p in run.problems if p.path.startswith(BRANCH)] == []
    held = _meeting(run, "2025-03-12-ztdr")
    assert held is not None and (held.kind, held.expected, held.present) == ("主题党日", 18, 16)
    assert held.voting_expected is None and held.voting_present is None


def test_rows_of_several_widths_that_leave_off_only_optional_cells_are_read(tmp_path):
    root = _demo(tmp_path)
    _append(root, [
        "2025-03-13-ztdr,2025-03-13,主题党日,学习,18,16,",        # 7 cells: both optional cells left off
        "2025-03-14-ztdr,2025-03-14,主题党日,学习,18,15,,",       # 8 cells: one left off
        "2025-03-15-dydh,2025-03-15,党员大会,表决,18,17,,16,15",  # 9 cells: all there
    ])
    run = run_check(root, paths=[BRANCH], as_of=AS_OF)
    assert [(p.code, p.row) for p in run.problems if p.path.startswith(BRANCH)] == []
    assert _meeting(run, "2025-03-13-ztdr").present == 16
    assert _meeting(run, "2025-03-14-ztdr").present == 15
    vote = _meeting(run, "2025-03-15-dydh")
    assert (vote.voting_expected, vote.voting_present) == (16, 15)


def test_a_row_that_lacks_an_ordinary_cell_is_still_a_problem(tmp_path):
    """`group` is not optional: dropping its comma leaves the row one ordinary cell short."""
    root = _demo(tmp_path)
    path = _append(root, ["2025-03-13-ztdr,2025-03-13,主题党日,学习,18,16"])
    line = path.read_text(encoding="utf-8").rstrip("\n").count("\n") + 1
    run = run_check(root, paths=[BRANCH], as_of=AS_OF)
    found = [(p.code, p.row) for p in run.problems if p.path.startswith(BRANCH)]
    assert found == [("csv-missing-trailing-comma", line)]
    assert _meeting(run, "2025-03-13-ztdr") is None and run.errors
