"""Rows Frictionless would pass are not handed to it (validation/accepted.py), and no answer changes:
every problem, bad row and bad file is the same as when Frictionless reads every row."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import VALID_RECORDS
from hypothesis import given, settings
from hypothesis import strategies as st
from test_fuzz import CSV_FILES, SLOW, _csv_text, _read_rows, csv_mutation, fresh_repo

from generator.records.load import load
from generator.standards.catalogue import load_standards
from generator.validation import tables
from generator.validation.accepted import Acceptance
from generator.validation.parallel import check_part

BRANCH = "records/gongcheng/gongcheng-js1"


@contextlib.contextmanager
def _frictionless_reads_every_row() -> Iterator[None]:
    """The check as it was: no row accepted without Frictionless."""
    with pytest.MonkeyPatch.context() as patch:
        read = Acceptance.read
        patch.setattr(Acceptance, "read", lambda self, cells: (False, read(self, cells)[1]))
        yield


def _answer(root: Path) -> tuple[list[dict], dict, list]:
    raw = load(root)
    out = check_part(raw.branches, load_standards(root / "standards"))
    return ([p.as_dict() for p in out.problems], {p: sorted(r) for p, r in out.bad_rows.items()},
            sorted(out.bad_files))


def _same_answer(root: Path) -> tuple[list[dict], dict, list]:
    fast = _answer(root)
    with _frictionless_reads_every_row():
        assert _answer(root) == fast
    return fast


def _rows_read(root: Path) -> int:
    """How many rows the check hands to Frictionless."""
    read: list[int] = []
    validate = tables.Batch.validate

    def counting(self: tables.Batch, out: object) -> None:
        read.append(sum(len(m.rows) for m in self.merged.values()))
        validate(self, out)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tables.Batch, "validate", counting)
        _answer(root)
    return sum(read)


def _write(root: Path, rel: str, rows: list[list[str]]) -> None:
    (root / rel).write_text(_csv_text(rows, True), encoding="utf-8")


def test_good_rows_are_not_read_by_frictionless():
    with fresh_repo({}) as root:
        assert _same_answer(root) == ([], {}, [])
        assert _rows_read(root) == 0
        every = sum(len(_read_rows(str(f.relative_to(root)))) - 1 for f in (root / "records").glob("*/*/*.csv"))
        with _frictionless_reads_every_row():
            assert _rows_read(root) == every  # every row of the fixture, as before


def test_a_repeated_key_is_found_when_one_of_the_rows_is_good_and_the_other_not():
    rows = _read_rows(f"{BRANCH}/meetings.csv")
    header, first = rows[0], rows[1]
    again = list(first)
    again[header.index("topic")] = "长" * 201  # over maxLength: only Frictionless says so
    with fresh_repo({}) as root:
        _write(root, f"{BRANCH}/meetings.csv", [*rows, again])
        problems, bad_rows, _ = _same_answer(root)
        line = len(rows) + 1
        found = {(p["code"], p["field"]) for p in problems if p["row"] == line}
        assert found == {("primary-key", "id"), ("constraint-error", "topic")}
        assert bad_rows[f"{BRANCH}/meetings.csv"] == [line]
        assert _rows_read(root) == 2  # the first row and its repeat; the others are accepted


def test_a_repeated_good_row_is_a_primary_key_problem_on_the_repeat():
    rows = _read_rows(f"{BRANCH}/members.csv")
    with fresh_repo({}) as root:
        _write(root, f"{BRANCH}/members.csv", [*rows, rows[2]])
        problems, _, _ = _same_answer(root)
        assert [(p["code"], p["row"]) for p in problems] == [("primary-key", len(rows) + 1)]
        assert "第 3 行" in next(p["message"] for p in problems)  # the row it repeats


def test_a_table_of_mostly_short_rows_keeps_its_header():
    """Frictionless guesses the header row from the rows' widths unless told: with the good rows accepted, a
    short row and a row of 7 cells made it read the latter as the header, and no problem was found (hypothesis
    found this)."""
    rows = _read_rows(f"{BRANCH}/meetings.csv")
    rows[2] = ["2025-02-30", "2025-01-15", "主题党日"]
    rows = [row[:6] if row[0] == "2025-03-12-zwh" else row for row in rows]
    with fresh_repo({}) as root:
        (root / f"{BRANCH}/meetings.csv").write_text(_csv_text(rows, False), encoding="utf-8")
        problems, bad_rows, _ = _same_answer(root)
        assert {(p["row"], p["code"], p["field"]) for p in problems} >= {
            (3, "constraint-error", "topic"), (3, "constraint-error", "expected"), (10, "missing-cell", "group")}
        assert bad_rows == {f"{BRANCH}/meetings.csv": [3, 10]}  # the short row, and the row without its group


@settings(deadline=None, suppress_health_check=SLOW)
@given(rel=st.sampled_from(CSV_FILES), data=st.data())
def test_mutated_tables_answer_as_when_frictionless_reads_every_row(rel, data):
    rows = data.draw(csv_mutation(_read_rows(rel)))
    with fresh_repo({rel: _csv_text(rows, data.draw(st.booleans())).encode("utf-8")}) as root:
        _same_answer(root)


def test_the_fixture_has_rows_in_every_table():
    """So the property above reaches each schema's readers."""
    for rel in CSV_FILES:
        assert len(_read_rows(rel)) > 1, rel
    assert (VALID_RECORDS / "gongcheng/gongcheng-js1").is_dir()
