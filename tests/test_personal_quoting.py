"""Issue 11 class 2: personal data is masked wherever any problem quotes it, in every output.

Whatever check catches a value first (a type error, a foreign key, an enum, an unknown key, a header, a
file name), the value is screened before it is quoted: text, JSON, GitHub annotations, the job summary and
the refusal report of `zhibu build` never carry the number in full.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.cli import main
from generator.pipeline import run_check

BRANCH = "records/gongcheng/gongcheng-js1"
MOBILE = "13987654321"
ID_NUMBER = "11010519491231002X"  # a valid check character (GB 11643)
# What must never appear in any output: the middle of each number (the mask keeps 3 + 2 characters).
SECRETS = ("98765432", "0519491231")


def _replace(root: Path, rel: str, old: str, new: str) -> None:
    file = root / rel
    text = file.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(root: Path, rel: str, text: str) -> None:
    with (root / rel).open("a", encoding="utf-8") as handle:
        handle.write(text)


CASES = {
    "mobile-in-a-date-cell": lambda r: _replace(r, f"{BRANCH}/meetings.csv", "2025-01-08,", f"{MOBILE},"),
    "mobile-0086-spaces-in-a-number-cell": lambda r: _replace(
        r, f"{BRANCH}/meetings.csv", ",4,4,", ",0086 139 8765 4321,4,"),
    "mobile-plus86-dashes-in-a-topic": lambda r: _replace(
        r, f"{BRANCH}/meetings.csv", "研究", "研究（联系 +86-139-8765-4321）"),
    "mobile-bracketed-prefix-as-member-id": lambda r: _replace(
        r, f"{BRANCH}/study.csv", "\npa", f"\n(+86){MOBILE},x\npa"),
    "id-number-as-member-id": lambda r: _append(r, f"{BRANCH}/dues.csv", f"2025-01,{ID_NUMBER},1.00,1.00,\n"),
    "id-number-with-spaces-as-group": lambda r: _replace(
        r, f"{BRANCH}/members.csv", ",g1,", ",110105 19491231 002X,"),
    "mobile-as-csv-header": lambda r: _replace(r, f"{BRANCH}/study.csv", "kind", MOBILE),
    "mobile-as-yaml-enum-value": lambda r: _replace(r, f"{BRANCH}/branch.yaml", "type: faculty",
                                                     f"type: '{MOBILE}'"),
    "mobile-as-yaml-key": lambda r: _append(r, f"{BRANCH}/branch.yaml", f"'{MOBILE}': 联系电话\n"),
    "mobile-in-a-yaml-comment": lambda r: _append(r, "records/gongcheng/unit.yaml", "# 书记电话 139 8765 4321\n"),
    "id-number-as-yaml-code": lambda r: _replace(r, "records/gongcheng/unit.yaml", "code: gongcheng",
                                                 f"code: '{ID_NUMBER}'"),
    "mobile-as-file-name": lambda r: (r / BRANCH / f"{MOBILE}.csv").write_text("a\n1\n", encoding="utf-8"),
    "mobile-as-branch-folder": lambda r: (r / "records/gongcheng" / MOBILE).mkdir(),
    "id-number-as-unit-folder": lambda r: (r / "records" / ID_NUMBER.lower()).mkdir(),
}


def _digits(text: str) -> str:
    return re.sub(r"[^0-9]", "", text)


def _assert_masked(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in _digits(text), f"{where}: {secret} shown in full"


@pytest.mark.parametrize("case", list(CASES))
def test_every_output_masks_personal_data_whatever_check_quotes_it(make_repo, capsys, monkeypatch, tmp_path, case):
    root = make_repo()
    CASES[case](root)
    run = run_check(root)
    assert any(p.code == "personal-data" for p in run.problems), [(p.code, p.path, p.row) for p in run.problems]
    for p in run.problems:
        _assert_masked(f"{p.path} {p.field} {p.branch} {p.message} {p.message_en}", f"problem {p.code}")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    for args in (["--format", "text"], ["--format", "json"], ["--format", "github"], ["--lang", "en"],
                 ["--format", "json", "--lang", "en"]):
        assert main(["--root", str(root), "check", *args]) == 1
        out = capsys.readouterr()
        _assert_masked(out.out + out.err, f"check {args}")
        if "json" in args:
            json.loads(out.out)
    _assert_masked(summary.read_text(encoding="utf-8"), "job summary")
    assert main(["--root", str(root), "build", "--out", str(tmp_path / "site")]) == 1
    out = capsys.readouterr()
    assert "未生成站点" in out.err
    _assert_masked(out.out + out.err, "build refusal")


@pytest.mark.parametrize("written", ["0086 139 8765 4321", "+86-139-8765-4321", "(+86)13987654321", "+8613987654321",
                                     "139 8765 4321", "139-8765-4321", "0086-13987654321", "86 13987654321",
                                     "１３９８７６５４３２１"])
def test_mobile_numbers_written_with_prefixes_and_separators_are_found(make_repo, written):
    root = make_repo()
    _replace(root, f"{BRANCH}/meetings.csv", "研究", f"研究{written}")
    run = run_check(root)
    found = [p for p in run.problems if p.code == "personal-data"]
    assert found and found[0].path == f"{BRANCH}/meetings.csv" and found[0].field == "topic", run.problems
    assert "139******21" in found[0].message
