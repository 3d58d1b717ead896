"""A secretary's common CSV mistakes are named once, with the way out, instead of a pile of cell errors.

The mistakes are made for real on the demo records (the 226-line meetings.csv of jidian-js1): Excel's
GBK round trip, a line break in a topic, a date column rewritten as 2023/1/12. tests/data/broken/ holds
one small case per shape (encoding-damaged, csv-line-break, csv-fullwidth-comma, csv-missing-id,
csv-missing-trailing-comma, date-format-column), checked by test_broken.py.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO

from generator.pipeline import run_check
from generator.records.mojibake import find_damage, repaired

AS_OF = dt.date(2026, 11, 20)
BRANCH = "records/jidian/jidian-js1"
MEETINGS = f"{BRANCH}/meetings.csv"


@pytest.fixture
def demo(tmp_path) -> Path:
    shutil.copytree(REPO / "records", tmp_path / "records")
    shutil.copytree(REPO / "standards", tmp_path / "standards")
    return tmp_path


def excel_round_trip(data: bytes) -> bytes:
    """Double-click in Chinese Excel (UTF-8 read as code page 936), then save as "CSV UTF-8" (with a BOM)."""
    return b"\xef\xbb\xbf" + data.decode("gbk", errors="replace").encode("utf-8")


def problems_of(root: Path, path: str):
    run = run_check(root, paths=[BRANCH], as_of=AS_OF)
    return [p for p in run.problems if p.path == path]


def test_excel_round_trip_is_one_encoding_problem(demo):
    file = demo / MEETINGS
    file.write_bytes(excel_round_trip(file.read_bytes()))
    found = problems_of(demo, MEETINGS)
    assert [p.code for p in found] == ["encoding-damaged"]  # not 225 × meeting-kind-unknown
    message = found[0].message
    assert "乱码" in message and "数据 → 自文本/CSV" in message and "UTF-8" in message
    assert found[0].row is None and "如第 2 行的“" in message  # the whole file; its first damaged line named


def _chinese_text_files() -> list[Path]:
    folders = ["records", "standards", "docs", "generator/site/templates"]
    return [p for folder in folders for p in sorted((REPO / folder).rglob("*"))
            if p.suffix in (".csv", ".yaml", ".md", ".j2", ".json")
            and re.search("[\u4e00-\u9fff]", p.read_text("utf-8"))]


def test_every_record_file_round_tripped_is_recognised():
    files = [p for p in _chinese_text_files() if p.suffix == ".csv"]
    assert len(files) >= 24
    missed = [str(p) for p in files if find_damage(excel_round_trip(p.read_bytes()).decode("utf-8-sig")) is None]
    assert not missed


def test_genuine_chinese_is_never_taken_for_damage():
    files = _chinese_text_files()
    assert len(files) > 100
    flagged = [str(p) for p in files if find_damage(p.read_text("utf-8"))]
    assert not flagged
    damaged = "党员大会".encode().decode("gbk")  # 12 bytes: six characters, nothing lost
    assert repaired(damaged) == "党员大会"  # the round trip undone: what the text was meant to say
    assert repaired("学习党的二十届三中全会精神") is None


def test_line_break_in_a_topic_is_named_once(demo):
    file = demo / MEETINGS
    lines = file.read_text("utf-8").splitlines(keepends=True)
    cells = lines[178].split(",")
    cells[3] = cells[3][:3] + "\n" + cells[3][3:]
    lines[178] = ",".join(cells)
    file.write_text("".join(lines), encoding="utf-8")
    found = problems_of(demo, MEETINGS)
    assert [p.code for p in found] == ["csv-line-break"]
    assert found[0].message.startswith("第 179 行的“主题”（topic）中有换行：第 179 行和第 180 行本是同一条记录")
    assert "^[a-z0-9-]+$" not in found[0].message


def test_a_date_column_excel_rewrote_is_one_problem(demo):
    file = demo / MEETINGS
    lines = file.read_text("utf-8").splitlines(keepends=True)

    def slash(line: str) -> str:
        cells = line.split(",")
        year, month, day = cells[1].split("-")
        cells[1] = f"{int(year)}/{int(month)}/{int(day)}"
        return ",".join(cells)

    file.write_text(lines[0] + "".join(slash(line) for line in lines[1:]), encoding="utf-8")
    found = problems_of(demo, MEETINGS)
    assert [p.code for p in found] == ["date-format-column"]
    assert (found[0].row, found[0].field, found[0].column) == (2, "date", 2)  # the annotation points at the column
    assert found[0].rows == tuple(range(3, len(lines) + 1))  # the one problem stands for every line of the column
    assert found[0].message.startswith(f"date 列共 {len(lines) - 1} 行写成了 2023/1/10 这样的格式")
    assert "yyyy-mm-dd" in found[0].message


def test_the_same_shape_on_many_lines_is_one_problem(demo):
    file = demo / MEETINGS
    text = file.read_text("utf-8")
    file.write_text(text + "2026-11-15，2026-11-15，主题党日，学习条例，20，18，\n"
                    "2026-11-16，2026-11-16，支委会，研究工作，4，4，\n", encoding="utf-8")
    found = problems_of(demo, MEETINGS)
    assert [p.code for p in found] == ["csv-fullwidth-comma"]
    assert found[0].message.startswith("这一行用了中文逗号“，”分列")
    assert "另有 1 行同样：第 228 行" in found[0].message


REGEX = re.compile(r"\^|\$|\[a-z|\\d|\{0,|\]\+|\]\{")


def _pattern_fields() -> list[tuple[str, str]]:
    out = []
    for schema in sorted((REPO / "standards/schemas").glob("*.schema.json")):
        data = json.loads(schema.read_text("utf-8"))
        for item in data.get("fields", []):
            if "pattern" in item.get("constraints", {}):
                out.append((schema.name.split(".")[0], item["name"]))
    return out


@pytest.mark.parametrize(("table", "name"), _pattern_fields())
def test_no_message_shows_a_regular_expression(make_repo, table, name):
    root = make_repo()
    file = root / "records/gongcheng/gongcheng-js1" / f"{table}.csv"
    if not file.exists():  # an optional file the fixture leaves out: its schema's columns and one empty row
        fields = [f["name"] for f in json.loads((REPO / f"standards/schemas/{table}.schema.json").read_text("utf-8"))
                  ["fields"]]
        file.write_text(",".join(fields) + "\n" + "," * (len(fields) - 1) + "\n", encoding="utf-8")
    lines = file.read_text("utf-8").splitlines()
    if name not in lines[0].split(","):  # an optional column the fixture leaves out: add it, empty
        lines = [lines[0] + "," + name] + [line + "," for line in lines[1:]]
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index(name)] = "Bad Value!"
    lines[1] = ",".join(cells)
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = run_check(root, as_of=dt.date(2025, 3, 31))
    assert run.problems
    shown = [p.message for p in run.problems if REGEX.search(p.message)]
    assert not shown


def test_no_yaml_message_shows_a_regular_expression(make_repo):
    root = make_repo()
    (root / "records/gongcheng/gongcheng-js1/exemptions.yaml").write_text(
        "exemptions:\n  - rule: mt7\n    from: 2025-01-01\n    expires_on: 2025-01-31\n"
        "    reason: 测试\n    approver: 工程学院党委\n    approved_on: 2024-12-20\n", encoding="utf-8")
    run = run_check(root, as_of=dt.date(2025, 3, 31))
    found = [p for p in run.problems if p.path.endswith("exemptions.yaml")]
    assert found and "例：MT-07" in found[0].message
    assert not [p.message for p in found if REGEX.search(p.message)]


def _meetings_row(root: Path, row: str) -> list:
    file = root / "records/gongcheng/gongcheng-js1/meetings.csv"
    file.write_text(file.read_text("utf-8") + row + "\n", encoding="utf-8")
    run = run_check(root, as_of=dt.date(2025, 3, 31))
    return [p for p in run.problems if p.path.endswith("meetings.csv")]


def test_a_near_miss_meeting_kind_asks_what_was_meant(make_repo):
    found = _meetings_row(make_repo(), "2025-03-28-zwh,2025-03-28,支委会议,研究工作,4,4,")
    assert [p.code for p in found] == ["meeting-kind-unknown"]
    assert "是不是“支委会”？" in found[0].message


def test_present_above_expected_says_what_to_check(make_repo):
    found = _meetings_row(make_repo(), "2025-03-28-zwh,2025-03-28,支委会,研究工作,4,5,")
    assert [p.code for p in found] == ["present-exceeds-expected"]
    assert "两列是否填反" in found[0].message and "列席" in found[0].message


def test_a_missing_cell_is_reported_once(make_repo):
    found = _meetings_row(make_repo(), "2025-03-28-zwh,2025-03-28,支委会,研究工作")
    cells = [(p.row, p.field) for p in found]
    assert len(cells) == len(set(cells)), [(p.code, p.field) for p in found]
    assert {p.field for p in found} == {"expected", "present", "group"}
    assert {p.code for p in found} == {"missing-cell"}


def test_a_row_without_its_last_ordinary_comma_names_only_the_comma_it_needs(demo):
    """jidian-js1's meetings.csv ends with the optional voting columns, which a row may leave off
    (test_optional_tail); a row that also drops the comma of the empty `group` lacks one ordinary cell."""
    file = demo / MEETINGS
    header = file.read_text("utf-8").split("\n", 1)[0].split(",")
    assert header[-2:] == ["voting_expected", "voting_present"]
    file.write_text(file.read_text("utf-8") + "2026-11-15-ztdr,2026-11-15,主题党日,学习条例,20,18\n", encoding="utf-8")
    found = problems_of(demo, MEETINGS)
    assert [p.code for p in found] == ["csv-missing-trailing-comma"]
    assert found[0].message.startswith("这一行末尾少了 1 个英文逗号：最后一列“党小组”（group）为空时"), found[0].message
    assert "请在行末补上“,”" in found[0].message and "应有 7 列" in found[0].message


class _CountingRows(list):
    """Rows that count how many the diagnosis looks at."""

    looked = 0

    def __getitem__(self, index):
        type(self).looked += 1
        return super().__getitem__(index)


def test_many_one_cell_lines_are_diagnosed_in_time_proportional_to_the_file():
    # Issue 11 round 2: 100,000 lines of "x" appended to study.csv ran the check for more than five minutes,
    # each line joined with every line after it in search of a record broken by line breaks.
    from generator.records.textfile import CsvTable
    from generator.validation.diagnose import _MAX_SPILL, _joined_record

    fields = [{"name": n, "type": "string"} for n in ("member", "date", "hours", "kind")]
    for count in (1_000, 100_000):
        _CountingRows.looked = 0
        table = CsvTable("records/x/y/study.csv", [f["name"] for f in fields],
                         _CountingRows([["x"]] * count), list(range(2, count + 2)))
        assert _joined_record(table, 0, fields) == 0
        assert _CountingRows.looked <= 2 * _MAX_SPILL + 2, count
