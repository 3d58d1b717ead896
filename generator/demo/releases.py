"""`make releases-demo`: a throwaway Git repository of the demo records with three release tags.

The demo records end on 2026-11-20. The two earlier releases show them as they stood at the end of
April and of August 2026 (rows dated later are left out, later stage dates blanked), so the changes
between releases are the demo's own activity: meetings held, probationary members becoming full,
new members admitted. The last release adds a committee re-election and two amendments to periods the
August release had already published (a meeting recorded late, an attendance figure corrected).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
from pathlib import Path

import yaml

from generator.history.git import Repository

RELEASES = (  # tag, as-of date, whether the tag message states the as-of date (else the tag's date is used)
    ("2026.04", dt.date(2026, 4, 30), True),
    ("2026.08", dt.date(2026, 8, 31), False),
    ("2026.11", dt.date(2026, 11, 20), True),
)
PROJECT_FILES = ("standards", "docs", "mkdocs.yml", "generator/site/assets/search/jieba-userdict.txt")
DATE_COLUMNS = {"members": ("full_on", "left_on"), "development": ("talked_on", "activist_on", "target_on",
                                                                    "admitted_on", "full_on", "reviewed_on",
                                                                    "publicity_from", "publicity_to", "prereviewed_on",
                                                                    "approved_on", "oath_on")}
ROW_DATE = {"meetings": "date", "members": "joined_on", "dues": "month", "study": "date", "development": "applied_on",
            "elections": "id", "absences": "meeting"}
RE_ELECTED = ("jingguan-js1", dt.date(2026, 10, 15))  # overdue since 2024; re-elected before the last release
AMENDED = "jidian-js1"  # gets a June meeting recorded late and a July attendance figure corrected


def make_demo_repository(source: Path, target: Path) -> Repository:
    """Create `target` as a Git repository with one commit per unit per release and annotated release tags."""
    target.mkdir(parents=True, exist_ok=False)
    for name in PROJECT_FILES:
        src, dst = source / name, target / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(src, dst) if src.is_dir() else shutil.copy(src, dst)
    repo = Repository.init(target, "zhibu-demo", "demo@example.org")
    final = RELEASES[-1][1]
    for number, (tag, as_of, in_message) in enumerate(RELEASES):
        stamp = f"{as_of.isoformat()}T20:00:00+08:00"
        shutil.rmtree(target / "records", ignore_errors=True)
        shutil.copytree(source / "records", target / "records")
        if as_of < final:
            trim(target / "records", as_of)
        else:
            _re_elect(target / "records", *RE_ELECTED)
            _amend(target / "records", AMENDED)
        dated = {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        if number == 0:
            repo.run("add", "--all")
            repo.run("commit", "-q", "-m", "示例学院：标准、站点配置和记录", env=dated)
        for unit in sorted(p.name for p in (target / "records").iterdir() if p.is_dir()):
            repo.run("add", "--all", f"records/{unit}")
            if repo.run("diff", "--cached", "--name-only"):
                author = _maintainer(target / "records" / unit)
                repo.run("commit", "-q", "-m", f"{unit}：{as_of:%Y 年 %m 月}的记录",
                         f"--author={author} <{author}@users.noreply.example.org>", env=dated)
        repo.run("add", "--all")
        if repo.run("diff", "--cached", "--name-only"):
            repo.run("commit", "-q", "-m", f"{as_of:%Y 年 %m 月}的其他记录", env=dated)
        message = f"示例发布 {tag}\n\n审核：党委组织部（含保密审查）\n批准：党委" + (
            f"\nas-of: {as_of.isoformat()}" if in_message else "")
        repo.run("tag", "-a", tag, "-m", message, env=dated)
    return repo


def trim(records: Path, cut: dt.date) -> None:
    """Make the records look as they stood on `cut`: later rows dropped, later stage dates blanked."""
    for file in sorted(records.glob("*/*/*.csv")):
        table = file.stem
        rows = list(csv.reader(io.StringIO(file.read_text(encoding="utf-8-sig"), newline="")))
        header, body = rows[0], rows[1:]
        index = {name: i for i, name in enumerate(header)}
        officers = (file.parent / "branch.yaml").read_text(encoding="utf-8") if table == "members" else ""
        kept = []
        for row in body:
            column = ROW_DATE.get(table)
            if column in index and _after(row[index[column]], cut) and f"member: {row[0]}" not in officers:
                continue  # an officer named in branch.yaml stays on the roster
            for name in DATE_COLUMNS.get(table, ()):
                if name in index and _after(row[index[name]], cut):
                    row[index[name]] = ""
                    if name == "left_on" and "left_reason" in index:
                        row[index["left_reason"]] = ""
            if table == "dues" and _after(row[index["paid_on"]], cut):
                row[index["paid"]], row[index["paid_on"]] = "", ""
            kept.append(row)
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([header, *kept])
        file.write_text(out.getvalue(), encoding="utf-8")
    for file in sorted(records.glob("*/*/exemptions.yaml")):
        doc = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        items = [e for e in doc.get("exemptions") or [] if not _after(str(e.get("from", "")), cut)]
        file.write_text(yaml.safe_dump({"exemptions": items}, allow_unicode=True, sort_keys=False)
                        if items else "exemptions: []\n", encoding="utf-8")


def _after(value: str, cut: dt.date) -> bool:
    value = value.strip()
    return bool(value) and value[: 10 if len(value) > 7 else 7] > cut.isoformat()[: 10 if len(value) > 7 else 7]


def _re_elect(records: Path, branch: str, elected: dt.date) -> None:
    file = next(records.glob(f"*/{branch}/branch.yaml"))
    text = file.read_text(encoding="utf-8")
    file.write_text(re.sub(r"(\n  elected_on: )\S+", rf"\g<1>{elected.isoformat()}", text, count=1),
                    encoding="utf-8")


def _amend(records: Path, branch: str) -> None:
    file = next(records.glob(f"*/{branch}/meetings.csv"))
    rows = list(csv.reader(io.StringIO(file.read_text(encoding="utf-8-sig"), newline="")))
    header, body = rows[0], rows[1:]
    at = {name: i for i, name in enumerate(header)}
    july = next(r for r in body if r[at["date"]].startswith("2026-07") and int(r[at["present"]]) > 0)
    july[at["present"]] = str(int(july[at["present"]]) - 1)
    june = next(r for r in body if r[at["date"]].startswith("2026-06") and r[at["kind"]] == "主题党日")
    late = list(june)
    late[at["id"]], late[at["date"]], late[at["kind"]] = "2026-06-26-dangke-buji", "2026-06-26", "党课"
    late[at["topic"]], late[at["group"]] = "七一专题党课（补录）", ""
    body.append(late)
    body.sort(key=lambda r: (r[at["date"]], r[at["id"]]))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *body])
    file.write_text(out.getvalue(), encoding="utf-8")


def _maintainer(unit: Path) -> str:
    doc = yaml.safe_load((unit / "unit.yaml").read_text(encoding="utf-8")) or {}
    names = doc.get("maintainers") or [f"{unit.name}-zuzhi"]
    return str(names[0])
