"""The check command: exit codes, output formats, languages, path and --since selection."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from recordedits import BRANCH, SECOND, add_second_branch

from generator.cli import main

_HAN = re.compile(r"[\u4e00-\u9fff]")
_GITHUB = re.compile(r"^::(error|warning) file=[^,:]+(,line=\d+)?(,col=\d+)?,title=[a-z0-9-]+::.+$")


def check(capsys, root: Path, *args: str, as_of: str = "2025-03-31") -> tuple[int, str, str]:
    code = main(["--root", str(root), "check", "--as-of", as_of, *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def break_date(root: Path) -> None:
    """Line 5 of meetings.csv gets a date that does not exist."""
    file = root / BRANCH / "meetings.csv"
    file.write_text(file.read_text(encoding="utf-8").replace("2025-02-10,", "2025-02-30,"), encoding="utf-8")


def summary(out: str) -> dict:
    return json.loads(out)["summary"]


# ── exit codes ──

def test_exit_0_on_valid(make_repo, capsys):
    code, out, _ = check(capsys, make_repo())
    assert code == 0
    assert "0 个错误" in out


def test_exit_1_on_broken(make_repo, capsys):
    root = make_repo()
    break_date(root)
    code, out, _ = check(capsys, root)
    assert code == 1
    assert "[type-error]" in out and "第 5 行" in out


@pytest.mark.parametrize("value", ["2025-13-01", "2025/03/31", "yesterday"])
def test_exit_2_on_bad_as_of(make_repo, capsys, value):
    code = main(["--root", str(make_repo()), "check", "--as-of", value])
    captured = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in captured.err


def test_exit_2_without_standards(make_repo, capsys):
    root = make_repo()
    shutil.rmtree(root / "standards")
    code, _, err = check(capsys, root)
    assert code == 2
    assert err.strip()


# ── formats and languages ──

def test_json_format(make_repo, capsys):
    root = make_repo()
    break_date(root)
    code, out, _ = check(capsys, root, "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["problems"]
    for problem in data["problems"]:
        assert {"code", "severity", "path", "row", "field", "branch", "message"} <= problem.keys()
    problem = data["problems"][0]
    assert (problem["code"], problem["path"], problem["row"], problem["field"], problem["branch"]) == (
        "type-error", f"{BRANCH}/meetings.csv", 5, "date", "gongcheng-js1")
    assert problem["severity"] == "error" and _HAN.search(problem["message"])
    assert data["summary"]["errors"] == 1
    assert data["summary"]["as_of"] == "2025-03-31"
    assert data["summary"]["branches"] == 1


def test_json_format_valid(make_repo, capsys):
    code, out, _ = check(capsys, make_repo(), "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["problems"] == [] and data["summary"]["errors"] == 0


def test_github_format_and_step_summary(make_repo, capsys, tmp_path, monkeypatch):
    root = make_repo()
    break_date(root)
    target = tmp_path / "step-summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(target))
    code, out, _ = check(capsys, root, "--format", "github")
    assert code == 1
    commands = [line for line in out.splitlines() if line.startswith("::")]
    assert commands
    assert all(_GITHUB.match(line) for line in commands), commands
    assert f"::error file={BRANCH}/meetings.csv,line=5,col=2,title=type-error::" in out
    markdown = target.read_text(encoding="utf-8")
    assert markdown.startswith("## ")
    assert "记录检查结果" in markdown and "type-error" in markdown and "| 文件 |" in markdown


def test_lang_en(make_repo, capsys):
    root = make_repo()
    break_date(root)
    _, out, _ = check(capsys, root, "--format", "json", "--lang", "en")
    messages = [p["message"] for p in json.loads(out)["problems"]]
    assert messages and all(not _HAN.search(m.replace("2025-02-30", "")) for m in messages), messages
    _, text, _ = check(capsys, root, "--lang", "en")
    assert text.endswith("Checked 1 branch as of 2025-03-31: 1 error, 0 warnings.\n")
    assert "，" not in text.split("\n\n")[-2]  # the compliance lines: English punctuation


def test_lang_en_plurals(make_repo, capsys):
    root = make_repo()
    add_second_branch(root)
    break_date(root)
    file = root / SECOND / "meetings.csv"
    file.write_text(file.read_text(encoding="utf-8").replace("2025-02-10,", "2025-02-31,").replace(
        "2025-01-08,", "2025-01-32,"), encoding="utf-8")
    _, text, _ = check(capsys, root, "--lang", "en")
    assert text.endswith("Checked 2 branches as of 2025-03-31: 3 errors, 0 warnings.\n")
    _, text, _ = check(capsys, root, "--lang", "en", BRANCH)
    assert text.endswith("Checked 1 branch as of 2025-03-31: 1 error, 0 warnings.\n")
    _, text, _ = check(capsys, root, "--lang", "en", "--as-of", "2026-03-31")
    assert "periods in all)" in text and " 等 " not in text and "期" not in text


# ── selection ──

def test_paths_restrict_branches(make_repo, capsys):
    root = make_repo()
    add_second_branch(root)
    code, out, _ = check(capsys, root, "--format", "json")
    assert code == 0, out
    assert summary(out)["branches"] == 2
    code, out, _ = check(capsys, root, "--format", "json", SECOND)
    assert code == 0
    assert summary(out)["branches"] == 1
    assert summary(out)["branches_in_repository"] == 2
    # a problem in the other branch is not reported when only one is checked
    break_date(root)
    code, out, _ = check(capsys, root, "--format", "json", SECOND)
    assert code == 0 and json.loads(out)["problems"] == []
    code, out, _ = check(capsys, root, "--format", "json", BRANCH)
    assert code == 1 and summary(out)["branches"] == 1


def test_since_one_branch_changed(git_records, capsys):
    code, out, _ = check(capsys, git_records, "--format", "json", "--since", "HEAD")
    assert code == 0 and summary(out)["branches"] == 0  # nothing changed yet
    file = git_records / SECOND / "meetings.csv"
    with file.open("a", encoding="utf-8") as handle:
        handle.write("2025-03-28-zwh,2025-03-28,支委会,研究季度总结,4,4,\n")
    code, out, _ = check(capsys, git_records, "--format", "json", "--since", "HEAD")
    assert code == 0
    assert summary(out)["branches"] == 1
    assert summary(out)["branches_in_repository"] == 2


def test_since_standards_change_touches_all(git_records, capsys):
    readme = git_records / "standards" / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
    code, out, _ = check(capsys, git_records, "--format", "json", "--since", "HEAD")
    assert code == 0
    assert summary(out)["branches"] == 2


def test_since_deleted_branch(git_records, capsys):
    shutil.rmtree(git_records / SECOND)
    code, out, _ = check(capsys, git_records, "--format", "json", "--since", "HEAD")
    problems = json.loads(out)["problems"]
    deleted = [p for p in problems if p["code"] == "branch-deleted"]
    assert len(deleted) == 1
    assert deleted[0]["path"] == f"{SECOND}/branch.yaml"
    assert deleted[0]["severity"] == "warning" and "gongcheng-js2" in deleted[0]["message"]
    assert code == 0  # a warning does not block


def test_since_bad_ref(git_records, capsys):
    code, _, err = check(capsys, git_records, "--since", "no-such-ref")
    assert code == 2 and err.strip()


# ── compliance does not block ──

def test_compliance_failure_exits_0(make_repo, capsys):
    root = make_repo()
    file = root / BRANCH / "meetings.csv"
    lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith("2025-03-05-dydh,")]
    assert len(kept) == len(lines) - 1
    file.write_text("".join(kept), encoding="utf-8")
    code, out, _ = check(capsys, root, as_of="2025-04-30")
    assert code == 0, out
    assert "MT-01 党员大会每季度至少召开1次：2025-Q1" in out
    assert "0 个错误" in out


def test_english_problem_messages_agree_in_number():
    """Every English template, rendered with each number 1 and then 2, says '1 problem' but '2 problems'."""
    from generator.problems.catalogue import CATALOG, make

    singular = re.compile(r"\b1 (?:more )?(problems|cells|rows|lines|errors|warnings|branches|members|months|days|years"
                          r"|periods|files|columns|times|hours|people)\b")
    plural = re.compile(r"\b2 (?:more )?(problem|cell|row|line|error|warning|branch|member|month|day|year|period"
                        r"|file|column|time|hour|person)\b")
    fields = {name for _code, (_sev, _zh, en) in CATALOG.items() for name in re.findall(r"\{(\w+)", en)}
    for number, wrong in ((1, singular), (2, plural)):
        for code in CATALOG:
            message = make(code, "records/x.csv", **{name: number for name in fields}).message_en
            assert not wrong.search(message), (code, message)


@pytest.mark.parametrize(("args", "said"), [
    (["--branches", "0"], "参数 --branches：应为正整数"), (["--branches", "-3"], "参数 --branches：应为正整数"),
    (["--branches", "二十"], "参数 --branches：应为正整数"),
    (["--as-of", "2001-01-01"], "早于演示记录的起始日 2023-01-01"),
])
def test_demo_refuses_impossible_options_in_chinese(args, said, tmp_path, capsys):
    out = tmp_path / "records"
    assert main(["demo", "--out", str(out), *args]) == 2
    err = capsys.readouterr().err
    assert said in err and "ValueError" not in err and "--debug" not in err, err
    assert not out.exists()


@pytest.mark.parametrize(("args", "said"), [
    (["check", "--bogus"], "zhibu：错误：无法识别的参数：--bogus"),
    ([], "zhibu：错误：缺少必需的参数：COMMAND"),
    (["check", "--format", "xml"], "zhibu check：错误：参数 --format 的取值 'xml' 无效，可选：'text', 'json'"),
    (["check", "--as-of"], "zhibu check：错误：参数 --as-of 后面需要一个值"),
    (["check", "--as-of", "2025-13-01"], "zhibu check：错误：参数 --as-of：日期应为 YYYY-MM-DD：2025-13-01"),
    (["build", "--audience", "everyone"], "zhibu build：错误：参数 --audience 的取值 'everyone' 无效"),
])
def test_usage_errors_are_told_in_chinese(capsys, args, said):
    """A mistyped command line is a secretary's first error: argparse's English is translated (exit 2)."""
    code = main(args)
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("用法：zhibu") and said in err and "运行 zhibu" in err
    assert "usage:" not in err and "error:" not in err and "Traceback" not in err
