"""`zhibu check --code-quality FILE` writes the GitLab Code Quality report that .gitlab-ci.yml uploads.

Checked against GitLab's documented format (a JSON array; description, check_name, fingerprint,
severity one of info/minor/major/critical/blocker, location.path, location.lines.begin) and against the
JSON report of the same run: same problems, same places, nothing personal quoted.
"""

from __future__ import annotations

import json

from generator.cli import main

BRANCH = "records/gongcheng/gongcheng-js1"
GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}
REQUIRED = {"description", "check_name", "fingerprint", "severity", "location"}


def _broken(make_repo):
    """A repository with a date that does not exist and a phone number in a topic; and the date's line."""
    root = make_repo()
    meetings = root / BRANCH / "meetings.csv"
    line = len(meetings.read_text(encoding="utf-8").splitlines()) + 1
    with meetings.open("a", encoding="utf-8") as handle:
        handle.write("2025-03-29-dydh,2025-03-32,党员大会,学习,8,8,\n")  # no 32 March
        handle.write("2025-03-30-dydh,2025-03-30,党员大会,联系 13912345678,8,8,\n")  # a phone number in a topic
    return root, line


def test_report_lists_every_problem_at_its_place(make_repo, capsys, tmp_path):
    root, line = _broken(make_repo)
    report = tmp_path / "gl-code-quality-report.json"
    base = ["--root", str(root), "check", "--as-of", "2025-03-31", "--format", "json"]
    assert main([*base, "--code-quality", str(report)]) == 1  # the exit code is the check's, report or not
    problems = json.loads(capsys.readouterr().out)["problems"]
    issues = json.loads(report.read_text(encoding="utf-8"))
    assert isinstance(issues, list) and len(issues) == len(problems) >= 2
    for item, problem in zip(issues, problems, strict=True):
        assert REQUIRED <= item.keys()
        assert item["severity"] in GITLAB_SEVERITIES
        assert item["check_name"] == problem["code"]
        assert item["location"]["path"] == problem["path"]
        assert item["location"]["lines"]["begin"] == (problem["row"] or 1)
        assert len(item["fingerprint"]) == 32 and int(item["fingerprint"], 16) >= 0
    assert len({i["fingerprint"] for i in issues}) == len(issues)  # GitLab shows one issue per fingerprint
    bad_date = next(i for i in issues if i["check_name"] == "type-error")
    assert bad_date["severity"] == "major" and bad_date["location"] == {"path": f"{BRANCH}/meetings.csv",
                                                                        "lines": {"begin": line}}
    assert "13912345678" not in report.read_text(encoding="utf-8")  # the report is published with the job


def test_fingerprints_are_stable_between_runs_and_ignore_other_changes(make_repo, capsys, tmp_path):
    root, _ = _broken(make_repo)
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    main(["--root", str(root), "check", "--as-of", "2025-03-31", "--code-quality", str(first)])
    (root / "records/gongcheng/stray.txt").write_text("x", encoding="utf-8")  # one more problem elsewhere
    main(["--root", str(root), "check", "--as-of", "2025-03-31", "--code-quality", str(second)])
    capsys.readouterr()
    before = {i["fingerprint"] for i in json.loads(first.read_text(encoding="utf-8"))}
    after = {i["fingerprint"] for i in json.loads(second.read_text(encoding="utf-8"))}
    assert before < after  # the old problems keep their fingerprints: GitLab does not show them as new


def test_clean_records_give_an_empty_report(make_repo, capsys, tmp_path):
    report = tmp_path / "report.json"
    assert main(["--root", str(make_repo()), "check", "--as-of", "2025-03-31", "--code-quality", str(report)]) == 0
    capsys.readouterr()
    assert json.loads(report.read_text(encoding="utf-8")) == []


def test_unwritable_report_is_a_usage_error_in_chinese(make_repo, capsys, tmp_path):
    code = main(["--root", str(make_repo()), "check", "--code-quality", str(tmp_path / "missing/report.json")])
    assert code == 2
    err = capsys.readouterr().err
    assert "无法写入代码质量报告" in err and "Traceback" not in err
