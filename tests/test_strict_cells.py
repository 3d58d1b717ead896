"""Issue 11 class 1: a record the check accepts is never dropped later.

Every date, month and number cell fully matches the contract's format (YYYY-MM-DD, YYYY-MM, plain decimals)
or is a coded problem on its row; a row that carries no problem always reaches the ledger, and if one ever
could not, the check stops with an internal error instead of publishing the branch without it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from recordedits import set_cell

from generator.cli import main
from generator.ledger.build import RecordDropped, build_ledger
from generator.pipeline import run_check
from generator.records.load import load
from generator.standards.catalogue import load_standards
from generator.validation.validated import Validated

BRANCH = "records/gongcheng/gongcheng-js1"
AS_OF = dt.date(2025, 3, 31)


DATES = ["2023-1-16", "2020-9-8", "2025-01 -15", "2025- 1-15", "20250115", "2025-01-15T00:00", "2025-W03-3",
         "٢٠٢٥-٠١-١٥", "2025-02-29", "2025-1-15\n"]
NUMBERS = ["Infinity", "NaN", "sNaN", "-inf", "inf", "1e1", "1_0", "٣", "0x10", "+5", "5.", ".5", "1" * 40]
MONTHS = ["2025-1", "٢٠٢٥-01", "2025-01\n", "2025/01", "2025-13"]
CELLS = ([("meetings", 2, "date", v) for v in DATES] + [("members", 3, "admitted_on", v) for v in DATES[:4]]
         + [("study", 2, "date", v) for v in DATES[:3]] + [("dues", 2, "paid_on", v) for v in DATES[:2]]
         + [("development", 2, "applied_on", v) for v in DATES[:2]]
         + [("dues", 2, "due", v) for v in NUMBERS] + [("dues", 3, "paid", v) for v in NUMBERS[:5]]
         + [("study", 2, "hours", v) for v in NUMBERS] + [("development", 2, "trained_hours", v) for v in NUMBERS[:4]]
         + [("meetings", 2, "expected", v) for v in NUMBERS + ["1.0", "-0.5"]]
         + [("dues", 2, "month", v) for v in MONTHS])


@pytest.mark.parametrize(("table", "line", "column", "value"), CELLS)
def test_a_cell_outside_the_contract_format_is_a_problem_on_its_row(make_repo, table, line, column, value):
    root = make_repo()
    set_cell(root, table, line, column, value)
    run = run_check(root, as_of=AS_OF)
    path = f"{BRANCH}/{table}.csv"
    on_row = [p for p in run.errors if p.path == path and p.row == line]
    assert on_row, [(p.code, p.path, p.row, p.field) for p in run.problems]
    assert {p.code for p in on_row} <= {"type-error", "constraint-error", "stray-whitespace", "fullwidth-digits"}
    assert any(p.field == column for p in on_row), on_row


@pytest.mark.parametrize("value", ["2023-1-16", "NaN", "Infinity"])
def test_build_refuses_instead_of_crashing_or_dropping(make_repo, capsys, tmp_path, value):
    root = make_repo()
    set_cell(root, "study", 2, "hours" if value[0].isalpha() else "date", value)
    assert main(["--root", str(root), "build", "--out", str(tmp_path / "site"), "--as-of", "2025-03-31"]) == 1
    err = capsys.readouterr().err
    assert "未生成站点" in err and "（加 --debug 查看详情）" not in err


@pytest.mark.parametrize(("field", "value"), [("founded_on", "2023-02-29"), ("founded_on", "2024-06-31"),
                                              ("founded_on", "2024-13-01"), ("founded_on", "'٢٠٢٣-01-01'"),
                                              ("founded_on", "'2023-01-01\\n'")])
def test_impossible_yaml_dates_are_their_own_problem(make_repo, field, value):
    root = make_repo()
    file = root / BRANCH / "branch.yaml"
    text = file.read_text(encoding="utf-8")
    lines = text.splitlines()
    number = next(i for i, line in enumerate(lines, start=1) if line.startswith(f"{field}:"))
    lines[number - 1] = f'{field}: "{value.strip(chr(39))}"' if "\\n" in value else f"{field}: {value}"
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = run_check(root, as_of=AS_OF)
    found = [(p.code, p.path, p.row, p.field) for p in run.problems]
    assert found and found[0][1:] == (f"{BRANCH}/branch.yaml", number, field), found
    assert found[0][0] in ("invalid-date", "yaml-invalid"), found
    if value[0] == "2":
        assert found[0][0] == "invalid-date"


def test_a_row_the_ledger_cannot_read_fails_loudly(make_repo):
    """Were validation ever to let a row through that the ledger cannot read, the run stops: no silent skip."""
    root = make_repo()
    set_cell(root, "meetings", 3, "date", "2025-1-15")
    raw = load(root)
    with pytest.raises(RecordDropped) as caught:
        build_ledger(raw, Validated(), load_standards(root / "standards").setting_defaults())
    assert (caught.value.path, caught.value.line) == (f"{BRANCH}/meetings.csv", 3)


def test_rows_without_problems_all_reach_the_ledger(make_repo):
    root = make_repo()
    set_cell(root, "meetings", 3, "date", "2025-1-15")
    run = run_check(root, as_of=AS_OF)
    meetings = next(b for b in run.ledger.branches if b.code == "gongcheng-js1").meetings
    with (root / BRANCH / "meetings.csv").open(encoding="utf-8") as handle:
        data_rows = sum(1 for _ in handle) - 1
    assert sorted(m.line for m in meetings) == [line for line in range(2, data_rows + 2) if line != 3]


def test_yaml_booleans_are_true_and_false_only(make_repo):
    """YAML 1.2: `no`, `on`, `yes` are words. A group named `No` keeps that name (YAML 1.1 made it false, then "not
    text"); a yes/no field given `yes` is told to write true or false, on its line."""
    root = make_repo()
    file = root / BRANCH / "branch.yaml"
    text = file.read_text(encoding="utf-8")
    assert "    name: 第一党小组\n" in text and "      double_leader: true\n" in text
    file.write_text(text.replace("    name: 第一党小组\n", "    name: No\n"), encoding="utf-8")
    assert [p.code for p in run_check(root, as_of=AS_OF).problems if p.severity == "error"] == []
    file.write_text(text.replace("      double_leader: true\n", "      double_leader: yes\n"), encoding="utf-8")
    [problem] = [p for p in run_check(root, as_of=AS_OF).problems if p.severity == "error"]
    line = text.splitlines().index("      double_leader: true") + 1
    assert (problem.path, problem.row, problem.field) == (f"{BRANCH}/branch.yaml", line, "double_leader"), problem
    assert "true 或 false" in problem.message, problem.message
