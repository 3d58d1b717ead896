"""Process maps: standards/processes.yaml read and checked, and a process drawn as SVG (no browser here)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from conftest import REPO

from generator.site.flowchart import flowchart, wrap
from generator.standards.catalogue import load_standards

STANDARDS = load_standards(REPO / "standards")
SVG = "{http://www.w3.org/2000/svg}"


def test_every_step_names_rules_that_exist_and_every_process_is_read():
    ids = {rule.id for rule in STANDARDS.rules}
    assert [p.id for p in STANDARDS.processes] == ["development", "election", "transfer", "org-life"]
    for process in STANDARDS.processes:
        assert all(rule in ids for step in process.steps for rule in step.rules), process.id
    development = STANDARDS.processes[0]
    stages = [step.stage for step in development.steps if step.stage]
    assert stages == ["applied_on", "talked_on", "activist_on", "target_on", "admitted_on", "full_on"]
    checked = {rule for step in development.steps for rule in step.rules}
    assert {r.id for r in STANDARDS.rules if r.id.startswith("DV-")} <= checked  # every DV rule has its step


def test_chinese_wraps_by_width_and_an_id_stays_whole():
    lines = wrap("检查：DV-10、DV-10L、DV-12、DV-19、DV-21、DV-04、DV-07", 12, 120)
    assert all(sum(1.0 if ord(c) >= 0x2E80 else 0.56 for c in line) * 12 <= 120 for line in lines)
    assert "".join(lines) == "检查：DV-10、DV-10L、DV-12、DV-19、DV-21、DV-04、DV-07"
    assert all(not line.startswith("10L") and not line.endswith("DV-1") for line in lines)
    assert wrap("递交入党申请书", 15, 300) == ["递交入党申请书"]


def test_the_chart_is_one_svg_with_a_box_per_step_in_order():
    process = STANDARDS.processes[1]  # 换届选举
    svg = ET.fromstring(flowchart(process))
    assert svg.tag == f"{SVG}svg" and svg.get("role") == "img" and svg.get("width") == "360"
    assert svg.find(f"{SVG}title").text == "流程图：党支部换届选举"
    steps = svg.findall(f"{SVG}g")
    assert len(steps) == len(process.steps)
    tops = [float(g.find(f"{SVG}rect").get("y")) for g in steps]
    assert tops == sorted(tops) and len(set(tops)) == len(tops)  # one column, top to bottom
    first = [t.text for t in steps[0].findall(f"{SVG}text")]
    assert first[0].startswith("1. 提醒做好换届准备") and "责任：上级党组织" in first and "检查：BR-07" in first
    assert "<script" not in flowchart(process) and "http://www.w3.org/2000/svg" in flowchart(process)
