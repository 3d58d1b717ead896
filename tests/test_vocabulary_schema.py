"""standards/vocabulary.yaml is the source of every label: a damaged one stops the run with a located Chinese
message (exit 2), never a traceback, and nothing is judged or built from it."""

from __future__ import annotations

import re

import pytest
from conftest import REPO

from generator.cli import main

SHIPPED = (REPO / "standards" / "vocabulary.yaml").read_text(encoding="utf-8")


def _line(needle: str) -> str:
    """Where a text stands in the shipped file (groups grow as rules are added; the line moves with them)."""
    return f"第 {next(i for i, line in enumerate(SHIPPED.split(chr(10)), 1) if needle in line)} 行"


def _damaged(text: str) -> str:
    assert text != SHIPPED, "the damage did not apply"
    return text


DAMAGES = {
    # make fuzz found these two: items or a whole group replaced by a number
    "items-a-number": (lambda s: _damaged(re.sub(r"(?s)(used_in: branch.yaml type.*?\n  items:).*?\n\n", r"\1 288\n\n",
                                                s)), "第 11 行", "items 应为列表"),
    "group-a-number": (lambda s: _damaged(s.replace("branch_types:\n  title: 党支部类型", "branch_types: 10\nold:\n"
                                                   "  title: 党支部类型", 1)), "第 7 行",
                       "branch_types 应为一组“键: 值”"),
    # a flow mapping whose English text holds a comma: YAML reads the rest as further keys
    "comma-in-flow-text": (lambda s: _damaged(s.replace('en: "Due (period still open, not yet satisfied)"',
                                                       "en: Due (period still open, not yet satisfied)")),
                           _line('en: "Due (period still open, not yet satisfied)"'), "未知的键“not yet satisfied)”"),
    "unknown-group-key": (lambda s: _damaged(s.replace("  title: 党支部类型\n", "  title: 党支部类型\n  titel: x\n")),
                          "第 9 行", "未知的键“titel”"),
    "item-without-zh": (lambda s: _damaged(s.replace("{key: faculty, zh: 教工党支部, en:", "{key: faculty, en:")),
                        "第 12 行", "缺少必填项“zh”"),
    "group-missing": (lambda s: _damaged(s.replace("\nperiods:\n", "\nperiods_old:\n")), "文件开头",
                      "缺少必填项“periods”"),
    "stored-as-unknown": (lambda s: _damaged(s.replace("stored_as: zh", "stored_as: chinese", 1)), "第 32 行",
                          "只能是：key、zh"),
    "not-a-mapping": (lambda s: "- 1\n- 2\n", "文件开头", "整个文件应为一组“键: 值”"),
}


@pytest.mark.parametrize("name", sorted(DAMAGES))
def test_a_damaged_vocabulary_stops_the_run_with_its_line(name, make_repo, capsys):
    damage, where, what = DAMAGES[name]
    root = make_repo()
    (root / "standards" / "vocabulary.yaml").write_text(damage(SHIPPED), encoding="utf-8")
    for command in (["check"], ["build", "--out", str(root / "site")]):
        assert main(["--root", str(root), *command]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"错误：standards/vocabulary.yaml {where}："), err
        assert what in err, err
        assert "Traceback" not in err and "--debug" not in err, err
    assert not (root / "site").exists()


def test_the_shipped_vocabulary_keeps_every_english_text_whole(make_repo, capsys):
    root = make_repo()
    assert main(["--root", str(root), "check"]) == 0
    from generator.standards.catalogue import load_standards

    statuses = {item["key"]: item["en"] for item in load_standards(root / "standards").vocabulary["result_statuses"]
                ["items"]}
    assert statuses["due"] == "Due (period still open, not yet satisfied)"
