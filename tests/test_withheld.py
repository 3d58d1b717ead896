"""A branch whose files have errors gets "记录有错误，合规结果暂不计算", not a wall of false 未达标 (issue 16 item 4).

Made for real on the demo records: jidian-js1's meetings.csv through Excel's GBK round trip (today: 未达标
174, every meeting rule failing since 2023), and a YAML error in jidian-xs1's exemptions.yaml (today:
the approved summer exemption disappears and 2024-07 and 2024-08 turn 未达标).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO

from generator.cli import main
from generator.rules import load_all
from generator.rules.withheld import READS, REASON

MEETING_RULES = {"MT-01", "MT-01Q", "MT-02", "MT-03", "MT-06", "MT-07", "MT-08", "MT-09",
                 "EL-01", "EL-02", "EL-03", "EL-04",  # the election rules date each election by its assembly
                 "OL-01", "OL-01W",  # absences.csv names meetings
                 "MT-08R", "MT-10P"}  # MT-08R, MT-10P: a row names its 组织生活会 or 民主评议 by its meetings.csv id


@pytest.fixture
def demo(tmp_path) -> Path:
    shutil.copytree(REPO / "records", tmp_path / "records")
    shutil.copytree(REPO / "standards", tmp_path / "standards")
    return tmp_path


def check(root: Path, branch: str, capsys, fmt: str = "text", summary: Path | None = None,
          monkeypatch=None) -> str:
    if summary is not None:
        monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code = main(["--root", str(root), "check", f"records/{branch.split('-')[0]}/{branch}",
                 "--as-of", "2026-11-20", "--format", fmt])
    out = capsys.readouterr().out
    assert code == 1
    return out


def damage_meetings(root: Path) -> None:
    file = root / "records/jidian/jidian-js1/meetings.csv"
    file.write_bytes(b"\xef\xbb\xbf" + file.read_bytes().decode("gbk", errors="replace").encode("utf-8"))


def test_unreadable_meetings_withhold_the_meeting_rules_in_text(demo, capsys):
    damage_meetings(demo)
    out = check(demo, "jidian-js1", capsys)
    assert f"jidian-js1 机电工程学院教工第一党支部：{REASON}（MT-01、" in out
    compliance = out[out.index("合规情况"):]
    assert "未达标 0" in compliance
    assert not any(line.strip().startswith(tuple(MEETING_RULES)) for line in compliance.splitlines())


def test_unreadable_meetings_withhold_the_meeting_rules_in_json(demo, capsys):
    damage_meetings(demo)
    summary = json.loads(check(demo, "jidian-js1", capsys, "json"))["summary"]
    [held] = summary["compliance_withheld"]
    assert held["branch"] == "jidian-js1" and held["reason"] == REASON
    assert set(held["rules"]) == MEETING_RULES and held["files"] == ["meetings.csv"]
    assert summary["compliance"]["fail"] == 0  # the rules that do not read meetings.csv still count
    assert summary["compliance"]["pass"] > 0


def test_unreadable_meetings_withhold_the_meeting_rules_in_the_job_summary(demo, capsys, tmp_path, monkeypatch):
    damage_meetings(demo)
    target = tmp_path / "summary.md"
    check(demo, "jidian-js1", capsys, "github", target, monkeypatch)
    text = target.read_text(encoding="utf-8")
    assert f"| 暂不计算 | {len(MEETING_RULES)} | {REASON}（请先改正 meetings.csv 中的错误）：MT-01、" in text
    assert "| 未达标 | 0 |  |" in text
    assert "此前未达标的时段" not in text


def test_a_yaml_error_in_exemptions_does_not_drop_the_exemption_silently(demo, capsys):
    file = demo / "records/jidian/jidian-xs1/exemptions.yaml"
    text = file.read_text(encoding="utf-8")
    assert "from: 2024-07-01" in text
    file.write_text(text.replace("from: 2024-07-01", "from 2024-07-01"), encoding="utf-8")  # the colon forgotten
    out = check(demo, "jidian-xs1", capsys)
    assert "[yaml-syntax]" in out
    assert f"jidian-xs1 机电工程学院学生第一党支部：{REASON}" in out
    assert "2024-07" not in out[out.index("合规情况"):]  # the summer months are not turned 未达标
    summary = json.loads(check(demo, "jidian-xs1", capsys, "json"))["summary"]
    assert summary["compliance"] == {status: 0 for status in summary["compliance"]}


def test_every_rule_type_declares_the_files_it_reads():
    assert set(load_all()) <= set(READS), set(load_all()) - set(READS)


def test_a_branch_whose_branch_yaml_is_unusable_is_named_in_every_output(demo, capsys, tmp_path, monkeypatch):
    file = demo / "records/jidian/jidian-js1/branch.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("type: faculty", "type: [faculty"), encoding="utf-8")
    out = check(demo, "jidian-js1", capsys)
    assert f"  jidian-js1：{REASON}（" in out and "branch.yaml" in out[out.index("合规情况"):]
    summary = json.loads(check(demo, "jidian-js1", capsys, "json"))["summary"]
    assert [w["branch"] for w in summary["compliance_withheld"]] == ["jidian-js1"]
    english = json.loads(main_output(demo, capsys, "--lang", "en"))["summary"]
    assert english["compliance_withheld"][0]["reason"] == "records have errors; compliance not computed yet"
    target = tmp_path / "summary.md"
    check(demo, "jidian-js1", capsys, "github", target, monkeypatch)
    assert f"{REASON}：请先改正 branch.yaml 中的错误。" in target.read_text(encoding="utf-8")


def main_output(root: Path, capsys, *extra: str) -> str:
    main(["--root", str(root), "check", "records/jidian/jidian-js1", "--as-of", "2026-11-20", "--format", "json",
          *extra])
    return capsys.readouterr().out


def test_the_english_withheld_line_has_no_chinese_list_words(demo, capsys):
    file = demo / "records/jidian/jidian-js1/branch.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("type: faculty", "type: [faculty"), encoding="utf-8")
    main(["--root", str(demo), "check", "records/jidian/jidian-js1", "--as-of", "2026-11-20", "--lang", "en"])
    out = capsys.readouterr().out
    [line] = [line for line in out.splitlines() if "compliance not computed yet" in line]
    assert "、" not in line and " 等 " not in line and "条" not in line, line
    assert re.search(r"BR-05 \(\d+ rules in all\); fix the errors in branch\.yaml first\)$", line), line
