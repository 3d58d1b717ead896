"""Open data downloads: no cell a spreadsheet would run as a formula (OWASP CSV injection), numbers intact."""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from frictionless import Package, Resource, Schema
from hostile import BRANCH_NAME, RULE_TEXT, UNIT_NAME, make_hostile_project

from generator.sheets import download
from generator.site.build import build_site
from generator.site.opendata import csv_bytes, safe_cell

AS_OF = dt.date(2025, 3, 31)
PLAIN = re.compile(r"^(-?\d+(\.\d+)?|\d{4}-\d{2}(-\d{2})?)$")  # a number or an ISO date/month: left alone


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    project = make_hostile_project(tmp_path_factory.mktemp("downloads"))
    build_site(project, Path("site"), AS_OF)
    return project / "site"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_no_published_cell_starts_a_formula(hostile_site):
    files = sorted(hostile_site.rglob("*.csv"))
    assert {p.name for p in files} >= {"compliance.csv", "branches.csv", "units.csv", "rules.csv"}
    checked = 0
    for path in files:
        for row in _rows(path):
            assert None not in row and None not in row.values(), f"{path.name}: a row lost its shape: {row}"
            for column, cell in row.items():
                checked += 1
                first = {cell[:1], cell.lstrip()[:1]} - {""}
                assert not (first & set("=+-@\t\r")) or PLAIN.match(cell), f"{path.name} {column}: {cell!r}"
    assert checked > 100


def test_every_offered_workbook_has_no_formula_external_link_or_macro(hostile_site):
    books = sorted(hostile_site.rglob("*.xls*"))
    tables = {p.stem for p in (hostile_site / "data").glob("*.csv")}
    assert {f"{t}.xlsx" for t in tables} <= {p.name for p in books}, "every CSV table has its workbook beside it"
    assert (hostile_site / "data" / "template.xlsx") in books  # the secretaries' blank workbook is read too
    cells = 0
    for path in books:
        assert path.suffix == ".xlsx", f"{path.name}: only .xlsx (no .xlsm macros, no .xls)"
        with zipfile.ZipFile(path) as archive:
            for part in archive.namelist():
                assert "vbaProject" not in part and not part.startswith("xl/externalLinks/"), f"{path.name}: {part}"
                data = archive.read(part)
                assert b'TargetMode="External"' not in data, f"{path.name} {part}: an external link"
                if part.startswith("xl/worksheets/"):
                    assert not re.search(rb"<f[ >/]", data), f"{path.name} {part}: a formula"
        for sheet in openpyxl.load_workbook(path):
            for row in sheet.iter_rows():
                for cell in row:
                    cells += 1
                    assert cell.data_type != "f", f"{path.name} {sheet.title}!{cell.coordinate}: {cell.value!r}"
    assert cells > 100


def test_workbooks_hold_the_csv_rows_with_hostile_text_as_plain_text(hostile_site):
    data = hostile_site / "data"
    for table in ("compliance", "branches", "units", "rules"):
        sheet = openpyxl.load_workbook(data / f"{table}.xlsx").active
        rows = _rows(data / f"{table}.csv")
        assert sheet.max_row == len(rows) + 1, table
        assert [c.value for c in sheet[1]] == list(rows[0]), table
    name = openpyxl.load_workbook(data / "branches.xlsx").active["C2"]
    assert (name.value, name.data_type) == (BRANCH_NAME, "s")  # as written, no apostrophe, and text
    title = openpyxl.load_workbook(data / "rules.xlsx").active["B2"]
    assert (title.value, title.data_type) == (RULE_TEXT["title"], "s")


def test_hostile_record_values_arrive_neutralised_not_lost(hostile_site):
    data = hostile_site / "data"
    assert [r["name"] for r in _rows(data / "branches.csv")] == ["'" + BRANCH_NAME]
    assert [r["name"] for r in _rows(data / "units.csv")] == ["'" + UNIT_NAME]
    first_rule = _rows(data / "rules.csv")[0]
    assert (first_rule["title"], first_rule["source"], first_rule["article"]) == (
        "'" + RULE_TEXT["title"], "'" + RULE_TEXT["source"], "'" + RULE_TEXT["article"].replace("\r", "\n"))


def test_open_data_package_still_valid(hostile_site):
    report = Package(str(hostile_site / "data/datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


@pytest.mark.parametrize("value", ["-3", "-0.25", "0", "12", "2025-03-31", "2025-03", "2025-Q1", "", "党员大会"])
def test_legitimate_values_unchanged(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1+1", "@SUM(A1)", "\t=1", " =1", "-", "=-3",
                                   '=HYPERLINK("http://e.invalid","x")', "+cmd|' /C calc'!A0"])
def test_formula_starts_neutralised(value):
    assert safe_cell(value) == "'" + value


def test_carriage_return_neutralised_and_kept_inside_its_cell():
    assert safe_cell("\r=1") == "'\n=1"
    assert csv_bytes(["a", "b"], [["x\ry", "z"]]) == b'a,b\n"x\ny",z\n'


def test_negative_numbers_read_back_as_numbers(tmp_path):
    """Through the writer the site uses, then Frictionless: -3 stays the integer -3, -0.25 the number -0.25."""
    (tmp_path / "t.csv").write_bytes(csv_bytes(["count", "share", "label"], [[-3, "-0.25", "=1+1"], [4, "0.5", "-x"]]))
    schema = Schema.from_descriptor({"fields": [{"name": "count", "type": "integer"},
                                                {"name": "share", "type": "number"},
                                                {"name": "label", "type": "string"}]})
    resource = Resource(path="t.csv", basepath=str(tmp_path), schema=schema)
    assert resource.validate().valid
    rows = resource.read_rows()
    assert [(r["count"], float(r["share"]), r["label"]) for r in rows] == [(-3, -0.25, "'=1+1"), (4, 0.5, "'-x")]


def test_a_table_longer_than_a_sheet_goes_on_over_further_sheets(tmp_path, monkeypatch):
    """Excel's sheet holds 1,048,575 rows below its header, and XlsxWriter drops any row beyond it without a word:
    compliance.xlsx of 6,000 branches (1.8 million rows) lost 750,000. Rows go on over "data (2)" … each with the
    header; nothing is lost. Tried with a sheet of three rows."""
    monkeypatch.setattr(download, "SHEET_ROWS", 3)
    rows = [[f"b{i}", i, "=1+1" if i == 4 else "pass"] for i in range(7)]
    download.write_table_workbook(tmp_path / "t.xlsx", "t", ["branch", "count", "status"], rows,
                                  {"count": "integer"}, AS_OF)
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert book.sheetnames == ["data", "data (2)", "data (3)"]
    sheets = [[list(r) for r in book[name].iter_rows(values_only=True)] for name in book.sheetnames]
    assert all(sheet[0] == ["branch", "count", "status"] for sheet in sheets)
    assert [len(sheet) - 1 for sheet in sheets] == [3, 3, 1]
    assert [row for sheet in sheets for row in sheet[1:]] == rows  # numbers numbers, a formula start plain text
    assert all(book[name].freeze_panes == "A2" for name in book.sheetnames)
    download.write_table_workbook(tmp_path / "empty.xlsx", "t", ["branch"], [], {}, AS_OF)
    empty = openpyxl.load_workbook(tmp_path / "empty.xlsx")
    assert [list(r) for r in empty["data"].iter_rows(values_only=True)] == [["branch"]]
