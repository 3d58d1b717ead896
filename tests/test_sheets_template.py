"""`zhibu template`: a branch's workbook, prefilled, typed, with dropdowns; byte-identical for the same input."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest

from generator.cli import main
from generator.sheets.branchfiles import read_branch
from generator.sheets.template import branch_template, write_workbook
from generator.standards.catalogue import load_standards

AS_OF = dt.date(2025, 3, 31)
BRANCH = "gongcheng-js1"
FOLDER = "records/gongcheng/gongcheng-js1"
SHEETS = {"members": "名册", "meetings": "会议", "dues": "党费", "development": "发展党员", "study": "学习"}


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _csv(root: Path, name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((root / FOLDER / name).read_text(encoding="utf-8"))))


def test_same_records_same_bytes_and_the_date_is_fixed(make_repo):
    root = make_repo()
    first = branch_template(root, BRANCH, AS_OF)
    assert first == branch_template(root, BRANCH, AS_OF)
    assert first != branch_template(root, BRANCH, dt.date(2025, 4, 1))
    book = _book(first)
    assert book.properties.created == dt.datetime(2025, 3, 31)


def test_sheets_headers_and_prefilled_rows(make_repo):
    root = make_repo()
    book = _book(branch_template(root, BRANCH, AS_OF))
    assert book.sheetnames[:6] == ["填写说明", "名册", "会议", "党费", "发展党员", "学习"]
    meetings = book["会议"]
    assert meetings["A1"].value == "记录编号\nid" and meetings["C1"].value == "类型\nkind"
    assert meetings.freeze_panes == "A2"
    rows = _csv(root, "meetings.csv")
    assert meetings.max_row == len(rows)
    third = meetings["A4"], meetings["B4"], meetings["C4"], meetings["E4"], meetings["G4"]
    assert [c.value for c in third] == ["2025-01-20-xzh", dt.datetime(2025, 1, 20), "党小组会", 8, "g1"]
    assert meetings["B4"].number_format == "yyyy-mm-dd" and meetings["A4"].data_type == "s"
    dues = book["党费"]
    assert dues["C2"].value == 50 and dues["C2"].number_format == "0.00"
    assert dues["A2"].value == "2025-01" and dues["A2"].data_type == "s"  # a month stays text
    guide = book["填写说明"]
    assert (guide["A2"].value, guide["B2"].value) == ("支部代码", BRANCH)


def test_leading_zeros_and_text_that_looks_like_a_number_stay_text(make_repo):
    root = make_repo()
    path = root / FOLDER / "meetings.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2025-01-08-zwh,", "007,"), encoding="utf-8")
    book = _book(branch_template(root, BRANCH, AS_OF))
    assert book["会议"]["A2"].value == "007" and book["会议"]["A2"].data_type == "s"
    assert book["会议"].column_dimensions["A"].number_format == "@"  # rows typed later stay text too


def _validations(sheet) -> dict[str, tuple[str, str]]:
    return {str(dv.sqref).split(":")[0]: (dv.type, dv.formula1) for dv in sheet.data_validations.dataValidation}


def test_dropdowns_from_schema_enums_and_the_branch_groups(make_repo):
    root = make_repo()
    book = _book(branch_template(root, BRANCH, AS_OF))
    meetings = _validations(book["会议"])
    assert meetings["C2"] == ("list", '"党员大会,支委会,党小组会,党课,主题党日,组织生活会,民主评议党员"')
    assert meetings["G2"] == ("list", '"g1"')
    assert meetings["B2"][0] == "date" and meetings["E2"] == ("whole", "1")  # 应到人数 at least 1
    members = _validations(book["名册"])
    assert members["B2"] == ("list", '"教职工,学生,离退休,其他"')
    study = _validations(book["学习"])
    assert study["A2"] == ("list", "'名册'!$A$2:$A$5000")  # member ids from the roster sheet
    assert study["C2"] == ("decimal", "0.01")  # hours between 0.01 and 24


def test_a_list_longer_than_excels_inline_limit_goes_to_a_hidden_sheet(make_repo):
    root = make_repo()
    branch_yaml = root / FOLDER / "branch.yaml"
    groups = "".join(f"  - code: group-number-{i:02d}\n    name: 第{i}党小组\n" for i in range(40))
    text = branch_yaml.read_text(encoding="utf-8").replace("  - code: g1\n    name: 第一党小组\n", groups)
    branch_yaml.write_text(text, encoding="utf-8")
    book = _book(branch_template(root, BRANCH, AS_OF))
    assert _validations(book["会议"])["G2"] == ("list", "'下拉选项'!$A$1:$A$40")
    lists = book["下拉选项"]
    assert lists.sheet_state == "hidden"
    assert [lists.cell(row=i + 1, column=1).value for i in range(40)] == [f"group-number-{i:02d}" for i in range(40)]


def test_a_table_added_later_gets_its_own_sheet(make_repo):
    root = make_repo()
    standards = load_standards(root / "standards")
    standards.table_schemas["visits"] = {"title": "走访记录（visits.csv）", "fields": [
        {"name": "date", "title": "走访日期", "type": "date"}, {"name": "note", "title": "说明", "type": "string"}]}
    book = _book(write_workbook(standards, read_branch(root, BRANCH), AS_OF))
    assert book["走访记录"]["A1"].value == "走访日期\ndate"
    assert "走访日期" in [c.value for c in book["填写说明"]["A"]]


def test_a_thousand_row_dues_sheet_stays_small(make_repo):
    root = make_repo()
    members = [f"p{i:07d}" for i in range(84)]
    with (root / FOLDER / "dues.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["month", "member", "due", "paid", "paid_on"])
        for i in range(1000):
            writer.writerow([f"2025-{i % 12 + 1:02d}", members[i % 84], "12.30", "12.30", "2025-03-10"])
    data = branch_template(root, BRANCH, AS_OF)
    assert _book(data)["党费"].max_row == 1001
    assert len(data) < 100_000, len(data)


def test_cli_writes_the_file_and_an_unknown_branch_exits_2(make_repo, tmp_path, capsys):
    root = make_repo()
    out = tmp_path / "out.xlsx"
    assert main(["--root", str(root), "template", BRANCH, "--out", str(out), "--as-of", "2025-03-31"]) == 0
    assert out.read_bytes() == branch_template(root, BRANCH, AS_OF)
    assert main(["--root", str(root), "template", "nosuch-branch", "--out", str(tmp_path / "x.xlsx")]) == 2
    assert "没有代码为“nosuch-branch”的支部" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize("table", ["members", "meetings", "dues", "development", "study"])
def test_every_prefilled_cell_reads_back_as_its_csv_text(make_repo, table):
    root = make_repo()
    book = _book(branch_template(root, BRANCH, AS_OF))
    sheet = book[SHEETS[table]]
    rows = _csv(root, f"{table}.csv")
    headers = [str(c.value).split("\n")[1] for c in sheet[1]]
    for number, row in enumerate(rows[1:], start=2):
        for name, text in zip(rows[0], row, strict=True):
            value = sheet.cell(row=number, column=headers.index(name) + 1).value
            if isinstance(value, dt.datetime):
                value = value.date().isoformat()
            elif isinstance(value, float | int) and "." in text:
                value = f"{value:.{len(text.split('.')[1])}f}"
            assert ("" if value is None else str(value)) == text, (table, number, name)


def test_the_default_file_is_code_xlsx_in_the_current_folder_and_import_reads_it_from_there(
        make_repo, tmp_path, monkeypatch):
    root = make_repo()
    here = tmp_path / "desk"
    here.mkdir()
    monkeypatch.chdir(here)
    assert main(["--root", str(root), "template", BRANCH, "--as-of", "2025-03-31"]) == 0
    assert (here / f"{BRANCH}.xlsx").read_bytes() == branch_template(root, BRANCH, AS_OF)
    assert not (root / f"{BRANCH}.xlsx").exists()
    assert main(["--root", str(root), "import", f"{BRANCH}.xlsx", "--dry-run", "--as-of", "2025-03-31"]) == 0
