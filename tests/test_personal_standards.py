"""Issue 11 class 2: standards/ is screened for personal data like records, comments included.

A college edits rules.yaml, settings.yaml, vocabulary.yaml and the worked cases, and the standards pages
publish them. A phone number, ID number or e-mail address left in any of them, even in a comment, is a
`personal-data` error on its line, masked in every output.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from generator.cli import main
from generator.pipeline import run_check

SECRETS = ("98765432", "0519491231", "zhangsan.1990")
AS_OF = dt.date(2025, 3, 31)

# (file, text appended or inserted, kind shown in the message)
CASES = {
    "mobile in a rules.yaml comment": ("standards/rules.yaml", "# 联系人：王老师 13987654321\n", "手机号"),
    "mobile with +86 and dashes in settings.yaml": ("standards/settings.yaml", "# 问题请打 +86-139-8765-4321\n",
                                                     "手机号"),
    "id number with spaces in vocabulary.yaml": ("standards/vocabulary.yaml", "# 110105 19491231 002X\n",
                                                 "身份证号"),
    "e-mail in a worked case comment": ("standards/cases/meetings.yaml", "# 反馈 zhangsan.1990@example.com\n",
                                        "电子邮箱"),
    "mobile in a rule's text": ("standards/rules.yaml", None, "手机号"),
}


def _edit(root: Path, rel: str, text: str | None) -> int:
    """Apply the case; return the line the personal data stands on."""
    file = root / rel
    old = file.read_text(encoding="utf-8")
    if text is None:  # inside a value: the fix text of a rule
        marker = "  fix: 如确已召开，请在 meetings.csv 中补记该次党员大会"
        assert marker in old
        new = old.replace(marker, marker.replace("如确已召开", "如确已召开（咨询 139 8765 4321）"), 1)
        file.write_text(new, encoding="utf-8")
        return new[: new.index("咨询")].count("\n") + 1
    file.write_text(old.rstrip("\n") + "\n" + text, encoding="utf-8")
    return old.rstrip("\n").count("\n") + 2


def _assert_masked(text: str) -> None:
    digits = re.sub(r"[^0-9]", "", text)
    for secret in SECRETS:
        assert secret not in digits and secret not in text, secret


@pytest.mark.parametrize("case", list(CASES))
def test_personal_data_anywhere_in_standards_is_an_error_on_its_line(make_repo, capsys, case):
    rel, text, kind = CASES[case]
    root = make_repo()
    line = _edit(root, rel, text)
    run = run_check(root, as_of=AS_OF)
    found = [(p.code, p.path, p.row) for p in run.problems]
    assert found == [("personal-data", rel, line)]
    assert run.problems[0].severity == "error" and kind in run.problems[0].message
    for fmt in ("text", "json", "github"):
        assert main(["--root", str(root), "check", "--as-of", AS_OF.isoformat(), "--format", fmt]) == 1
        out = capsys.readouterr().out
        _assert_masked(out)
        if fmt == "json":
            assert [p["code"] for p in json.loads(out)["problems"]] == ["personal-data"]


def test_the_real_standards_hold_no_personal_data(make_repo):
    assert run_check(make_repo(), as_of=AS_OF).problems == []


@pytest.mark.parametrize("escaped", ['"\\u0031\\u0033\\u0039\\u0038\\u0037\\u0036\\u0035\\u0034\\u0033\\u0032\\u0031"',
                                     '"电话 \\x31\\x33\\x39 8765 4321"'])
def test_a_number_hidden_in_yaml_escapes_is_found_too(make_repo, escaped):
    root = make_repo()
    rules = root / "standards/rules.yaml"
    text = rules.read_text(encoding="utf-8")
    marker = "  fix: 如确已召开，请在 meetings.csv 中补记该次党员大会；如未召开，请尽快召开并记录。"
    assert marker in text
    rules.write_text(text.replace(marker, f"  fix: {escaped}", 1), encoding="utf-8")
    line = text[: text.index(marker)].count("\n") + 1
    run = run_check(root, as_of=AS_OF)
    assert [(p.code, p.path, p.row, p.field) for p in run.problems] == [
        ("personal-data", "standards/rules.yaml", line, "fix")]
    _assert_masked(run.problems[0].message)
