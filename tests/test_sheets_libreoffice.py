"""A real spreadsheet program as the secretary's stand-in: LibreOffice Calc (headless) opens, edits and saves the
workbooks, and `zhibu import` takes them back. .ci/run installs libreoffice-calc-nogui and python3-uno."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from conftest import REPO

from generator.cli import main
from generator.sheets.importer import import_workbook
from generator.sheets.template import branch_template

AS_OF = "2025-03-31"
BRANCH = "gongcheng-js1"
FOLDER = "records/gongcheng/gongcheng-js1"
TABLES = ("members", "meetings", "dues", "development", "study")
DEMO_AS_OF = dt.date(2026, 11, 20)
DEMO_BRANCHES = ("jidian-js1", "jiguan-db3", "jingguan-xs1", "lituixiu-lt1", "tushuguan-zb1", "xinxi-xs3")


@pytest.fixture(scope="module")
def profile(tmp_path_factory) -> Path:
    """One LibreOffice user profile for the module: the first start builds it, later starts reuse it."""
    return tmp_path_factory.mktemp("lo-profile")


def _convert(files: list[Path], to: str, outdir: Path, profile: Path) -> None:
    """Open each file in LibreOffice Calc and save it in format `to` (what `soffice --convert-to` does)."""
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", to,
                    "--outdir", str(outdir), *map(str, files)], check=True, timeout=600, capture_output=True)


def _type_into(source: Path, target: Path, profile: Path, edits: list[list[str]]) -> None:
    subprocess.run(["/usr/bin/python3", str(REPO / "tests" / "lo_type_into.py"), str(source), str(target),
                    str(profile), json.dumps(edits, ensure_ascii=False)], check=True, timeout=300)


def _snapshot(root: Path) -> dict[str, bytes]:
    return {t: (root / FOLDER / f"{t}.csv").read_bytes() for t in TABLES}


def _template(root: Path, tmp_path: Path) -> Path:
    path = tmp_path / "template.xlsx"
    path.write_bytes(branch_template(root, BRANCH, dt.date.fromisoformat(AS_OF)))
    return path


def test_demo_templates_saved_by_libreoffice_import_back_unchanged(tmp_path, profile):
    sources = tmp_path / "templates"
    saved = tmp_path / "saved"
    sources.mkdir()
    for code in DEMO_BRANCHES:
        (sources / f"{code}.xlsx").write_bytes(branch_template(REPO, code, DEMO_AS_OF))
    _convert(sorted(sources.iterdir()), "xlsx", saved, profile)
    for code in DEMO_BRANCHES:
        result = import_workbook(REPO, saved / f"{code}.xlsx", None, DEMO_AS_OF)
        assert result.branch.code == code
        assert [t.path for t in result.tables if t.changed] == [], code
        assert result.problems == [], code


def test_dropdowns_and_date_formats_survive_libreoffice(make_repo, tmp_path, profile):
    root = make_repo()
    _convert([_template(root, tmp_path)], "xlsx", tmp_path / "saved", profile)
    book = openpyxl.load_workbook(tmp_path / "saved" / "template.xlsx")
    meetings = {str(dv.sqref).split(":")[0]: (dv.type, dv.formula1)
                for dv in book["会议"].data_validations.dataValidation}
    assert meetings["C2"] == ("list", '"党员大会,支委会,党小组会,党课,主题党日,组织生活会,民主评议党员"')
    assert meetings["G2"] == ("list", '"g1"')
    assert meetings["B2"][0] == "date"
    study = {str(dv.sqref).split(":")[0]: (dv.type, dv.formula1) for dv in book["学习"].data_validations.dataValidation}
    assert study["A2"] == ("list", "名册!$A$2:$A$5000")
    cell = book["会议"]["B2"]
    assert cell.value == dt.datetime(2025, 1, 8) and cell.number_format.replace("\\", "").lower() == "yyyy-mm-dd"
    assert book["会议"]["A2"].number_format == "@"


def test_rows_typed_in_libreoffice_import_as_canonical_csv(make_repo, tmp_path, profile):
    root = make_repo()
    before = _snapshot(root)
    edits = [
        ["名册", "A10", "type", "pa000009"], ["名册", "B10", "type", "教职工"], ["名册", "C10", "type", "g1"],
        ["名册", "D10", "type", "2019-06-01"], ["名册", "E10", "type", "2020-06-01"],
        ["名册", "F10", "type", "2025-03-20"],
        ["会议", "A13", "type", "2025-03-28-zwh"], ["会议", "B13", "type", "2025-03-28"],
        ["会议", "C13", "type", "支委会"], ["会议", "D13", "type", "研究四月工作"],
        ["会议", "E13", "type", "4"], ["会议", "F13", "type", "4"],
        ["党费", "D3", "type", "50"], ["党费", "E3", "type", "2025-01-12"],  # the same amount, another day
    ]
    target = tmp_path / "typed.xlsx"
    _type_into(_template(root, tmp_path), target, profile, edits)
    assert main(["--root", str(root), "import", str(target), "--as-of", AS_OF]) == 0
    after = _snapshot(root)
    assert after["members"] == before["members"] + "pa000009,教职工,g1,2019-06-01,2020-06-01,2025-03-20,,\n".encode()
    assert after["meetings"] == before["meetings"] + "2025-03-28-zwh,2025-03-28,支委会,研究四月工作,4,4,\n".encode()
    dues_old, dues_new = before["dues"].decode().splitlines(), after["dues"].decode().splitlines()
    assert dues_new[2] == "2025-01,pa000002,50.00,50.00,2025-01-12"
    assert dues_new[:2] == dues_old[:2] and dues_new[3:] == dues_old[3:]
    assert (after["study"], after["development"]) == (before["study"], before["development"])


def test_dates_and_numbers_saved_as_text_import_as_the_records_write_them(make_repo, tmp_path, profile):
    root = make_repo()
    before = _snapshot(root)
    edits = [
        ["会议", "B2", "text", "2025-01-08"], ["会议", "B3", "text", "2025/1/15"], ["会议", "E2", "text", "4"],
        ["党费", "C2", "text", "50"], ["党费", "D2", "text", "50.0"], ["党费", "E2", "text", "2025-01-10 "],
        ["会议", "A13", "text", "2025-03-28-dk"], ["会议", "B13", "text", "2025/3/28"], ["会议", "C13", "text", "党课"],
        ["会议", "D13", "text", "书记讲党课"], ["会议", "E13", "text", "８"], ["会议", "F13", "text", "7"],
    ]
    target = tmp_path / "text.xlsx"
    _type_into(_template(root, tmp_path), target, profile, edits)
    book = openpyxl.load_workbook(target)
    assert book["会议"]["B3"].data_type == "s" and book["党费"]["C2"].data_type == "s"  # really text in the file
    assert main(["--root", str(root), "import", str(target), "--as-of", AS_OF]) == 0
    after = _snapshot(root)
    assert after["meetings"] == before["meetings"] + "2025-03-28-dk,2025-03-28,党课,书记讲党课,8,7,\n".encode()
    assert {t: v for t, v in after.items() if t != "meetings"} == {t: v for t, v in before.items() if t != "meetings"}


def test_an_xls_saved_by_libreoffice_is_refused_with_how_to_save_xlsx(make_repo, tmp_path, profile, capsys):
    root = make_repo()
    _convert([_template(root, tmp_path)], "xls", tmp_path / "old", profile)
    assert main(["--root", str(root), "import", str(tmp_path / "old" / "template.xls"), "--as-of", AS_OF]) == 2
    err = capsys.readouterr().err
    assert "[workbook-xls]" in err and "另存为 → Excel 工作簿（*.xlsx）" in err


def test_libreoffice_is_installed():
    """The tests above need the real program: .ci/run installs it, so its absence is a failure, never a skip."""
    assert shutil.which("soffice"), "LibreOffice Calc is missing: apt-get install libreoffice-calc-nogui python3-uno"
