"""`zhibu import`: a workbook back to canonical CSV, untouched rows byte-identical, every bad workbook answered."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import msoffcrypto.format.ooxml
import openpyxl
import pytest

from generator.cli import main
from generator.sheets.template import branch_template

AS_OF = "2025-03-31"
BRANCH = "gongcheng-js1"
FOLDER = "records/gongcheng/gongcheng-js1"
TABLES = ("members", "meetings", "dues", "development", "study")


def _snapshot(root: Path) -> dict[str, bytes]:
    return {t: (root / FOLDER / f"{t}.csv").read_bytes() for t in TABLES}


def _edited(root: Path, tmp_path: Path, edit: Callable[[openpyxl.Workbook], None], name: str = "filled.xlsx") -> Path:
    """The branch's template as a secretary changed it (edited with openpyxl, saved as .xlsx)."""
    book = openpyxl.load_workbook(io.BytesIO(branch_template(root, BRANCH, dt.date.fromisoformat(AS_OF))))
    edit(book)
    path = tmp_path / name
    book.save(path)
    return path


def _import(root: Path, path: Path, *extra: str) -> int:
    return main(["--root", str(root), "import", str(path), "--as-of", AS_OF, *extra])


def test_an_untouched_workbook_changes_nothing(make_repo, tmp_path, capsys):
    root = make_repo()
    before = _snapshot(root)
    path = _edited(root, tmp_path, lambda book: None)
    assert _import(root, path) == 0
    assert "记录没有变动" in capsys.readouterr().out
    assert _snapshot(root) == before


def test_a_new_meeting_and_a_late_payment_are_the_only_lines_that_change(make_repo, tmp_path, capsys):
    root = make_repo()
    before = _snapshot(root)

    def edit(book):
        meetings = book["会议"]
        meetings.append(["2025-03-28-zwh", dt.datetime(2025, 3, 28), "支委会", "研究四月工作", 4, 4])
        dues = book["党费"]
        dues["D2"].value, dues["E2"].value = 50, dt.datetime(2025, 1, 11)  # paid again, another day
    path = _edited(root, tmp_path, edit)
    assert _import(root, path, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "新增 1 次会议" in out and "没有写入任何文件" in out
    assert _snapshot(root) == before
    assert _import(root, path) == 0
    meetings = (root / FOLDER / "meetings.csv").read_text(encoding="utf-8")
    assert meetings == before["meetings"].decode() + "2025-03-28-zwh,2025-03-28,支委会,研究四月工作,4,4,\n"
    dues_lines = (root / FOLDER / "dues.csv").read_text(encoding="utf-8").splitlines()
    old_lines = before["dues"].decode().splitlines()
    assert dues_lines[1] == "2025-01,pa000001,50.00,50.00,2025-01-11"
    assert dues_lines[2:] == old_lines[2:] and dues_lines[0] == old_lines[0]
    assert {t: b for t, b in _snapshot(root).items() if t not in ("meetings", "dues")} == {
        t: b for t, b in before.items() if t not in ("meetings", "dues")}


def test_what_spreadsheet_programs_do_to_values_is_undone(make_repo, tmp_path):
    root = make_repo()
    before = _snapshot(root)

    def edit(book):
        meetings = book["会议"]
        meetings["B2"].value = 45665  # 2025-01-08 as an Excel date serial in a cell that lost its date format
        meetings["B3"].value = "2025/1/15"  # typed as text
        meetings["B4"].value = "2025年1月20日"
        meetings["B5"].value = "２０２５-０２-１０"  # full-width digits
        meetings["G4"].value = " g1  "  # stray spaces
        meetings["E2"].value = "4"  # a number stored as text
        meetings["F3"].value = 8.0
        dues = book["党费"]
        dues["A2"].value = dt.datetime(2025, 1, 1)  # the month turned into a date
        dues["C3"].value = "50"  # 50.00 typed as text without decimals
        dues["D4"].value = 50.0
    assert _import(root, _edited(root, tmp_path, edit)) == 0
    assert _snapshot(root) == before


def test_digits_that_became_a_number_keep_their_leading_zeros(make_repo, tmp_path):
    root = make_repo()
    path = root / FOLDER / "meetings.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2025-01-08-zwh,", "007,"), encoding="utf-8")
    before = _snapshot(root)

    def edit(book):
        book["会议"]["A2"].value = 7
    assert _import(root, _edited(root, tmp_path, edit)) == 0
    assert _snapshot(root) == before


def test_reordered_columns_empty_trailing_rows_and_formatted_empty_cells(make_repo, tmp_path):
    root = make_repo()
    before = _snapshot(root)

    def edit(book):
        sheet = book["会议"]
        sheet.move_range("D1:D12", cols=10)  # the topic column moved to the far right
        sheet.move_range("E1:N12", cols=-1)
        sheet["T500"].number_format = "0.00"  # a formatted but empty cell far away
        sheet.append([None, None, None])
        sheet.append(["", "", ""])
    assert _import(root, _edited(root, tmp_path, edit)) == 0
    assert _snapshot(root) == before


def test_a_record_problem_is_located_at_the_sheet_cell_and_nothing_is_written(make_repo, tmp_path, capsys):
    root = make_repo()
    before = _snapshot(root)

    def edit(book):
        book["会议"]["C6"].value = "党员会"  # not a meeting kind; row 6 is the fifth meeting
        book["会议"].append(["2025-03-29-zt", dt.datetime(2025, 3, 29), "主题党日", "读书会", 8, 9])
    assert _import(root, _edited(root, tmp_path, edit)) == 1
    captured = capsys.readouterr()
    assert "错误 会议!C6（meetings.csv 第 6 行，kind）" in captured.out  # the severity named by vocabulary.yaml
    assert "会议!F13（meetings.csv 第 13 行，present）：实到人数 9 大于应到人数 8" in captured.out
    assert "没有写入任何文件" in captured.err
    assert _snapshot(root) == before


def test_write_anyway_writes_a_workbook_with_errors(make_repo, tmp_path):
    root = make_repo()

    def edit(book):
        book["会议"]["C6"].value = "党员会"
    assert _import(root, _edited(root, tmp_path, edit), "--write-anyway") == 1
    assert ",党员会," in (root / FOLDER / "meetings.csv").read_text(encoding="utf-8")


def test_merged_cells_are_an_error_at_their_range(make_repo, tmp_path, capsys):
    root = make_repo()
    before = _snapshot(root)

    def edit(book):
        book["会议"].merge_cells("D3:D5")
    assert _import(root, _edited(root, tmp_path, edit)) == 1
    out = capsys.readouterr().out
    assert "会议!D3:D5" in out and "[sheet-merged-cells]" in out
    assert _snapshot(root) == before


def test_a_renamed_sheet_is_found_by_its_header_and_a_missing_one_is_an_error(make_repo, tmp_path, capsys):
    root = make_repo()
    before = _snapshot(root)

    def rename(book):
        book["会议"].title = "Sheet3"
    assert _import(root, _edited(root, tmp_path, rename)) == 0
    assert "工作表“会议”改名为“Sheet3”" in capsys.readouterr().out
    assert _snapshot(root) == before

    def remove(book):
        del book["会议"]
    assert _import(root, _edited(root, tmp_path, remove)) == 1
    assert "工作簿中没有工作表“会议”（meetings.csv），而记录中已有 11 行" in capsys.readouterr().out
    assert _snapshot(root) == before


def test_a_deleted_required_column_and_an_unknown_column(make_repo, tmp_path, capsys):
    root = make_repo()

    def edit(book):
        book["会议"].delete_cols(4)  # 主题 topic
        book["学习"]["F1"].value, book["学习"]["F2"].value = "备注", "线上"
    assert _import(root, _edited(root, tmp_path, edit)) == 1
    out = capsys.readouterr().out
    assert "工作表缺少“主题”（topic）列" in out and "[sheet-column-missing]" in out
    assert "学习!F1" in out and "表头“备注”不是记录字段" in out


def test_an_unknown_branch_exits_2(make_repo, tmp_path, capsys):
    root = make_repo()
    assert _import(root, _edited(root, tmp_path, lambda book: None), "--branch", "nosuch-branch") == 2
    assert "记录中没有代码为“nosuch-branch”的支部（--branch 指明的支部）" in capsys.readouterr().err

    def edit(book):
        book["填写说明"]["B2"].value = "gone-branch"
    assert _import(root, _edited(root, tmp_path, edit)) == 2
    assert "记录中没有代码为“gone-branch”的支部（filled.xlsx 注明的支部）" in capsys.readouterr().err


def test_a_workbook_for_another_branch_exits_2(make_repo, tmp_path, capsys):
    root = make_repo()
    other = root / "records" / "gongcheng" / "gongcheng-js2"
    (root / FOLDER).rename(other)  # the same records under another code: the workbook still names gongcheng-js1
    (other / "branch.yaml").write_text((other / "branch.yaml").read_text(encoding="utf-8").replace(
        "code: gongcheng-js1", "code: gongcheng-js2"), encoding="utf-8")
    path = tmp_path / "js2.xlsx"
    path.write_bytes(branch_template(root, "gongcheng-js2", dt.date(2025, 3, 31)))
    book = openpyxl.load_workbook(path)
    book["填写说明"]["B2"].value = BRANCH
    book.save(path)
    assert _import(root, path, "--branch", "gongcheng-js2") == 2
    assert "是支部“gongcheng-js1”的工作簿，不是“gongcheng-js2”的" in capsys.readouterr().err


def test_a_workbook_without_its_guide_needs_branch(make_repo, tmp_path, capsys):
    root = make_repo()
    path = _edited(root, tmp_path, lambda book: book.remove(book["填写说明"]))
    assert _import(root, path) == 2
    assert "--branch" in capsys.readouterr().err
    assert _import(root, path, "--branch", BRANCH) == 0


def _not_a_workbook(tmp_path: Path) -> Path:
    path = tmp_path / "notes.xlsx"
    path.write_text("id,date\n1,2025-01-01\n", encoding="utf-8")
    return path


def _zip_not_xlsx(tmp_path: Path) -> Path:
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return path


def _truncated(tmp_path: Path) -> Path:
    path = tmp_path / "cut.xlsx"
    path.write_bytes(branch_template_bytes()[:3000])
    return path


def _encrypted(tmp_path: Path) -> Path:
    plain = tmp_path / "plain.xlsx"
    plain.write_bytes(branch_template_bytes())
    path = tmp_path / "locked.xlsx"
    with plain.open("rb") as source, path.open("wb") as target:
        msoffcrypto.format.ooxml.OOXMLFile(source).encrypt("mima1234", target)
    return path


_TEMPLATE: list[bytes] = []


def branch_template_bytes() -> bytes:
    if not _TEMPLATE:
        import shutil
        import tempfile

        from conftest import REPO, VALID_RECORDS

        with tempfile.TemporaryDirectory() as tmp:
            shutil.copytree(VALID_RECORDS, Path(tmp) / "records")
            shutil.copytree(REPO / "standards", Path(tmp) / "standards")
            _TEMPLATE.append(branch_template(Path(tmp), BRANCH, dt.date(2025, 3, 31)))
    return _TEMPLATE[0]


@pytest.mark.parametrize("make_file, code", [
    (_not_a_workbook, "workbook-not-xlsx"),
    (_zip_not_xlsx, "workbook-damaged"),
    (_truncated, "workbook-damaged"),
    (_encrypted, "workbook-password"),
    (lambda tmp_path: tmp_path / "absent.xlsx", "workbook-missing"),
])
def test_files_that_are_not_readable_workbooks_exit_2_with_a_reason(make_repo, tmp_path, capsys, make_file, code):
    root = make_repo()
    before = _snapshot(root)
    assert _import(root, make_file(tmp_path)) == 2
    err = capsys.readouterr().err
    assert f"[{code}]" in err and "Traceback" not in err
    assert _snapshot(root) == before


def test_a_blank_workbook_adds_its_rows_after_the_records(make_repo, tmp_path, capsys):
    from generator.sheets.template import blank_template
    from generator.standards.catalogue import load_standards

    root = make_repo()
    before = _snapshot(root)
    path = tmp_path / "blank.xlsx"
    path.write_bytes(blank_template(load_standards(root / "standards"), dt.date.fromisoformat(AS_OF)))
    assert _import(root, path) == 2  # no branch code written in yet
    assert "找不到支部代码" in capsys.readouterr().err
    book = openpyxl.load_workbook(path)
    assert (book["填写说明"]["A4"].value, book["填写说明"]["B4"].value) == ("导入方式", "追加")
    book["填写说明"]["B2"].value = BRANCH
    book["会议"].append(["2025-03-28-zwh", dt.datetime(2025, 3, 28), "支委会", "研究四月工作", 4, 4])
    book["学习"].append(["pa000001", dt.datetime(2025, 3, 28), 2, "党课"])
    book.save(path)
    assert _import(root, path) == 0
    after = _snapshot(root)
    assert after["meetings"] == before["meetings"] + "2025-03-28-zwh,2025-03-28,支委会,研究四月工作,4,4,\n".encode()
    assert after["study"] == before["study"] + "pa000001,2025-03-28,2,党课\n".encode()
    assert {t: after[t] for t in ("members", "dues", "development")} == {
        t: before[t] for t in ("members", "dues", "development")}


def test_a_blank_workbook_row_with_a_problem_is_located_in_its_sheet(make_repo, tmp_path, capsys):
    from generator.sheets.template import blank_template
    from generator.standards.catalogue import load_standards

    root = make_repo()
    before = _snapshot(root)
    book = openpyxl.load_workbook(io.BytesIO(blank_template(load_standards(root / "standards"),
                                                            dt.date.fromisoformat(AS_OF))))
    book["填写说明"]["B2"].value = BRANCH
    book["会议"].append(["2025-03-05-dydh", dt.datetime(2025, 3, 28), "支委会", "与已有记录同一编号", 4, 4])
    path = tmp_path / "blank.xlsx"
    book.save(path)
    assert _import(root, path) == 1
    assert "会议!A2（meetings.csv 第 13 行，id）" in capsys.readouterr().out
    assert _snapshot(root) == before


def test_a_sheet_that_holds_no_table_is_named_since_nothing_in_it_is_imported(make_repo, tmp_path, capsys):
    root = make_repo()

    def edit(book):
        book.create_sheet("Sheet1")["B3"].value = "2025-03-30 党课"
        book.create_sheet("空表")
    assert _import(root, _edited(root, tmp_path, edit)) == 0
    out = capsys.readouterr().out
    assert "工作表“Sheet1”不是记录表" in out and "[sheet-unknown]" in out and "空表" not in out


def test_a_workbook_without_its_guide_whose_roster_is_another_branchs_exits_2(make_repo, tmp_path, capsys):
    root = make_repo()
    other = root / "records" / "gongcheng" / "gongcheng-js2"
    other.mkdir()
    for source in (root / FOLDER).iterdir():  # the same branch under another code, its members renumbered
        text = source.read_text(encoding="utf-8").replace("pa0000", "pc0000").replace("pb0000", "pd0000")
        (other / source.name).write_text(text.replace("code: gongcheng-js1", "code: gongcheng-js2"), encoding="utf-8")
    before = {t: (other / f"{t}.csv").read_bytes() for t in TABLES}
    path = _edited(root, tmp_path, lambda book: book.remove(book["填写说明"]))
    assert _import(root, path, "--branch", "gongcheng-js2") == 2
    assert "名册中没有一名党员是支部 gongcheng-js2 的党员" in capsys.readouterr().err
    assert {t: (other / f"{t}.csv").read_bytes() for t in TABLES} == before


def test_a_sheet_whose_used_area_reaches_far_away_cells_is_refused_before_it_is_read(make_repo, tmp_path, capsys):
    import xlsxwriter

    root = make_repo()
    path = tmp_path / "far.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("会议")
    sheet.write_string(0, 0, "记录编号\nid")
    sheet.write_string(1_048_575, 16_383, "x")  # XFD1048576: 17 billion cells if read as a grid
    book.close()
    assert _import(root, path, "--branch", BRANCH) == 2
    err = capsys.readouterr().err
    assert "[workbook-too-large]" in err and "1,048,576 行 × 16,384 列" in err


def test_a_record_file_that_cannot_be_read_is_never_overwritten(make_repo, tmp_path, capsys):
    root = make_repo()
    path = _edited(root, tmp_path, lambda book: None)
    dues = root / FOLDER / "dues.csv"
    dues.write_bytes(dues.read_text(encoding="utf-8").replace("2025-01,", "2025年1月,").encode("gbk"))  # saved as GBK
    before = _snapshot(root)
    assert _import(root, path) == 1
    out = capsys.readouterr().out
    assert "dues.csv 现在无法读取" in out and "[record-file-unreadable]" in out
    assert _snapshot(root) == before
    assert main(["--root", str(root), "template", BRANCH, "--out", str(tmp_path / "t.xlsx")]) == 2
    assert "dues.csv 现在无法读取" in capsys.readouterr().err and not (tmp_path / "t.xlsx").exists()


def test_a_new_member_still_on_another_branchs_roster_is_found(make_repo, tmp_path, capsys):
    root = make_repo()
    other = root / "records" / "gongcheng" / "gongcheng-js2"
    other.mkdir()
    for name in ("branch.yaml", "members.csv", "meetings.csv"):
        text = (root / FOLDER / name).read_text(encoding="utf-8").replace("pa0000", "pc0000")
        (other / name).write_text(text.replace("code: gongcheng-js1", "code: gongcheng-js2"), encoding="utf-8")

    def edit(book):  # pc000003 transferred here, but the other branch never recorded that he left
        book["名册"].append(["pc000003", "教职工", "g1", dt.datetime(2010, 6, 1), dt.datetime(2011, 6, 1),
                            dt.datetime(2025, 3, 1)])
    assert _import(root, _edited(root, tmp_path, edit)) == 0  # a warning: the other branch must record the move
    out = capsys.readouterr().out
    assert "名册!F10（members.csv 第 10 行，joined_on）" in out and "[member-in-two-branches]" in out
    assert "gongcheng-js2/members.csv 第 4 行" in out
