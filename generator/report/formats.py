"""Format a check run as text, JSON or GitHub workflow commands (strings only; the CLI prints)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from itertools import groupby
from typing import TYPE_CHECKING

from generator.problems.catalogue import ERROR, INFO, WARNING, Problem
from generator.records import personal
from generator.records.control import CONTROL
from generator.report.english import count
from generator.rules import FAIL, NOTICE, STATUSES, withheld
from generator.rules.periods import ONCE

if TYPE_CHECKING:  # pipeline imports this module: the name only for type hints
    from generator.pipeline import CheckRun

# Names of statuses and severities come from standards/vocabulary.yaml (run.standards.vocab).
_LEVEL = {ERROR: "error", WARNING: "warning", INFO: "notice"}  # GitHub workflow command per severity


def summary(run: CheckRun, lang: str = "zh") -> dict:
    """Counts of the check; compliance counts leave out the results withheld for records with errors."""
    counts = Counter(r.status for r in withheld.shown(run))
    return {
        "as_of": run.as_of.isoformat(), "commit": run.commit,
        "errors": len(run.errors), "warnings": len(run.warnings),
        "branches": len(run.ledger.branches), "branches_in_repository": len(run.listed_branches),
        "compliance": {status: counts.get(status, 0) for status in STATUSES},
        "compliance_withheld": [w.as_dict(lang) for w in withheld.withheld(run)],
    }


def as_json(run: CheckRun, lang: str = "zh") -> str:
    data = {"problems": [p.as_dict(lang) for p in run.problems], "summary": summary(run, lang)}
    return json.dumps(data, ensure_ascii=False, indent=2)


_LINE_BREAKS = "\r\n"  # an annotation carries them escaped (%0D, %0A); every other control character is shown


def visible(text: str, keep: str = "") -> str:
    """Record text as every output shows it: personal data masked (personal.screen), control characters as \\xNN
    (a terminal or a CI log must not obey them: ESC, CR)."""
    return CONTROL.sub(lambda m: m.group() if m.group() in keep else f"\\x{ord(m.group()):02x}",
                        personal.screen(text))


def _message(problem: Problem, lang: str) -> str:
    return problem.message if lang == "zh" else (problem.message_en or problem.message)


def _whole(path: str, zh: bool) -> str:
    """A problem about a path as a whole: a file (its name has an extension) or a folder (codes have none)."""
    if "." in path.rsplit("/", 1)[-1]:
        return "整个文件" if zh else "file"
    return "整个文件夹" if zh else "folder"


def as_text(run: CheckRun, lang: str = "zh") -> str:
    zh = lang == "zh"
    lines: list[str] = []
    marks = run.standards.vocab.labels("problem_severities", "zh" if zh else "mark_en")
    for path, items in groupby(run.problems, key=lambda p: p.path):
        lines.append(visible(path))
        for p in items:
            where = (f"第 {p.row} 行" if zh else f"line {p.row}") if p.row else _whole(p.path, zh)
            col = f" {visible(p.field)}" if p.field else ""
            mark = marks.get(p.severity, p.severity)
            lines.append(f"  {where}{col}  {mark} [{p.code}] {visible(_message(p, lang))}")
        lines.append("")
    lines += _compliance_text(run, zh)
    s = summary(run)
    if zh:
        lines.append(f"检查完成（截至 {s['as_of']}）：{s['branches']} 个支部，"
                     f"{s['errors']} 个错误，{s['warnings']} 个警告。")
        if s["errors"]:
            lines.append("有错误的记录不能合并，请按上面的提示逐条修改后再提交。")
    else:
        lines.append(f"Checked {count(s['branches'], 'branch')} as of {s['as_of']}: {count(s['errors'], 'error')}, "
                     f"{count(s['warnings'], 'warning')}.")
    return "\n".join(lines)


def periods_by_branch(run: CheckRun, status: str) -> dict[str, dict[str, list[str]]]:
    """branch -> rule -> labels of the periods with this status (fail, notice), for the compliance section."""
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in withheld.shown(run):
        if r.status == status:
            out[r.branch][r.rule].append(r.period)
    return out


def _compliance_text(run: CheckRun, zh: bool) -> list[str]:
    counts = summary(run)["compliance"]
    names = {b.code: b.name for b in run.ledger.branches}
    titles = {r.id: r.title if zh else r.meta.get("title_en") or r.title for r in run.standards.rules}
    words = run.standards.vocab.labels("result_statuses") if zh else {}
    now = run.standards.vocab.label("periods", ONCE, "result")  # 当前
    head = "合规情况（不影响合并）：" if zh else "Compliance (does not block merging): "
    lines = [head + ("，" if zh else ", ").join(f"{words.get(k, k)} {v}" for k, v in counts.items())]
    for item in withheld.withheld(run):  # what the counts leave out, and why
        sep = "、" if zh else ", "
        more = (f" 等 {len(item.rules)} 条" if zh else f" ({count(len(item.rules), 'rule')} in all)"
                ) if len(item.rules) > 12 else ""
        rules, files = sep.join(item.rules[:12]) + more, sep.join(item.files)
        lines.append(visible(f"  {item.branch} {names.get(item.branch, '')}".rstrip() + ("：" if zh else ": ") + (
            f"{withheld.REASON}（{rules}；请先改正 {files} 中的错误）" if zh
            else f"{withheld.REASON_EN} ({rules}; fix the errors in {files} first)")))
    failed, noticed = periods_by_branch(run, FAIL), periods_by_branch(run, NOTICE)
    for branch in sorted(failed.keys() | noticed.keys()):
        lines.append(visible(f"  {branch} {names.get(branch, '')}"))
        for status, found in ((FAIL, failed), (NOTICE, noticed)):
            label = "" if status == FAIL else f"{words[status]} " if zh and status in words else f"{status}: "
            for rule, periods in sorted(found.get(branch, {}).items()):
                lines.append(f"    {label}{rule} {titles.get(rule, '')}{_periods(periods, zh, now)}")
    lines.append("")
    return lines


def _periods(periods: list[str], zh: bool, now: str) -> str:
    """The first eight period labels and how many there are in all."""
    if zh:
        more = f" 等 {len(periods)} 期" if len(periods) > 8 else ""
        return "：" + "、".join(now if p == ONCE else p for p in periods[:8]) + more
    more = f" ({count(len(periods), 'period')} in all)" if len(periods) > 8 else ""
    return ": " + ", ".join(periods[:8]).replace("once", "now") + more


def _escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def as_github(run: CheckRun, lang: str = "zh") -> str:
    """Workflow commands (file, line, col, title), one per problem with repeats folded.

    GitHub shows only 10 error and 10 warning annotations per step: the same problem (code and message)
    on many lines of one file becomes one annotation at its first line that lists the other lines, so a
    misspelt member id in members.csv is not hidden behind 40 identical ones in dues.csv.
    """
    groups: dict[tuple, list[Problem]] = {}
    for p in run.problems:
        groups.setdefault((p.path, p.code, p.severity, _message(p, lang)), []).append(p)
    lines = []
    for (path, code, severity, message), same in groups.items():
        first = same[0]
        props = [f"file={_escape(path, True)}"]
        if first.row:
            props.append(f"line={first.row}")
        if first.column:
            props.append(f"col={first.column}")
        props.append(f"title={_escape(code, True)}")
        lines.append(f"::{_LEVEL.get(severity, 'warning')} {','.join(props)}::"
                     f"{_escape(visible(message, keep=_LINE_BREAKS) + _more(same[1:], lang))}")
    s = summary(run)
    lines.append(f"检查完成：{s['errors']} 个错误，{s['warnings']} 个警告（截至 {s['as_of']}）。")
    return "\n".join(lines)


def _more(others: list[Problem], lang: str) -> str:
    """The other lines of a folded annotation, e.g. （本文件另有 2 处同样的问题：第 21、40 行）."""
    if not others:
        return ""
    rows = [str(p.row) for p in others if p.row][:20]
    shown = "、".join(rows) + (" 等" if len(others) > len(rows) else "")
    if lang == "zh":
        return f"（本文件另有 {len(others)} 处同样的问题" + (f"：第 {shown} 行）" if rows else "）")
    return f" ({len(others)} more in this file" + (f": lines {shown.replace('、', ', ')})" if rows else ")")
