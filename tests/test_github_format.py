"""`zhibu check --format github`, parsed back as the Actions runner parses it, matches the JSON report.

File names and messages carry the characters the workflow-command syntax reserves (`%`, CR, LF, and in
properties `:` and `,`); after the runner's unescaping every annotation must name the same repository-
relative file, line, column and message as `--format json`.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

from ghcommands import annotations, parse

from generator.cli import main

BRANCH = "records/gongcheng/gongcheng-js1"
LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def outputs(capsys, root: Path, *args: str) -> tuple[int, str, dict]:
    base = ["--root", str(root), "check", "--as-of", "2025-03-31", *args]
    code = main([*base, "--format", "github"])
    github = capsys.readouterr().out
    assert main([*base, "--format", "json"]) == code
    return code, github, json.loads(capsys.readouterr().out)


def hostile_repo(make_repo) -> Path:
    root = make_repo()
    # A stray file whose name holds every reserved character of a property value.
    (root / "records/gongcheng/会议,记录::2025%25 第1季.xlsx").write_bytes(b"PK")
    meetings = root / BRANCH / "meetings.csv"
    text = meetings.read_text(encoding="utf-8")
    # Cells that end up in messages: a percent sign, a line break inside a quoted cell, a CR and a colon.
    text += '2025-03-20-dydh,2025-03-20,党员大会,学习,"5%,8",8,\n'
    text += '2025-03-21-dydh,2025-03-21,党员大会,学习,"1\n2",8,\n'
    text += '2025-03-22-dydh,2025-03-22,党员大会,学习,"7\r:%0A",8,\n'
    meetings.write_text(text, encoding="utf-8", newline="")
    return root


def folded(problems: list[dict]) -> list[list[dict]]:
    """JSON problems grouped as the annotations fold them: same file, code, severity and message."""
    groups: dict[tuple, list[dict]] = {}
    for p in problems:
        groups.setdefault((p["path"], p["code"], p["severity"], p["message"]), []).append(p)
    return list(groups.values())


def test_annotations_round_trip_through_the_runners_unescaping(make_repo, capsys):
    root = hostile_repo(make_repo)
    code, github, data = outputs(capsys, root)
    assert code == 1
    commands = annotations(github)
    groups = folded(data["problems"])
    assert len(commands) == len(groups) >= 4
    for command, group in zip(commands, groups, strict=True):
        problem = group[0]
        assert command.name == LEVEL[problem["severity"]]
        assert set(command.properties) <= {"file", "line", "col", "title"}
        assert command.properties["file"] == problem["path"]
        assert command.properties["title"] == problem["code"]
        assert command.properties.get("line") == (str(problem["row"]) if problem["row"] else None)
        assert command.properties.get("col") == (str(problem["column"]) if problem["column"] else None)
        assert command.data.startswith(problem["message"])
        rest = command.data[len(problem["message"]):]
        if len(group) == 1:
            assert rest == ""
        else:
            assert f"另有 {len(group) - 1} 处" in rest
            assert re.findall(r"\d+", rest.split("：", 1)[1]) == [str(p["row"]) for p in group[1:21]]
    files = [c.properties["file"] for c in commands]
    # The escaping was exercised, not bypassed: reserved characters survive the round trip.
    assert any("," in f and "::" in f and "%25" in f for f in files), files
    messages = [c.data for c in commands]
    assert any("5%,8" in m for m in messages), messages
    assert any("1\n2" in m for m in messages), messages
    assert any("\r" in m and "%0A" in m for m in messages), messages


def test_repeated_problems_fold_into_one_annotation_per_file(make_repo, capsys):
    """GitHub shows 10 errors per step: 30 copies of one wrong id must not hide the other files' errors."""
    root = make_repo()
    meetings = root / BRANCH / "meetings.csv"
    text = meetings.read_text(encoding="utf-8")
    text += "".join(f"2025-03-{day:02d}-x,2025-03-{day:02d},党员大会,学习,八,8,\n" for day in range(1, 29))
    meetings.write_text(text, encoding="utf-8")
    members = root / BRANCH / "members.csv"
    members.write_text(members.read_text(encoding="utf-8").replace(",2005-06-01,", ",2005-13-01,", 1), "utf-8")
    code, github, data = outputs(capsys, root)
    commands = [c for c in annotations(github) if c.name == "error"]
    # The file's caps list 20 of the 28 wrong cells and count the other 8 in one more-problems (issue 11 class 3).
    listed = [p for p in data["problems"] if p["path"] == f"{BRANCH}/meetings.csv"]
    assert code == 1 and [p["code"] for p in listed].count("type-error") == 20
    assert {c.properties["file"] for c in commands} >= {f"{BRANCH}/meetings.csv", f"{BRANCH}/members.csv"}
    assert len(commands) <= 10
    [many] = [c for c in commands if c.properties.get("title") == "type-error" and "另有" in c.data]
    assert "另有 19 处同样的问题" in many.data and " 等" not in many.data  # the 19 other listed lines, all named
    [rest] = [c for c in commands if c.properties.get("title") == "more-problems"]
    assert "本文件另有 8 处同类问题（type-error）" in rest.data  # 1 + 19 + 8: every wrong cell accounted for


def test_every_line_is_one_command_or_the_closing_line(make_repo, capsys):
    _, github, data = outputs(capsys, hostile_repo(make_repo))
    lines = github.splitlines()
    assert len(lines) == len(folded(data["problems"])) + 1  # a line break in a message never splits a command
    assert all(parse(line) is not None for line in lines[:-1])
    assert parse(lines[-1]) is None and "个错误" in lines[-1]


def test_paths_are_repository_relative_and_exist(make_repo, capsys):
    root = hostile_repo(make_repo)
    _, github, _ = outputs(capsys, root)
    for command in annotations(github):
        path = command.properties["file"]
        assert not path.startswith(("/", "./")) and "\\" not in path and str(root) not in path
        assert posixpath.normpath(path) == path and not path.startswith("..")
        assert (root / path).exists() or path.endswith("/branch.yaml"), path


def test_unescaping_order_is_the_runners():
    """The parser itself: %253A is a literal %3A, not a colon; data keeps `:` and `,` as they are."""
    command = parse("::error file=a%253Ab%2Cc%3Ad,line=3,title=x::m%250A: ,%0Aend")
    assert command is not None
    assert command.properties == {"file": "a%3Ab,c:d", "line": "3", "title": "x"}
    assert command.data == "m%0A: ,\nend"
    assert parse("plain text") is None and parse("::error no end") is None


def test_valid_records_give_no_annotations(make_repo, capsys):
    code, github, _ = outputs(capsys, make_repo())
    assert code == 0 and annotations(github) == []
